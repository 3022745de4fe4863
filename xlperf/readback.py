"""Reading an xlperf appraisal workbook back: its scheme, its inputs, where its sheets are.

Values come from python-calamine (fast, no full openpyxl load); the sheets and ranges come from the
workbook's defined names and the hidden key row, never from header wording.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import scheme_sheet
from .a1 import column_letter
from .errors import InputError
from .grid import Grid, read_grids
from .layout import FIRST_ROW, IDENTITY, KEY_ROW, Layout
from .package import Book, open_package, read_book
from .table import refuse_error_values
from .validate import check_inputs
from .model import KIND, Appraisal

SCHEME_NAMES = ("FactorKey", "FactorName", "FactorWeight", "LevelLabel", "LevelPoints", "RaterKey",
                "RaterName", "RaterWeight", "RaterRates", "GradeLabel", "GradeMin", "GradeCoef",
                "TenureMin", "TenureCoef", "Budget", "FullMonths")


@dataclass
class Opened:
    """An appraisal workbook as read: the package, its directory, sheet names and the model."""

    path: Path
    zf: zipfile.ZipFile
    book: Book
    sheets: dict[str, str]  # sheet key -> sheet name
    grids: dict[str, Grid]
    app: Appraisal
    scheme_names: dict[str, str]  # where the 方案 tables are in this workbook

    def close(self) -> None:
        self.zf.close()


def constant(book: Book, name: str) -> str | None:
    ref = book.names.get(name)
    return ref[1].strip('"') if ref else None


def locate_sheets(book: Book, path: Path) -> tuple[str, dict[str, str]]:
    """(language, sheet key -> sheet name) of an xlperf appraisal workbook."""
    if constant(book, "XLPERF_KIND") != KIND:
        raise InputError("不是 xlperf 考核工作簿(缺少 XLPERF_KIND 名称)",
                         "not an xlperf appraisal workbook (no XLPERF_KIND name)", str(path),
                         None, None, "由 xlperf new/demo 生成的工作簿",
                         "a workbook made by xlperf new or demo")
    missing = [n for n in (*SCHEME_NAMES, "ColID", "BudgetCents", "DeptList") if n not in book.names]
    if missing:
        raise InputError("工作簿缺少定义名称", "the workbook lacks defined names", str(path), None,
                         missing, "xlperf 写入的全部名称", "every name xlperf wrote")
    lang = constant(book, "XLPERF_LANG") or "zh"
    sheets = {"appraisal": book.sheet_of("ColID"), "scheme": book.sheet_of("FactorWeight"),
              "summary": book.sheet_of("BudgetCents")}
    return lang, sheets


def open_appraisal(path: Path, zf: zipfile.ZipFile | None = None) -> Opened:
    """Read the workbook at ``path`` (``zf``: its package, when already opened and checked);
    bad input rows are refused (InputError)."""
    path = Path(path)
    zf = zf or open_package(path)
    try:
        book = read_book(zf)
        lang, sheets = locate_sheets(book, path)
        grids = read_grids(path, list(sheets.values()))
        grids = {key: grids[name] for key, name in sheets.items()}
        names = {n: ref for n, (sheet, ref) in book.names.items() if sheet == sheets["scheme"]}
        scheme = scheme_sheet.read(grids["scheme"], names, lang, str(path))
        (_, first), (_, last) = Grid.corners(book.names["ColID"][1])
        layout = Layout(scheme, last - first + 1)
        app = _read_inputs(layout, grids["appraisal"], str(path))
        _refuse_error_values(zf.read(book.sheets[sheets["appraisal"]]), layout, str(path),
                             sheets["appraisal"])
        app.departments = [d[0] for d in grids["summary"].block(book.names["DeptList"][1])]
        sheet = sheets["appraisal"]
        check_inputs(layout, app.inputs, str(path),
                     lambda key, i: f"{sheet}!{layout.cell(key, FIRST_ROW + i)}")
    except Exception:
        zf.close()
        raise
    return Opened(path, zf, book, sheets, grids, app, names)


def _refuse_error_values(xml: bytes, layout: Layout, file: str, sheet: str) -> None:
    inputs = {layout.col(k) for k in (*IDENTITY, *layout.rating_keys)}
    refuse_error_values(xml, inputs, FIRST_ROW, layout.last_row, file, sheet, "数值、等级或空白",
                        "a number, a level or a blank")


def _read_inputs(layout: Layout, grid: Grid, file: str) -> Appraisal:
    keys = grid.columns(KEY_ROW, KEY_ROW, len(layout.keys))[0].tolist()
    for i, (found, want) in enumerate(zip(keys, layout.keys)):
        if found != want:
            raise InputError("考核表的列与方案不一致(要素或评价范围改动后需重新生成)",
                             "the appraisal columns do not match the scheme (rebuild after "
                             "changing factors or what raters rate)", file,
                             f"{grid.sheet}!{layout.cell(want, KEY_ROW)}", found, want, want)
    n_inputs = len(IDENTITY) + len(layout.rating_keys)
    below = grid.columns(layout.last_row + 1, len(grid.rows), n_inputs)
    filled = np.argwhere(below != None)  # noqa: E711 (elementwise)
    if len(filled):
        r, c = filled[0]
        ref = f"{column_letter(c + 1)}{layout.last_row + 1 + r}"
        raise InputError("表格下方有数据,但那些行没有公式,不会被计算",
                         "there are entries below the table, in rows without formulas", file,
                         f"{grid.sheet}!{ref}", below[r, c],
                         f"第 {FIRST_ROW}–{layout.last_row} 行内;更多员工请用 xlperf new 以更大的 "
                         "--capacity 重新生成", f"rows {FIRST_ROW}–{layout.last_row}; for more "
                         "employees rebuild with xlperf new and a larger --capacity")
    data = grid.columns(FIRST_ROW, layout.last_row, len(layout.keys))
    inputs = {k: data[:, layout.keys.index(k)].copy() for k in (*IDENTITY, *layout.rating_keys)}
    return Appraisal(layout, inputs, [])
