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


def sheets_of(book: Any, only: Iterable[str] | None = None) -> list[Sheet]:
    """The sheets' values as liven reads a file's (rows from A1; "" for blanks)."""
    out = []
    for ws in book.sheets:
        if only is not None and ws.name not in only:
            continue
        last = ws.used_range.last_cell
        values = ws.range((1, 1), (last.row, last.column)).options(ndim=2).value or [[]]
        out.append(Sheet(ws.name, [["" if v is None else v for v in row] for row in values]))
    return out


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
    for letter, width in plan.widths.items():
        scheme.range(f"{letter}1").column_width = width
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
