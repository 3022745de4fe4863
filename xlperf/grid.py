"""A sheet's cell values as a grid addressed by A1 references, read fast with python-calamine.

Blank cells read as None; errors name the file, the sheet and the cell.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from python_calamine import CalamineWorkbook

from .a1 import column_index, column_letter, split_cell
from .errors import InputError


@dataclass
class Grid:
    rows: list[list[object]]
    file: str
    sheet: str

    @staticmethod
    def corners(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
        """'B3:D9' -> ((2, 3), (4, 9)), 1-based (column, row)."""
        first, _, last = ref.replace("$", "").partition(":")
        out = []
        for part in (first, last or first):
            letters, row = split_cell(part)
            out.append((column_index(letters), row))
        return out[0], out[1]

    def get(self, ref: str) -> object:
        (c, r), _ = self.corners(ref)
        try:
            value = self.rows[r - 1][c - 1]
        except IndexError:
            return None
        return None if value == "" else value

    def block(self, ref: str) -> list[list[object]]:
        (c1, r1), (c2, r2) = self.corners(ref)
        return [[self.get(f"{column_letter(c)}{r}") for c in range(c1, c2 + 1)]
                for r in range(r1, r2 + 1)]

    @staticmethod
    def cells(ref: str) -> list[str]:
        """'C5:C7' -> ['C5', 'C6', 'C7'] (row by row)."""
        (c1, r1), (c2, r2) = Grid.corners(ref)
        return [f"{column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

    def columns(self, first_row: int, last_row: int, width: int) -> np.ndarray:
        """Rows first_row..last_row, columns 1..width, as an object array; blanks as None."""
        pad = [None] * width
        block = [(row + pad)[:width] for row in self.rows[first_row - 1:last_row]]
        block += [pad] * (last_row - first_row + 1 - len(block))
        arr = np.array(block, dtype=object).reshape(-1, width)
        arr[arr == ""] = None
        return arr

    def number(self, ref: str, value: object) -> float:
        """A number the scheme needs; a blank or text cell is an error naming the cell."""
        if type(value) in (int, float):
            return float(value)
        raise InputError("此单元格须为数字", "this cell must be a number", self.file,
                         f"{self.sheet}!{ref}", value, "数字", "a number")


def read_grids(path: Path, sheets: list[str]) -> dict[str, Grid]:
    """Values of the named sheets, from A1, cached formula results included."""
    wb = CalamineWorkbook.from_path(str(path))
    out = {}
    for name in sheets:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out[name] = Grid(rows, str(path), name)
    return out
