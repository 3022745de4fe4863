"""``xlperf export``: one CSV row per employee, from the workbook's cached values as they are.

Nothing is recomputed, so a file last recalculated by Excel, WPS or LibreOffice reports that
application's numbers. Text cells that a spreadsheet would run as a formula are neutralized.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from .appraisal import present_rows
from .a1 import column_letter
from .errors import InputError
from .grid import Grid
from .layout import FIRST_ROW
from .package import atomic_path
from .readback import open_appraisal

COLUMNS = ("employee_id", "name", "department", "score", "grade", "points", "pay")
SOURCE = {"score": "total"}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


MONEY_LIKE = {"score", "pay"}


def csv_safe(value: object, two_decimals: bool = False) -> str:
    """The cell as CSV text; text starting like a formula gets a leading apostrophe (OWASP).

    With ``two_decimals``, a value that is whole cents prints as 0.00; any other value prints
    in full, so a number another application computed is never silently rounded.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if two_decimals and round(value, 2) == value:
            return f"{value:.2f}"
        return format(value, ".15g")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def export(path: Path, dest: Path) -> int:
    """The results CSV of a workbook of any kind; the number of rows written."""
    from .kinds import XLPERF_KIND_APPRAISAL, XLPERF_KIND_LIVENED, kind_of
    kind = kind_of(Path(path))
    if kind == XLPERF_KIND_APPRAISAL:
        return export_appraisal(path, dest)
    if kind == XLPERF_KIND_LIVENED:
        return export_livened(path, dest)
    return export_kind(path, dest)


def write_csv(dest: Path, header: list[str], rows: list[list[str]]) -> None:
    """UTF-8 with BOM, so Excel opens it in Chinese; written atomically."""
    with atomic_path(Path(dest)) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)


def export_kind(path: Path, dest: Path) -> int:
    """One row per record of the kind's main table, the columns of its ``EXPORT``, from the cached
    values; rows someone typed in but no application recalculated are refused."""
    from .kinds import fields_of, kind_module, open_workbook
    from .styles import MONEY
    opened = open_workbook(Path(path))
    opened.close()
    module = kind_module(opened.kind)
    names = opened.book.names

    def column(field: str) -> tuple[str, list[object]]:
        sheet, ref = names[field]
        key = next(k for k, n in opened.sheets.items() if n == sheet)
        grid = opened.grids[key]
        cells = grid.cells(ref)
        return key, [grid.get(c) for c in cells]

    inputs = [column(f)[1] for f in module.INPUTS]
    present = [i for i in range(len(inputs[0])) if any(col[i] is not None for col in inputs)]
    columns = {head: column(field) for head, field in module.EXPORT.items()}
    if "status" in columns:
        key, status = columns["status"]
        stale = [i for i in present if status[i] is None]
        if stale:
            (c, r0), _ = Grid.corners(names[module.EXPORT["status"]][1])
            raise InputError("有记录没有计算结果(文件未重算)", "a record has no computed result "
                             "(the file was not recalculated)", str(path),
                             f"{opened.sheets[key]}!{column_letter(c)}{r0 + stale[0]}", "",
                             "先用 xlperf recalc 或在 Excel/WPS 中打开保存",
                             "run xlperf recalc, or open and save it in Excel or WPS, first")
    fields = fields_of(module)
    money = [field in fields and fields[field].fmt == MONEY for field in module.EXPORT.values()]
    rows = [[csv_safe(values[i], cents) for (_key, values), cents in zip(columns.values(), money)]
            for i in present]
    write_csv(Path(dest), list(columns), rows)
    return len(rows)


def export_appraisal(path: Path, dest: Path) -> int:
    """Write the results CSV (UTF-8 with BOM, so Excel opens it in Chinese); return the row count.

    The workbook is read and checked like ``recalc`` does (a broken scheme or bad rows are
    refused), but the numbers written are its cached values.
    """
    opened = open_appraisal(Path(path))
    opened.close()
    grid, keys = opened.grids["appraisal"], opened.app.layout.keys
    index = {k: i for i, k in enumerate(keys)}
    layout = opened.app.layout
    data = grid.columns(FIRST_ROW, layout.last_row, len(keys))
    employees = np.flatnonzero(present_rows(layout, opened.app.inputs))
    stale = [i for i in employees if data[i, index["status"]] is None]
    if stale:  # typed in, never recalculated: there is no result to report
        raise _stale(path, f"{grid.sheet}!{layout.cell('status', FIRST_ROW + stale[0])}")
    rows = [[csv_safe(data[i, index[SOURCE.get(c, c)]], c in MONEY_LIKE) for c in COLUMNS]
            for i in employees]
    write_csv(Path(dest), list(COLUMNS), rows)
    return len(rows)


LIVENED_COLUMNS = ("sheet", "row", "employee_id", "name", "score", "grade", "rank", "status")


def _stale(path: Path, where: str) -> InputError:
    """A row typed in but never recalculated: there is no result to report."""
    return InputError("有员工行没有计算结果(文件未重算)", "an employee row has no computed "
                      "result (the file was not recalculated)", str(path), where, "",
                      "先用 xlperf recalc 或在 Excel/WPS 中打开保存",
                      "run xlperf recalc, or open and save it in Excel or WPS, first")


RATIO_COLUMNS = ("sheet", "row", "department", "kpi_name", "numerator", "denominator",
                 "actual", "target", "kpi_value")


def export_livened(path: Path, dest: Path) -> int:
    """One row per employee of every appraisal table ``xlperf liven`` made live, from the cached
    values; the KPI tables' rows go to ``dest`` when there is no appraisal table, else beside it
    (``<name>_kpi.csv``). The number of rows written to ``dest``."""
    from .kinds import open_workbook
    from .placed import Placed, inputs_of
    opened = open_workbook(Path(path))
    opened.close()
    people, records = [], []
    for t in opened.form.tables:
        grid = opened.grids[t.sheet]
        if isinstance(t, Placed):
            present = present_rows(t, inputs_of(t, grid.rows))
            for i in np.flatnonzero(present):
                r = t.first + int(i)
                cell = {key: grid.get(t.cell(key, r)) for key in (
                    "employee_id", "name", "total", "grade", "rank", "status")}
                if cell["status"] is None:
                    raise _stale(path, f"{t.sheet}!{t.cell('status', r)}")
                values = [t.sheet, r, cell["employee_id"], cell["name"], cell["total"],
                          cell["grade"], cell["rank"], cell["status"]]
                people.append([csv_safe(v, c == "score") for v, c in zip(values, LIVENED_COLUMNS)])
            continue
        for r in t.rows:
            values = [grid.get(t.cell(k, r)) if k in t.letters else None
                      for k in RATIO_COLUMNS[2:]]
            if any(v is not None for v in values):
                records.append([csv_safe(v) for v in (t.sheet, r, *values)])
    if people or not records:
        write_csv(Path(dest), list(LIVENED_COLUMNS), people)
        if records:
            write_csv(Path(dest).with_name(f"{Path(dest).stem}_kpi.csv"), list(RATIO_COLUMNS),
                      records)
        return len(people)
    write_csv(Path(dest), list(RATIO_COLUMNS), records)
    return len(records)
