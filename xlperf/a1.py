"""A1 references: column letters and cell coordinates, without loading openpyxl.

``recalc`` must start fast, so the modules on its path parse references here.
"""
from __future__ import annotations

import re

_CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def column_letter(index: int) -> str:
    """1 -> 'A', 28 -> 'AB'."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """'A' -> 1, 'AB' -> 28."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def split_cell(ref: str) -> tuple[str, int]:
    """'$AB$12' -> ('AB', 12)."""
    m = _CELL.fullmatch(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return m.group(1), int(m.group(2))
