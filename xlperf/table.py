"""A table of the kinds' sheets: one record per row, input columns then formula columns, each
column a field behind a defined name — laid out, written and read back.

Rows: title 1, note 2, header 3, a hidden key row 4 (the field names: recalc checks the columns
are where it left them), records from 5. Blank rows compute blank.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .a1 import column_letter
from .errors import InputError
from .fields import Field
from .grid import Grid

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .live import Computed

TITLE_ROW, NOTE_ROW, HEADER_ROW, KEY_ROW, FIRST_ROW = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Table:
    """The columns of a table (in sheet order, from column ``first_col``) and its row count."""

    fields: tuple[Field, ...]
    rows: int
    first_col: int = 1

    def letter(self, name: str) -> str:
        return column_letter(self.first_col + self.index(name))

    def index(self, name: str) -> int:
        for i, f in enumerate(self.fields):
            if f.name == name:
                return i
        raise KeyError(name)

    def cell(self, name: str) -> str:
        """``B{r}``: the column's cell in the row a template is filled into."""
        return f"{self.letter(name)}{{r}}"

    @property
    def last_row(self) -> int:
        return FIRST_ROW + self.rows - 1

    def range(self, name: str) -> str:
        letter = self.letter(name)
        return f"${letter}${FIRST_ROW}:${letter}${self.last_row}"

    def names(self) -> dict[str, str]:
        return {f.name: self.range(f.name) for f in self.fields}

    @property
    def inputs(self) -> list[Field]:
        return [f for f in self.fields if not f.formula]

    def write(self, ws: "Worksheet", title: str, note: str, inputs: dict[str, list[object]],
              computed: "Computed", sheet: str, lang: str,
              labels: dict[str, tuple[str, ...]]) -> None:
        """Header, key row, records and formulas (from ``computed``), styles and validation."""
        from copy import copy

        from . import styles
        from .validation import add_validation
        last_col = column_letter(self.first_col + len(self.fields) - 1)
        ws.cell(TITLE_ROW, 1, title).font = styles.TITLE
        ws.cell(NOTE_ROW, 1, note).font = styles.NOTE
        ws.merge_cells(f"A{NOTE_ROW}:{last_col}{NOTE_ROW}")
        width = sum(f.width for f in self.fields)  # a column of width w holds about w letters
        lines = -(-styles.text_width(note) // int(width))
        ws.row_dimensions[NOTE_ROW].height = 15 * max(2, lines)
        ws.cell(NOTE_ROW, 1).alignment = styles.WRAP
        templates = {c.letter: c.template for c in computed.columns.get(sheet, [])}
        for i, f in enumerate(self.fields):
            col = self.first_col + i
            letter = column_letter(col)
            styles.header(ws.cell(HEADER_ROW, col), f.label(lang))
            ws.cell(KEY_ROW, col, f.name)
            proto = ws.cell(FIRST_ROW, col)
            if f.formula:
                styles.formula_cell(proto, None, f.fmt,
                                    styles.HELPER_FILL if f.helper else styles.FORMULA_FILL)
            else:
                styles.input_cell(proto, None, f.fmt)
                add_validation(ws, f, self.range(f.name).replace("$", ""), lang, labels)
            style = proto._style
            values = inputs.get(f.name, [])
            template = templates.get(letter)
            for r in range(FIRST_ROW, self.last_row + 1):
                c = ws.cell(r, col)
                if f.formula:
                    c.value = "=" + template.replace("{r}", str(r))  # type: ignore[union-attr]
                else:
                    value = values[r - FIRST_ROW] if r - FIRST_ROW < len(values) else None
                    c.value = value
                    if isinstance(value, str) and value.startswith("="):
                        c.data_type = "s"  # typed text such as "=x" stays text
                c._style = copy(style)
            ws.column_dimensions[letter].width = f.width
            if f.helper:
                ws.column_dimensions[letter].outlineLevel = 1
        ws.row_dimensions[KEY_ROW].hidden = True
        lines = max(-(-styles.text_width(f.label(lang)) // max(1, int(f.width) - 1))
                    for f in self.fields)
        ws.row_dimensions[HEADER_ROW].height = 14 * max(2, lines)
        ws.freeze_panes = f"{column_letter(self.first_col + 1)}{FIRST_ROW}"
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        shown = [i for i, f in enumerate(self.fields) if not f.helper]
        ws.print_area = f"A1:{column_letter(self.first_col + shown[-1])}{self.last_row}"
        styles.protect(ws)

    def read(self, grid: Grid, file: str) -> dict[str, np.ndarray]:
        """The input columns' raw values (None = blank), after checking the columns are where
        xlperf put them and nothing was typed below the table."""
        width = self.first_col + len(self.fields) - 1
        keys = grid.columns(KEY_ROW, KEY_ROW, width)[0, self.first_col - 1:].tolist()
        for i, (found, f) in enumerate(zip(keys, self.fields)):
            if found != f.name:
                raise InputError("表格的列与 xlperf 写入的不一致(列被插入、删除或移动?)",
                                 "the table's columns are not where xlperf wrote them "
                                 "(inserted, deleted or moved?)", file,
                                 f"{grid.sheet}!{column_letter(self.first_col + i)}{KEY_ROW}",
                                 found, f.name, f.name)
        cols = [self.first_col - 1 + self.index(f.name) for f in self.inputs]
        below = grid.columns(self.last_row + 1, max(len(grid.rows), self.last_row + 1), width)
        filled = np.argwhere(below[:, cols] != None)  # noqa: E711 (elementwise)
        if len(filled):
            r, c = filled[0]
            ref = f"{column_letter(cols[c] + 1)}{self.last_row + 1 + r}"
            raise InputError("表格下方有数据,但那些行没有公式,不会被计算",
                             "there are entries below the table, in rows without formulas", file,
                             f"{grid.sheet}!{ref}", below[r, cols[c]],
                             f"第 {FIRST_ROW}–{self.last_row} 行内;更多行请用 xlperf new 以更大的 "
                             "--capacity 重新生成", f"rows {FIRST_ROW}–{self.last_row}; for more "
                             "rows rebuild with xlperf new and a larger --capacity")
        data = grid.columns(FIRST_ROW, self.last_row, width)
        return {f.name: data[:, self.first_col - 1 + self.index(f.name)].copy()
                for f in self.inputs}


def rows_of(grid: Grid, name_ref: str) -> int:
    """How many rows a table has in a workbook: from the range of one of its column names."""
    (_, first), (_, last) = Grid.corners(name_ref)
    return last - first + 1


_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*?\st="e"[^>]*>'
                         rb'(?:<f[^>]*(?:/>|>[^<]*</f>))?(?:<v>([^<]*)</v>)?')


def refuse_error_values(xml: bytes, letters: set[str], first: int, last: int, file: str,
                        sheet: str, zh_expected: str, en_expected: str) -> None:
    """An error value (#N/A, #REF!…) pasted into an input reads as a blank: say so instead."""
    if b't="e"' not in xml:  # no error cell at all: one fast search instead of a cell-by-cell one
        return
    wanted = {x.encode() for x in letters}
    for m in _ERROR_CELL.finditer(xml):
        if m.group(1) in wanted and first <= int(m.group(2)) <= last:
            raise InputError("输入单元格含错误值", "an input cell holds an error value", file,
                             f"{sheet}!{m.group(1).decode()}{m.group(2).decode()}",
                             (m.group(3) or b"").decode(), zh_expected, en_expected)
