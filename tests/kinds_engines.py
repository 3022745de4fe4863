"""Recalculate a kind's workbook in LibreOffice and in ``formulas`` and list every formula cell
whose value differs from the Python reference (the proof every kind's tests share)."""
from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from xlperf import engines, live
from xlperf.errors import InputError
from xlperf.grid import Grid
from xlperf.kinds import build, open_workbook, sheet_names

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


def assert_libreoffice_agrees(module: ModuleType, forms: list[Any], tmp_path: Path,
                              min_cells: int) -> None:
    """Each form built, recalculated by LibreOffice: no cell differs, and reading the file back
    gives the very values of the build."""
    for i, form in enumerate(forms):
        path = tmp_path / f"{module.KIND}-{i}.xlsx"
        computed, wrong = libreoffice_differences(module, form, path)
        assert wrong == [], wrong[:10]
        assert sum(len(cells) for cells in computed.values().values()) > min_cells
        assert_reads_back(path, computed)


def assert_reads_back(path: Path, computed: live.Computed) -> Any:
    """The workbook at ``path``, read back, computes the very values of its build; its form."""
    opened = open_workbook(path)
    opened.close()
    assert opened.computed.values() == computed.values()
    return opened.form


def assert_formulas_agrees(module: ModuleType, form: Any, tmp_path: Path) -> None:
    _, wrong = formulas_differences(module, form, tmp_path / f"{module.KIND}-formulas.xlsx")
    assert wrong == [], wrong[:10]


def refusal(module: ModuleType, form: Any, path: Path) -> str:
    """The Chinese message with which reading the built ``form`` back is refused."""
    build(module, form, path)
    with pytest.raises(InputError) as err:
        open_workbook(path)
    return err.value.message("zh")


def csv_form(module: ModuleType, tmp_path: Path, text: str, lang: str) -> Any:
    """The form a CSV of ``text`` gives."""
    src = tmp_path / f"{module.KIND}.csv"
    src.write_text(text, encoding="utf-8")
    return module.from_csv(src, lang)


def csv_refusal(module: ModuleType, tmp_path: Path, text: str, lang: str) -> str:
    """The English message with which a CSV of ``text`` is refused."""
    with pytest.raises(InputError) as err:
        csv_form(module, tmp_path, text, lang)
    return err.value.message("en")


def built_and_read_back(module: ModuleType, form: Any, tmp_path: Path) -> live.Computed:
    """Build ``form``, read the file back: the same values; what the build computed."""
    path = tmp_path / f"{module.KIND}.xlsx"
    computed = build(module, form, path)
    assert_reads_back(path, computed)
    return computed
