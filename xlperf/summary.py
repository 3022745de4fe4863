"""The 汇总 (Summary) sheet: head counts, grade distribution, averages by department, the split check.

Every figure is a formula over the appraisal columns' defined names, computed here a second time
by the reference, side by side, so the cached values equal what any spreadsheet computes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from typing import TYPE_CHECKING

from .allocation import SHEET_CELLS, Split, sheet_values
from .labels import text
from .layout import Layout
from .rounding import excel_round

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DEPT_SLOTS = 20
GRADE_ROW = 10  # first grade row; the department table starts on the same row
DEPT_COL = "E"

Cells = dict[str, tuple[str, object]]  # cell -> (formula, value)


@dataclass(frozen=True)
class Positions:
    """Where the summary's blocks sit for a scheme with ``grades`` grades and ``slots`` departments."""

    grades: int
    slots: int

    @property
    def alloc_row(self) -> int:
        return GRADE_ROW + self.grades + 2

    @property
    def dept_rows(self) -> range:
        return range(GRADE_ROW, GRADE_ROW + self.slots)

    @property
    def unlisted_row(self) -> int:
        return GRADE_ROW + self.slots


def _blank(v: float) -> object:
    return "" if np.isnan(v) else float(v)


def compute(layout: Layout, columns: dict[str, np.ndarray], split: Split,
            departments: list[str | None], dept_raw: np.ndarray) -> Cells:
    """Formula and reference value of every summary cell, keyed by cell."""
    lang, sch = layout.scheme.lang, layout.scheme
    pos = Positions(len(sch.grades), len(departments))
    status, totals, grades = columns["status"], columns["total"], columns["grade"]
    ok = text("status.ok", lang)
    headcount = int(np.count_nonzero(status != ""))
    complete = int(np.count_nonzero(status == ok))
    valid = totals[~np.isnan(totals)]
    cells: Cells = {
        "B3": ("ROWS(ColStatus)-COUNTBLANK(ColStatus)", headcount),
        "B4": (f'COUNTIF(ColStatus,"{ok}")', complete),
        "B5": ("B3-B4", headcount - complete),
        "B6": ('IFERROR(ROUND(AVERAGE(ColTotal),2),"")',
               _blank(excel_round(valid.mean(), 2)) if len(valid) else ""),
    }
    n = len(sch.grades)
    for i, g in enumerate(reversed(sch.grades)):
        row = GRADE_ROW + i
        count = int(np.count_nonzero(np.char.lower(grades.astype(str)) == g.label.lower()))
        share = _blank(excel_round(count / complete, 4)) if complete else ""
        cells[f"A{row}"] = (f"INDEX(GradeLabel,{n - i})", g.label)
        cells[f"B{row}"] = (f"COUNTIF(ColGrade,A{row})", count)
        cells[f"C{row}"] = (f'IF($B$4=0,"",ROUND(B{row}/$B$4,4))', share)
    for i, ((_, _, formula), value) in enumerate(zip(SHEET_CELLS, sheet_values(split))):
        cells[f"B{pos.alloc_row + 1 + i}"] = (formula, value)
    dept_key = np.char.lower(np.array([str(d) if d is not None else "" for d in dept_raw]))
    listed = 0
    for row, dept in zip(pos.dept_rows, departments):
        d = f"{DEPT_COL}{row}"
        if dept:
            match = dept_key == str(dept).lower()
            count = int(np.count_nonzero(match))
            listed += count
            scored = totals[match & ~np.isnan(totals)]
            avg = _blank(excel_round(scored.mean(), 2)) if len(scored) else ""
            pay = float(excel_round(split.cents[match].sum() / 100, 2))
            values: tuple[object, object, object] = (count, avg, pay)
        else:
            values = ("", "", "")
        cells[f"F{row}"] = (f'IF({d}="","",COUNTIF(ColDept,{d}))', values[0])
        cells[f"G{row}"] = (f'IF({d}="","",IFERROR(ROUND(AVERAGEIF(ColDept,{d},ColTotal),2),""))',
                            values[1])
        cells[f"H{row}"] = (f'IF({d}="","",ROUND(SUMIF(ColDept,{d},ColPay),2))', values[2])
    present = int(np.count_nonzero(dept_key != ""))
    first, last = pos.dept_rows[0], pos.dept_rows[-1]
    cells[f"F{pos.unlisted_row}"] = (f"COUNTA(ColDept)-SUM(F{first}:F{last})", present - listed)
    return cells


