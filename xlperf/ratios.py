"""The ratios of a KPI table someone else made — 实际值 = 分子 ÷ 分母, 完成率 = 实际值 ÷ 目标值 —
computed where HR typed them, by ``xlperf liven``.

Which typed column becomes which ratio follows from the columns the table has: an actual value
with its numerator and denominator is their ratio; a completion rate is the actual over the target
(or, with no actual column, the numerator over the denominator). Reference and formula are
``kpi.ratio`` and ``kpi.ratio_formula``; a cell that is not a number gives a blank, never an error.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import kpi
from .cells import as_float
from .placed import column_values

#: (result, first, second): result = first ÷ second, tried in this order.
RULES = (("actual", "numerator", "denominator"), ("kpi_value", "actual", "target"),
         ("kpi_value", "numerator", "denominator"))
KEYS = ("numerator", "denominator", "actual", "target", "kpi_value")


@dataclass(frozen=True)
class Ratios:
    """A KPI table of a hand-made sheet: its rows and the column of each of :data:`KEYS` it has."""

    sheet: str
    first: int
    last: int
    letters: dict[str, str]
    summary: None = None  # a KPI table's typed totals stay as they are

    @property
    def rows(self) -> range:
        return range(self.first, self.last + 1)

    def cell(self, key: str, row: int | str = "{r}") -> str:
        return f"{self.letters[key]}{row}"

    @property
    def computed(self) -> dict[str, tuple[str, str]]:
        """Result key -> (first, second) of each ratio the table's columns allow."""
        out: dict[str, tuple[str, str]] = {}
        for result, a, b in RULES:
            if result not in out and {result, a, b} <= set(self.letters):
                out[result] = (a, b)
        return out

    @property
    def result_keys(self) -> list[str]:
        return list(self.computed)


def results(t: Ratios, rows: list[list[object]]) -> dict[str, np.ndarray]:
    """The reference value of every computed column (NaN = blank), in rule order."""
    out: dict[str, np.ndarray] = {}
    for result, (a, b) in t.computed.items():
        first = out[a] if a in out else as_float(column_values(t, t.letters[a], rows))
        out[result] = kpi.ratio(first, as_float(column_values(t, t.letters[b], rows)))
    return out


def result_formulas(t: Ratios) -> dict[str, str]:
    return {result: kpi.ratio_formula(t.cell(a), t.cell(b))
            for result, (a, b) in t.computed.items()}
