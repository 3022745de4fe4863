"""The "book" JSON an Office.js client of xlwings sends with a script call, built from a workbook
file: every sheet's values from A1 (cached values, "" for blanks, dates as ISO text), the defined
names, the active sheet — what ``xw.Book(json=...)`` (xlwings' remote engine) reads."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlwings

from xlperf.a1 import column_letter
from xlperf.package import open_package, read_book
from xlperf.recognize import read_sheets


def _value(v: object) -> object:
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, dt.date):
        return f"{v.isoformat()}T00:00:00.000Z"
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return "" if v is None else v


def book_json(path: Path, active: int = 0) -> dict:
    with open_package(path) as zf:
        book = read_book(zf)
    sheets = read_sheets(path)
    order = list(book.sheets)
    names = []
    for name, (sheet, ref) in book.names.items():
        at = order.index(sheet) if sheet in order else None
        names.append({"name": name, "sheet_index": at,
                      "address": ref.replace("$", "") if at is not None else None,
                      "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True,
                      "refers_to": f"='{sheet}'!{ref}" if sheet else f"={ref}"})
    out = []
    for s in sheets:
        width = max((len(r) for r in s.rows), default=0)
        rows = [[_value(v) for v in row] + [""] * (width - len(row)) for row in s.rows] or [[""]]
        used = f"A1:{column_letter(max(width, 1))}{max(len(s.rows), 1)}"
        out.append({"name": s.name, "values": rows, "used_range_address": used,
                    "visibility": "Visible", "show_gridlines": True, "tables": [],
                    "pictures": [], "shapes": [], "charts": [], "notes": [], "pivot_tables": [],
                    "print_area": None})
    return {"client": "Office.js", "version": xlwings.__version__,
            "book": {"name": path.name, "active_sheet_index": active, "selection": "A1"},
            "names": names, "sheets": out}
