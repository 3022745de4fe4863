"""Plans applied to a workbook open in Excel, through xlwings' Book API — the second applier of
DESIGN.md's "edits are plans" (the first patches the package of a file).

Only what both of xlwings' engines support is used — the desktop one (Excel on Windows and macOS,
through COM/AppleScript) and the Office.js one (Excel on the web and desktop, through ``xlperf
serve``): reading values once, then writing values, formulas, sheets and names, never reading back
what was written in the same run. Cells are written a column run at a time, so a 10,000-row
table costs a few calls per column, not one per cell.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .a1 import column_index, split_cell
from .recognize import Sheet


#: Points per character of column width: Office.js measures widths in points, desktop Excel in
#: characters of the default font (7 pixels, 0.75 point each).
POINTS_PER_CHARACTER = 5.25


def office_js(obj: Any) -> bool:
    """Whether ``obj`` (a book or sheet) lives in xlwings' Office.js engine, whose edits are
    actions the client script carries out (rather than desktop Excel's COM/AppleScript)."""
    return hasattr(obj.impl, "append_json_action")


def last_cell(ws: Any) -> tuple[int, int]:
    """(row, column) of the last cell holding a value. Desktop Excel's used range also counts
    cells only formatted — a whole formatted column would mean reading a million rows — so
    there Excel's own Find looks for the last value; Office.js sends values only."""
    if not office_js(ws):
        try:
            values, by_rows, by_columns, previous = -4163, 1, 2, 2
            row = ws.api.Cells.Find("*", LookIn=values, SearchOrder=by_rows,
                                    SearchDirection=previous)
            column = ws.api.Cells.Find("*", LookIn=values, SearchOrder=by_columns,
                                       SearchDirection=previous)
            return (row.Row, column.Column) if row is not None else (1, 1)
        except Exception:  # noqa: BLE001 - macOS's AppleScript API: the used range will do
            pass
    last = ws.used_range.last_cell
    return last.row, last.column


def sheets_of(book: Any, only: Iterable[str] | None = None) -> list[Sheet]:
    """The sheets' values as liven reads a file's (rows from A1; "" for blanks)."""
    out = []
    for ws in book.sheets:
        if only is not None and ws.name not in only:
            continue
        rows, columns = last_cell(ws)
        values = ws.range((1, 1), (rows, columns)).options(ndim=2).value or [[]]
        out.append(Sheet(ws.name, [["" if v is None else v for v in row] for row in values]))
    return out


def set_protection(sheet: Any, on: bool) -> None:
    """Protect or unprotect a sheet (xlperf protects its sheets without a password: formulas
    locked, inputs open). Office.js: an action the client script carries out."""
    if office_js(sheet):
        sheet.impl.append_json_action(func="sheetProtect" if on else "sheetUnprotect")
    elif on:
        sheet.api.Protect(AllowFormattingColumns=True, AllowFormattingRows=True)
    else:
        sheet.api.Unprotect()


def runs(cells: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """Cells grouped into runs down a column, each as (range address, values top to bottom)."""
    by_column: dict[str, list[tuple[int, Any]]] = {}
    for ref, value in cells.items():
        letters, row = split_cell(ref)
        by_column.setdefault(letters, []).append((row, value))
    out = []
    for letters in sorted(by_column, key=column_index):
        column = sorted(by_column[letters])
        start = 0
        for i in range(1, len(column) + 1):
            if i == len(column) or column[i][0] != column[i - 1][0] + 1:
                first, last = column[start][0], column[i - 1][0]
                out.append((f"{letters}{first}:{letters}{last}" if last > first
                            else f"{letters}{first}", [v for _r, v in column[start:i]]))
                start = i
    return out


def write(ws: Any, values: dict[str, Any], formulas: dict[str, str]) -> None:
    """Values and formulas (without "=") into a sheet, a column run per call."""
    for address, column in runs(values):
        ws.range(address).value = [[v] for v in column]
    for address, column in runs(formulas):
        ws.range(address).formula = [["=" + f] for f in column]


def apply(book: Any, plan: Any) -> int:
    """Carry out a liven plan (liven.Plan) in ``book``; the number of formula cells written."""
    book.sheets.add(plan.sheet, after=book.sheets[len(book.sheets) - 1])
    scheme = book.sheets[plan.sheet]
    write(scheme, {ref: c.value for ref, c in plan.scheme_cells.items() if c.formula is None},
          {ref: c.formula for ref, c in plan.scheme_cells.items() if c.formula is not None})
    scale = POINTS_PER_CHARACTER if office_js(book) else 1
    for letter, width in plan.widths.items():
        scheme.range(f"{letter}1").column_width = width * scale
    count = 0
    for name, cells in plan.computed.cells.items():
        ws = book.sheets[name]
        write(ws, plan.headers.get(name, {}), {ref: f for ref, (f, _v) in cells.items()})
        count += len(cells)
    for name, refers_to in plan.names.items():
        book.names.add(name, "=" + refers_to)
    return count




def snapshot(book: Any, dest: Path) -> Path:
    """The book's values and defined names as a values-only .xlsx at ``dest``: what xlperf's
    readers (recalc's, export's) read from a file, read once from the open workbook."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets_of(book):
        ws = wb.create_sheet(sheet.name)
        for row in sheet.rows:
            ws.append([None if v == "" else v for v in row])
    for name in book.names:
        refers_to = name.refers_to.lstrip("=")
        wb.defined_names[name.name] = DefinedName(name.name, attr_text=refers_to)
    wb.save(dest)
    return dest
