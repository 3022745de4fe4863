"""``xlperf recalc``: read the scheme and inputs back, recompute, rewrite every cached value.

Only the cached values of the formula cells xlperf owns change; every other byte of the package is
copied. A formula cell whose formula is not the one xlperf would write is reported by cell and not
trusted: recalc stops, unless asked to restore the formulas.
"""
from __future__ import annotations

import gc
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import package
from .errors import InputError
from .kinds import open_workbook

MAX_LISTED = 20
_SHARED = b't="shared"'


@dataclass
class Mismatch:
    sheet: str
    cell: str
    found: object  # the formula found, or the value typed over it
    expected: str


@dataclass
class Report:
    path: Path
    cells: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    backup: Path | None = None


def _canonical(formula: str) -> str:
    """Formulas other applications re-save can differ in case and spacing only."""
    text = formula.lstrip("=")
    parts = text.split('"')
    parts[::2] = [p.replace(" ", "").upper() for p in parts[::2]]
    return '"'.join(parts)


def recalc(path: Path, out: Path | None = None, restore: bool = False) -> Report:
    """Recompute ``path`` into ``out`` (default: in place); a file replaced is kept as
    ``<name>.bak.xlsx``."""
    gc.disable()  # hundreds of thousands of small objects and no cycles: collections only cost
    try:
        return _recalc(Path(path), out, restore)
    finally:
        gc.enable()


def _recalc(path: Path, out: Path | None, restore: bool) -> Report:
    opened = open_workbook(path)
    try:
        computed = opened.computed
        planned = computed.plan()
        report = Report(path)
        parts, fixes = {}, {}
        for key, cells in planned.items():
            part = opened.book.sheets[opened.sheets[key]]
            data, done, differ = package.patch_values(opened.zf.read(part), cells)
            suspects = differ + ([] if len(done) == len(cells) else
                                 [ref for ref in cells if ref not in done])
            found = package.scan_formulas(data, {r.decode() for r in suspects}) if suspects else {}
            fix = {}
            for ref in suspects:
                cell = ref.decode()
                expected = computed.expected(key, cell)
                have = found.get(cell)
                if have is not None and _canonical(have) == _canonical(expected):
                    continue
                shown = have if have is not None else opened.grids[key].get(cell)
                report.mismatches.append(Mismatch(opened.sheets[key], cell, shown, expected))
                fix[ref] = (package.formula_xml(expected), *cells[ref][1:])
            report.cells += len(done)
            if fix and _SHARED in data:
                # Shared formulas hang on their first cell; restoring one cell could orphan the
                # rest, so the whole block is written back as one explicit formula per cell.
                fix = {ref: (package.formula_xml(computed.expected(key, ref.decode())),
                             *cell[1:])
                       for ref, cell in cells.items()}
            parts[part], fixes[part] = data, fix
        if report.mismatches and not restore:
            raise _mismatch_error(path, report.mismatches)
        for part, fix in fixes.items():
            if fix:
                parts[part], done = package.restore_formulas(parts[part], fix)
                if set(fix) - done:
                    raise InputError("单元格已被删除,无法恢复公式,请重新生成工作簿",
                                     "cells were deleted and cannot be restored; rebuild the "
                                     "workbook", str(path), part,
                                     sorted(r.decode() for r in set(fix) - done)[:5])
        dest = Path(out) if out else path
        report.backup = package.keep_backup(dest)
        if dest.resolve() != path.resolve():
            package.rewrite(opened.zf, dest, parts)
            return report
        opened.close()  # Windows cannot replace a file that is still open
        with zipfile.ZipFile(report.backup) as src:  # type: ignore[arg-type]
            package.rewrite(src, dest, parts)
        return report
    finally:
        opened.close()


def _mismatch_error(path: Path, mismatches: list[Mismatch]) -> InputError:
    lines = [f"{m.sheet}!{m.cell}: {m.found!r} ≠ ={m.expected}" for m in mismatches[:MAX_LISTED]]
    more = len(mismatches) - MAX_LISTED
    if more > 0:
        lines.append(f"… (+{more})")
    listing = "\n  " + "\n  ".join(lines)
    return InputError(
        f"{len(mismatches)} 个公式单元格被改动(不是 xlperf 写入的公式),未重算;"
        f"核对后可用 --restore-formulas 恢复:{listing}",
        f"{len(mismatches)} formula cells were changed (not the formula xlperf writes); nothing "
        f"was recalculated. Check them, then --restore-formulas puts the formulas back:{listing}",
        str(path))
