"""Recalculate a kind's workbook in LibreOffice and in ``formulas`` and list every formula cell
whose value differs from the Python reference (the proof every kind's tests share)."""
from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

from xlperf import engines, live
from xlperf.grid import Grid
from xlperf.kinds import build, sheet_names

from .departments import same


def differences(expected: dict[str, dict[str, object]], found: Any,
                names: dict[str, str]) -> list[tuple[str, str, object, object]]:
    wrong = []
    for sheet, cells in expected.items():
        for ref, value in cells.items():
            got = found(names[sheet], ref)
            got = "" if got is None else got
            if not same(value, got):
                wrong.append((sheet, ref, value, got))
    return wrong


def libreoffice_differences(module: ModuleType, form: Any, path: Path
                            ) -> tuple[live.Computed, list[tuple[str, str, object, object]]]:
    """Build ``form`` at ``path``, recalculate it in LibreOffice, compare every formula cell."""
    computed = build(module, form, path)
    names = sheet_names(module, form.lang)
    out = engines.recalc_libreoffice(path, path.parent / f"lo-{path.stem}")
    grids = {name: Grid(engines.read_values(out, name), str(out), name) for name in names.values()}
    return computed, differences(computed.values(), lambda s, ref: grids[s].get(ref), names)


def formulas_differences(module: ModuleType, form: Any, path: Path
                         ) -> tuple[live.Computed, list[tuple[str, str, object, object]]]:
    computed = build(module, form, path)
    names = sheet_names(module, form.lang)
    solved = engines.recalc_formulas(path)
    return computed, differences(computed.values(), lambda s, ref: solved.get((s, ref)), names)