def names(layout: Layout, slots: int) -> dict[str, str]:
    """Defined names on this sheet: the allocation's single cells and the department list."""
    pos = Positions(len(layout.scheme.grades), slots)
    rows = pos.dept_rows
    out = {name: f"$B${pos.alloc_row + 1 + i}" for i, (name, _, _) in enumerate(SHEET_CELLS)}
    out["DeptList"] = f"${DEPT_COL}${rows[0]}:${DEPT_COL}${rows[-1]}"
    return out


def write(ws: "Worksheet", layout: Layout, departments: list[str | None], cells: Cells) -> None:
    """Labels, department inputs, styled formula cells and the grade chart."""
    from openpyxl.chart import BarChart, Reference  # openpyxl only when a workbook is written

    from . import styles
    lang = layout.scheme.lang
    t = lambda key: text(key, lang)  # noqa: E731
    pos = Positions(len(layout.scheme.grades), len(departments))
    ws["A1"].value, ws["A1"].font = f"{layout.scheme.title} — {t('summary.title')}", styles.TITLE
    for row, key in zip(range(3, 7), ("summary.headcount", "summary.complete",
                                      "summary.incomplete", "summary.average")):
        styles.label_cell(ws.cell(row, 1), t(key), styles.HEADER)
    ws.cell(GRADE_ROW - 2, 1, t("summary.grades")).font = styles.SECTION
    for col, key in zip("ABC", ("grade", "summary.count", "summary.share")):
        styles.header(ws[f"{col}{GRADE_ROW - 1}"], t(key))
    ws.cell(pos.alloc_row, 1, t("summary.alloc")).font = styles.SECTION
    for i, (_, label, _) in enumerate(SHEET_CELLS):
        styles.label_cell(ws.cell(pos.alloc_row + 1 + i, 1), t(label), styles.HEADER)
    ws[f"{DEPT_COL}{GRADE_ROW - 2}"].value = t("summary.departments")
    ws[f"{DEPT_COL}{GRADE_ROW - 2}"].font = styles.SECTION
    for col, key in zip("EFGH", ("department", "summary.count", "summary.dept_avg",
                                 "summary.dept_pay")):
        styles.header(ws[f"{col}{GRADE_ROW - 1}"], t(key))
    for row, dept in zip(pos.dept_rows, departments):
        styles.input_cell(ws[f"{DEPT_COL}{row}"], dept)
    styles.label_cell(ws[f"{DEPT_COL}{pos.unlisted_row}"], t("summary.unlisted"), styles.HEADER)
    formats = {"B6": styles.SCORE}
    for ref, (formula, _value) in cells.items():
        col = ref[0]
        fmt = {"C": styles.PERCENT.replace("0%", "0.0%"), "G": styles.SCORE,
               "H": styles.MONEY}.get(col) or formats.get(ref)
        styles.formula_cell(ws[ref], formula, fmt)
    alloc_formats = [styles.INTEGER, styles.INTEGER, styles.INTEGER, styles.INTEGER,
                     styles.INTEGER, styles.MONEY, None]
    for i, fmt in enumerate(alloc_formats):
        if fmt:
            ws[f"B{pos.alloc_row + 1 + i}"].number_format = fmt
    for col, width in zip("ABCDEFGH", (26, 16, 10, 3, 30, 10, 12, 16)):
        ws.column_dimensions[col].width = width
    chart = BarChart()
    chart.type, chart.title, chart.legend = "col", t("summary.chart"), None
    n = len(layout.scheme.grades)
    chart.add_data(Reference(ws, min_col=2, min_row=GRADE_ROW - 1, max_row=GRADE_ROW + n - 1),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=GRADE_ROW, max_row=GRADE_ROW + n - 1))
    chart.height, chart.width = 7, 12
    ws.add_chart(chart, "J3")
    ws.protection.sheet = True
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

