"""Hand-typed results against what the formulas compute: every typed 综合得分 and 等级 (and the
typed average or sum under them) of a table ``xlperf liven`` makes live that differs from the
appraisal's reference — the list finance reads before liven replaces them.

A typed score that rounds to the computed one at 2 decimals agrees; a typed result on a row the
workbook will leave blank (no supervisor rating, a duplicate ID…) differs, with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .a1 import column_index
from .placed import Placed
from .ratios import Ratios
from .vocabulary import normalize

TOLERANCE = 0.005  # a typed score shown with 2 decimals that rounds to the computed one agrees
RATIO_TOLERANCE = 0.0001  # a typed ratio shown as 0.00% (from a rounded actual) agrees


@dataclass(frozen=True)
class Difference:
    sheet: str
    cell: str
    typed: object
    computed: object
    why: str = ""  # the check column's word when the computed result is blank


def _typed(rows: list[list[object]], row: int, letter: str) -> object:
    c = column_index(letter) - 1
    line = rows[row - 1] if row - 1 < len(rows) else []
    value = line[c] if c < len(line) else None
    return None if value == "" or (isinstance(value, str) and not value.strip()) else value


def _agree(typed: object, computed: object, tolerance: float) -> bool:
    if isinstance(computed, float):
        return isinstance(typed, (int, float)) and not isinstance(typed, bool) and \
            abs(typed - computed) <= tolerance
    return normalize(typed) == normalize(computed)


def differences(t: Placed | Ratios, typed: list[str], rows: list[list[object]],
                values: dict[str, np.ndarray], summary: object = None) -> list[Difference]:
    """The typed cells of the columns ``typed`` (total and grade, or ratios) and of the table's
    summary cell that differ from ``values`` (the reference) and ``summary`` (its value)."""
    out: list[Difference] = []
    tolerance = RATIO_TOLERANCE if isinstance(t, Ratios) else TOLERANCE
    for key in typed:
        letter = t.letters[key]
        for i, r in enumerate(t.rows):
            have = _typed(rows, r, letter)
            want = values[key][i]
            want = "" if want is None or (isinstance(want, float) and np.isnan(want)) else want
            if have is None or _agree(have, want if want != "" else None, tolerance):
                continue
            why = str(values["status"][i]) if want == "" and "status" in values else ""
            out.append(Difference(t.sheet, f"{letter}{r}", have,
                                  float(want) if isinstance(want, float) else want, why))
    if t.summary:
        _how, letter, row = t.summary
        have = _typed(rows, row, letter)
        if have is not None and not _agree(have, summary if summary != "" else None, tolerance):
            out.append(Difference(t.sheet, f"{letter}{row}", have, summary))
    return out
