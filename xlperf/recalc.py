"""``xlperf recalc``: read the scheme and inputs back, recompute, rewrite every cached value.

Only the cached values of the formula cells xlperf owns change; every other byte of the package is
copied. A formula cell whose formula is not the one xlperf would write is reported by cell and not
trusted: recalc stops, unless asked to restore the formulas.
"""
from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import package
from .errors import InputError
from .readback import Opened, open_appraisal
from .workbook import Computed, cached_values, compute

MAX_LISTED = 20


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
    restored: int = 0
    backup: Path | None = None
    comp: Computed | None = None


def expected_formulas(opened: Opened, comp: Computed) -> dict[str, dict[str, str]]:
    """Sheet key -> cell -> the formula xlperf writes there."""
    layout = opened.app.layout
    out = {key: {ref: f for ref, (f, _v) in cells.items()} for key, cells in comp.cells.items()}
    rows = [str(r) for r in layout.rows]
    for key, template in comp.templates.items():
        letter = layout.col(key)
        head, _, tail = template.partition("{r}")
        if "{r}" in tail:
            out["appraisal"].update((letter + r, template.replace("{r}", r)) for r in rows)
        else:  # one placeholder: concatenation is faster than replace
            out["appraisal"].update((letter + r, head + r + tail) for r in rows)
    return out


def find_mismatches(opened: Opened, expected: dict[str, dict[str, str]],
                    xml: dict[str, bytes]) -> list[Mismatch]:
    out = []
    for key, cells in expected.items():
        found = package.scan_formulas(xml[key])
        grid = opened.grids[key]
        for ref, formula in cells.items():
            have = found.get(ref)
            if have != formula and (have is None or _canonical(have) != _canonical(formula)):
                shown = have if have is not None else grid.get(ref)
                out.append(Mismatch(opened.sheets[key], ref, shown, formula))
    return out


def _canonical(formula: str) -> str:
    """Formulas other applications re-save can differ in case and spacing only."""
    text = formula.lstrip("=")
    parts = text.split('"')
    parts[::2] = [p.replace(" ", "").upper() for p in parts[::2]]
    return '"'.join(parts)


def recalc(path: Path, out: Path | None = None, restore: bool = False) -> Report:
    """Recompute ``path`` into ``out`` (default: in place, keeping ``<name>.bak.xlsx``)."""
    path = Path(path)
    opened = open_appraisal(path)
    try:
        comp = compute(opened.app)
        parts = {key: opened.book.sheets[name] for key, name in opened.sheets.items()}
        xml = {key: opened.zf.read(part) for key, part in parts.items()}
        expected = expected_formulas(opened, comp)
        report = Report(path, comp=comp)
        report.mismatches = find_mismatches(opened, expected, xml)
        if report.mismatches and not restore:
            raise _mismatch_error(path, report.mismatches)
        values = cached_values(opened.app, comp)
        new_parts = {}
        for key, part in parts.items():
            data = xml[key]
            fix = {m.cell: (expected[key][m.cell], values[key].get(m.cell, ""))
                   for m in report.mismatches if m.sheet == opened.sheets[key]}
            if fix:
                data, done = package.restore_formulas(data, fix)
                report.restored += len(done)
                lost = set(fix) - done
                if lost:
                    raise InputError("单元格已被删除,无法恢复公式,请重新生成工作簿",
                                     "cells were deleted and cannot be restored; rebuild the "
                                     "workbook", str(path), opened.sheets[key], sorted(lost)[:5])
            data, done = package.patch_values(data, values[key])
            report.cells += len(done)
            new_parts[part] = data
        dest = Path(out) if out else path
        if dest.resolve() != path.resolve():
            package.rewrite(opened.zf, dest, new_parts)
            return report
        report.backup = path.with_name(path.stem + ".bak" + path.suffix)
        shutil.copy2(path, report.backup)
        opened.close()  # Windows cannot replace a file that is still open
        with zipfile.ZipFile(report.backup) as src:
            package.rewrite(src, dest, new_parts)
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
