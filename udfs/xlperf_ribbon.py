"""The xlperf ribbon's macros: each reads the workbook once, computes a plan of edits with xlperf
and applies it through xlwings' Book API — so the same code runs in desktop Excel (RunPython from
the add-in's buttons; ``book`` is the calling workbook) and in Excel on the web or desktop through
the Office.js add-in (``xlperf serve``; xlwings passes the book).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import xlwings as xw

from xlperf import liven, xlbook
from xlperf.errors import InputError

#: xlwings' Office.js decorator, present when xlwings runs as a server; a no-op otherwise.
script = getattr(xw, "script", None) or (lambda f=None, **_kw: f if f else (lambda g: g))


def _book(book: Any) -> Any:
    return book if book is not None else xw.Book.caller()


def _tell(book: Any, zh: str, en: str) -> None:
    """A short message where the user is looking: the status bar (desktop) or an alert (web)."""
    try:
        book.app.status_bar = f"xlperf: {zh} / {en}"
    except Exception:  # noqa: BLE001 - the Office.js engine has no status bar
        try:
            book.app.alert(f"{zh}\n{en}", title="xlperf")
        except Exception:  # noqa: BLE001 - nothing to show it on: the result speaks
            pass


@script
def liven_sheet(book: xw.Book = None) -> None:
    """让当前表格"活"起来 — make the active sheet's table live: the 方案 sheet, the formulas."""
    book = _book(book)
    active = book.sheets.active.name
    try:
        sheets = xlbook.sheets_of(book)
        if any(n.name == "XLPERF_KIND" for n in book.names):
            raise InputError("已是 xlperf 工作簿", "already an xlperf workbook")
        report = liven.report_of(sheets, Path(book.name))
        report.placed = [(f, t) for f, t in report.placed if t.sheet == active]
        if not report.placed:
            raise InputError("当前工作表没有可计算的表格", "no table to make live on this sheet",
                             None, active)
        cells = xlbook.apply(book, liven.plan(report, [s.name for s in sheets]))
    except InputError as err:
        _tell(book, err.message("zh"), err.message("en"))
        return
    _tell(book, f"已写入 {cells} 个公式单元格,手填不符 {len(report.differences)} 处",
          f"{cells} formula cells written; {len(report.differences)} typed results differed")
