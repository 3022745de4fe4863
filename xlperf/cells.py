"""Raw cell values as every reference reads them — a column of a sheet as an object array (None
for a blank cell) — and the tests the formulas make on them: ISNUMBER, blank, wildcard text, the
band a value reaches (MATCH(…,1)).
"""
from __future__ import annotations

import numpy as np

#: COUNTIF/SUMIF/MATCH read these as wildcards; a text holding one cannot be matched exactly.
WILDCARDS = ("*", "?", "~")


def types_of(raw: np.ndarray) -> np.ndarray:
    """The Python type of each cell value (str, float, int, bool, NoneType)."""
    return np.fromiter(map(type, raw), object, len(raw))


class FormulaBlank(str):
    """A cell whose formula shows "": it equals "" (an ID test ``=""`` holds) yet COUNTA counts
    it — so a hand-made form's formulas read the same in the reference as in the spreadsheet."""


def is_blank(raw: np.ndarray) -> np.ndarray:
    return np.asarray((raw == None) | (raw == ""), bool)  # noqa: E711 (elementwise)


def is_counted(raw: np.ndarray) -> np.ndarray:
    """COUNTA: not blank, or a formula showing "" (looked for among the blanks only: fast)."""
    blank = is_blank(raw)
    out = ~blank
    if blank.any():
        out[blank] = types_of(raw[blank]) == FormulaBlank
    return out


def is_number(raw: np.ndarray) -> np.ndarray:
    """ISNUMBER: ints and floats, not booleans or text that looks like a number."""
    kinds = types_of(raw)
    return np.asarray((kinds == float) | (kinds == int), bool)


def as_float(raw: np.ndarray) -> np.ndarray:
    num = is_number(raw)
    out = np.full(len(raw), np.nan)
    out[num] = raw[num].astype(np.float64)
    return out


def has_wildcard(raw: np.ndarray) -> np.ndarray:
    return np.fromiter((isinstance(v, str) and any(w in v for w in WILDCARDS) for v in raw),
                       bool, len(raw))


def wildcard_test(cell: str) -> str:
    """TRUE when the cell's text holds a wildcard character (FIND itself matches literally)."""
    return "OR(" + ",".join(f'ISNUMBER(FIND("{w}",{cell}))' for w in WILDCARDS) + ")"


def band_index(values: np.ndarray, minimums: list[float]) -> np.ndarray:
    """MATCH(value, minimums, 1) − 1: the last band whose minimum is ≤ value (−1 for NaN)."""
    idx = np.searchsorted(np.asarray(minimums, float), values, side="right") - 1
    return np.where(np.isnan(values), -1, idx)


def band_labels(values: np.ndarray, labels: list[str], minimums: list[float]) -> np.ndarray:
    """The label of the band each value reaches; "" for blank (NaN) values."""
    out = np.array([*labels, ""], dtype=object)
    return out[band_index(np.asarray(values, float), minimums)]
