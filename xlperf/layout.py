"""Where everything sits in an appraisal workbook: columns, rows and defined names.

The layout follows from the scheme (one input column per rated factor) and the capacity (rows
ready for employees). A hidden key row names every column, so reading a workbook back never
depends on header wording or language.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


from .a1 import column_letter
from .scheme import Scheme

TITLE_ROW, NOTE_ROW, GROUP_ROW, HEADER_ROW, WEIGHT_ROW, KEY_ROW = 1, 2, 3, 4, 5, 6
FIRST_ROW = 7
DEFAULT_CAPACITY = 300
#: The tie key is remainder × TIE_BASE + (TIE_BASE − ROW()); rows must stay below it.
TIE_BASE = 100_000
MAX_CAPACITY = TIE_BASE - FIRST_ROW - 1

IDENTITY = ("employee_id", "name", "department", "tenure_years", "months_worked")
RESULTS = ("total", "grade", "rank", "gap", "points", "pay", "status")
ALLOCATION = ("units", "floor_cents", "remainder", "key")

#: Defined names of whole data columns (used by formulas and by readers).
COLUMN_NAMES = {"employee_id": "ColID", "department": "ColDept", "total": "ColTotal",
                "grade": "ColGrade", "pay": "ColPay", "status": "ColStatus", "units": "ColUnits",
                "floor_cents": "ColFloor", "key": "ColKey"}


def rating_key(rater: str, factor: str | None) -> str:
    """Column key of a rating input, as in the roster CSV: 'supervisor.knowledge', 'customer'."""
    return f"{rater}.{factor}" if factor else rater


def score_key(rater: str) -> str:
    return f"score.{rater}"


@dataclass(frozen=True)
class Layout:
    scheme: Scheme
    capacity: int = DEFAULT_CAPACITY

    @cached_property
    def keys(self) -> list[str]:
        """Every column key, left to right."""
        ratings = [rating_key(r, f) for r, f in self.scheme.rating_columns()]
        scores = [score_key(r.key) for r in self.scheme.raters]
        return [*IDENTITY, *ratings, *scores, *RESULTS, *ALLOCATION]

    @cached_property
    def letters(self) -> dict[str, str]:
        return {k: column_letter(i + 1) for i, k in enumerate(self.keys)}

    @property
    def rating_keys(self) -> list[str]:
        return [rating_key(r, f) for r, f in self.scheme.rating_columns()]

    @property
    def last_row(self) -> int:
        return FIRST_ROW + self.capacity - 1

    @property
    def rows(self) -> range:
        return range(FIRST_ROW, self.last_row + 1)

    def col(self, key: str) -> str:
        return self.letters[key]

    def cell(self, key: str, row: int | str = "{r}") -> str:
        """A relative reference into the row being rendered, e.g. 'V{r}' or 'V7'."""
        return f"{self.letters[key]}{row}"

    def span(self, first: str, last: str, row: int | str = "{r}") -> str:
        return f"{self.cell(first, row)}:{self.cell(last, row)}"

    def weight_span(self, first: str, last: str) -> str:
        """The same columns in the weights row, row-absolute: 'K$5:O$5'."""
        return f"{self.letters[first]}${WEIGHT_ROW}:{self.letters[last]}${WEIGHT_ROW}"

    def column_range(self, key: str) -> str:
        """Absolute data range of a column, e.g. '$V$7:$V$306'."""
        c = self.letters[key]
        return f"${c}${FIRST_ROW}:${c}${self.last_row}"

    def rater_keys(self, rater: str) -> list[str]:
        return [k for k in self.rating_keys if k == rater or k.startswith(rater + ".")]

    def runs(self, keys: list[str]) -> list[str]:
        """The cells of ``keys`` in the row as spans of adjacent columns: here always one."""
        return [self.span(keys[0], keys[-1])]

    def weighted_runs(self, keys: list[str]) -> list[tuple[str, str]]:
        """(cells, weights) of adjacent ``keys``: here one span, its weights row above."""
        return [(self.span(keys[0], keys[-1]), self.weight_span(keys[0], keys[-1]))]

    def column_name(self, key: str) -> str:
        """The defined name of a whole data column, as formulas refer to it."""
        return COLUMN_NAMES[key]
