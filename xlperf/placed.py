"""The appraisal laid over the columns of a table someone else made — what ``xlperf liven`` computes.

A :class:`Placed` answers the questions the appraisal's formulas ask of a layout (where is a key's
cell, which spans of adjacent cells hold a rater's ratings, where are their weights), so the very
same reference computation and formulas of ``appraisal.py`` run on a hand-made form: ratings stay
where HR typed them, the rater-group scores, the check, the total, the grade and the rank go into
the typed result columns or into columns added to the right of the table.

A form has no weights row: the weights of each span of ratings are a row on the 方案 sheet, each
cell ``INDEX(FactorWeight,i)``. A form without an ID column is keyed by the name column. liven
computes no pay, so tenure and months are not asked for (the formulas get the constants that
mean "valid, full period").
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from . import appraisal
from .a1 import column_index, column_letter
from .layout import IDENTITY, rating_key, score_key
from .scheme import Scheme

if TYPE_CHECKING:
    from .ratios import Ratios

#: The result columns a livened table has, left to right when they are added.
RESULTS = ("status", "total", "grade", "rank")
#: Keys a form's columns can hold (inputs) and the results xlperf puts in.
INPUTS = ("employee_id", "name")
#: Constants standing for the inputs liven does not use (no pay: tenure and months are moot).
ABSENT = {"tenure_years": "0", "months_worked": '""'}


def spans(letters: list[str]) -> list[list[str]]:
    """Column letters grouped into runs of adjacent columns, left to right."""
    runs: list[list[str]] = []
    for letter in sorted(set(letters), key=column_index):
        if runs and column_index(letter) == column_index(runs[-1][-1]) + 1:
            runs[-1].append(letter)
        else:
            runs.append([letter])
    return runs


@dataclass(frozen=True)
class Placed:
    """An appraisal table of a hand-made sheet: its rows, and the column of every key."""

    scheme: Scheme  # the workbook's scheme, its raters narrowed to those the table has
    sheet: str
    first: int
    last: int
    letters: dict[str, str]  # key -> column letter (inputs and results)
    weights: dict[tuple[str, str], str] = field(default_factory=dict)  # span keys -> 方案 range
    summary: tuple[str, str, int] | None = None  # ("average"|"sum", column letter, row)

    @property
    def capacity(self) -> int:
        return self.last - self.first + 1

    @property
    def rows(self) -> range:
        return range(self.first, self.last + 1)

    @property
    def rating_keys(self) -> list[str]:
        return [rating_key(r, f) for r, f in self.scheme.rating_columns()]

    def rater_keys(self, rater: str) -> list[str]:
        return [k for k in self.rating_keys if k == rater or k.startswith(rater + ".")]

    @property
    def result_keys(self) -> list[str]:
        return [score_key(r.key) for r in self.scheme.raters] + list(RESULTS)

    def cell(self, key: str, row: int | str = "{r}") -> str:
        if key in self.letters:
            return f"{self.letters[key]}{row}"
        if key in ABSENT:
            return ABSENT[key]
        if key == "employee_id":  # a form without IDs is keyed by its names
            return self.cell("name", row)
        raise KeyError(key)

    def span(self, first: str, last: str, row: int | str = "{r}") -> str:
        return f"{self.cell(first, row)}:{self.cell(last, row)}"

    def weight_span(self, first: str, last: str) -> str:
        return self.weights[(first, last)]

    def _runs(self, keys: list[str]) -> list[list[str]]:
        """``keys`` that have a column, as runs of adjacent columns (each run: its keys)."""
        by_letter = {self.letters[k]: k for k in keys if k in self.letters}
        return [[by_letter[x] for x in run] for run in spans(list(by_letter))]

    def runs(self, keys: list[str]) -> list[str]:
        if "employee_id" in keys and "employee_id" not in self.letters:
            keys = ["name", *keys]
        return [self.span(run[0], run[-1]) for run in self._runs(keys)]

    def weighted_runs(self, keys: list[str]) -> list[tuple[str, str]]:
        return [(self.span(run[0], run[-1]), self.weight_span(run[0], run[-1]))
                for run in self._runs(keys)]

    def column_name(self, key: str) -> str:
        letter = self.cell(key, "").rstrip("0123456789")
        return f"${letter}${self.first}:${letter}${self.last}"

    def weight_runs(self) -> list[list[str]]:
        """Every span of keys whose weights the 方案 sheet holds as a row for this table."""
        out = [run for r in self.scheme.raters for run in self._runs(self.rater_keys(r.key))]
        return out + self._runs([score_key(r.key) for r in self.scheme.raters])


def narrowed(scheme: Scheme, rates: dict[str, list[str]]) -> Scheme:
    """The scheme's raters that the table has, each rating the factors it has columns for (an
    overall score where it has one column): absent raters would only ever be blank."""
    raters = tuple(replace(r, rates=tuple(f for f in (x.key for x in scheme.factors)
                                          if f in rates[r.key]))
                   for r in scheme.raters if r.key in rates)
    return replace(scheme, raters=raters)


def weight_of(scheme: Scheme, key: str) -> tuple[str, float]:
    """The formula and value of one weight cell: a factor's weight above a rating column, a
    rater's weight above a score column, 1 above an overall score."""
    if key.startswith("score."):
        rater = key.removeprefix("score.")
        i = [r.key for r in scheme.raters].index(rater)
        return f"INDEX(RaterWeight,{i + 1})", scheme.raters[i].weight
    factor = key.partition(".")[2]
    if not factor:
        return "1", 1.0
    i = [f.key for f in scheme.factors].index(factor)
    return f"INDEX(FactorWeight,{i + 1})", scheme.factors[i].weight


def column_values(table: "Placed | Ratios", letter: str | None, rows: list[list[object]]
                  ) -> np.ndarray:
    """A column's values over a table's rows, from a sheet's rows of values (0-based lists);
    blanks as None, and all None for a column the table does not have."""
    out = np.full(len(table.rows), None, dtype=object)
    if letter is None:
        return out
    c = column_index(letter) - 1
    for i, r in enumerate(table.rows):
        row = rows[r - 1] if r - 1 < len(rows) else []
        value = row[c] if c < len(row) else None
        out[i] = None if type(value) is str and value == "" else value
    return out


def inputs_of(placed: Placed, rows: list[list[object]]) -> appraisal.Inputs:
    """The input columns of the table, read from a sheet's rows of values (0-based lists)."""
    inputs = {k: column_values(placed, placed.letters.get(k), rows)
              for k in (*IDENTITY, *placed.rating_keys)}
    if "employee_id" not in placed.letters:
        inputs["employee_id"] = inputs["name"]
    present = appraisal.present_rows(placed, inputs)  # type: ignore[arg-type]
    inputs["tenure_years"] = np.where(present, 0.0, None).astype(object)
    return inputs


def added_letters(width: int, keys: list[str]) -> dict[str, str]:
    """Columns for ``keys`` to the right of a sheet ``width`` columns wide."""
    return {key: column_letter(width + 1 + i) for i, key in enumerate(keys)}
