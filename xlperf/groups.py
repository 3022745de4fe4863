"""Rows that belong together — the same department and period, the same person — summed per row,
as SUMPRODUCT((ColA=A5)*(ColB=B5)*ColX) does in the cell: reference and formula side by side.

Excel's "=" between texts ignores case and never equals a number to a text, so the reference keys
rows the same way. SUMPRODUCT of comparisons is used instead of SUMIFS because criteria read
"*", "?" and "~" as wildcards; "=" compares literally in every engine.
"""
from __future__ import annotations

import numpy as np



def fold(text: str) -> str:
    """Text as "=" compares it, ignoring case: each character upper-cased where that gives one
    character (LibreOffice keeps "ß" — Python's "SS" — as it is)."""
    return "".join(u if len(u := ch.upper()) == 1 else ch for ch in text)


def keys(raw: np.ndarray) -> np.ndarray:
    """One comparable key per cell, equal exactly when Excel's "=" says the cells are equal."""
    def key(v: object) -> object:
        if v is None or v == "":
            return ("", "")
        if isinstance(v, bool):
            return ("b", v)
        if isinstance(v, (int, float)):
            return ("n", float(v))
        return ("t", fold(str(v)))
    out = np.empty(len(raw), object)
    out[:] = [key(v) for v in raw.tolist()]
    return out


def group_ids(*columns: np.ndarray) -> np.ndarray:
    """An integer per row, equal for rows whose cells are equal in every column; blank cells
    still compare equal to blank cells, so callers exclude rows they do not count."""
    index: dict[tuple[object, ...], int] = {}
    return np.array([index.setdefault(k, len(index)) for k in zip(*(keys(c) for c in columns))],
                    np.int64)


def group_sum(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per row, the sum of ``values`` over the rows with the same id (rows in sheet order)."""
    totals = np.zeros(ids.max(initial=-1) + 1)
    np.add.at(totals, ids, values)
    return totals[ids]


def group_sum_formula(pairs: list[tuple[str, str]], values: str) -> str:
    """``pairs``: (column range name, this row's cell); ``values``: the column to sum."""
    tests = "*".join(f"({col}={cell})" for col, cell in pairs)
    return f"SUMPRODUCT({tests}*{values})"
