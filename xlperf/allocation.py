"""Exact split of a budget over points: integer largest remainder (DESIGN.md, "Exact allocation").

With B the budget in cents, p_i the points × 10 000 (integers) and D = Σ p_i:
floor_i = INT(B·p_i / D), r_i = B·p_i − floor_i·D, and the K = B − Σ floor_i leftover cents go one
each to the K largest remainders, earlier rows first on ties, through one threshold cell
LARGE(keys, K) over the unique keys r_i·TIE_BASE + (TIE_BASE − row). Every number stays an integer
below 2^48, so Excel, LibreOffice and ``formulas`` compute it exactly and Σ pay = budget to the cent.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .layout import FIRST_ROW, TIE_BASE, Layout
from .rounding import excel_round

THRESHOLD_NONE = 2.0**53  # above every key: nobody gets an extra cent
EXACT_LIMIT = 2**48  # LibreOffice treats numbers closer than 2^-48 relatively as equal


@dataclass(frozen=True)
class Split:
    """Per-row columns (NaN on blank rows) and the sheet-level cells of one allocation."""

    units: np.ndarray
    floor_cents: np.ndarray
    remainder: np.ndarray
    key: np.ndarray
    pay: np.ndarray
    cents: np.ndarray  # int64, 0 on blank rows
    budget_cents: int
    points_units: int
    floor_total: int
    leftover: int
    threshold: float

    def columns(self) -> dict[str, np.ndarray]:
        return {"units": self.units, "floor_cents": self.floor_cents,
                "remainder": self.remainder, "key": self.key, "pay": self.pay}


def split(budget_cents: int, points: np.ndarray, first_row: int = FIRST_ROW) -> Split:
    """Allocate ``budget_cents`` over ``points`` (NaN = blank row) exactly; rows are sheet rows."""
    valid = ~np.isnan(points)
    p = np.zeros(len(points), np.int64)
    p[valid] = excel_round(points[valid] * 10000, 0).astype(np.int64)
    d = int(p.sum())
    if d * TIE_BASE >= EXACT_LIMIT or budget_cents * int(p.max(initial=0)) >= EXACT_LIMIT:
        raise InputError("点数或预算过大,无法在所有软件中精确分配,请按部门拆分",
                         "points or budget too large for an exact split in every engine; "
                         "split the department", found=d)
    n = budget_cents * p
    floor = n // d if d else np.zeros_like(p)
    rem = n - floor * d
    rows = np.arange(first_row, first_row + len(points), dtype=np.int64)
    key = rem * TIE_BASE + (TIE_BASE - rows)
    leftover = budget_cents - int(floor[valid].sum())
    if leftover > 0 and d:
        threshold = float(np.sort(key[valid])[::-1][leftover - 1])
    else:
        threshold = THRESHOLD_NONE
    cents = np.where(valid, floor + (key >= threshold), 0)

    def blanked(a: np.ndarray) -> np.ndarray:
        return np.where(valid, a.astype(np.float64), np.nan)

    return Split(blanked(p), blanked(floor), blanked(rem), blanked(key), blanked(cents) / 100,
                 cents, budget_cents, d, int(floor[valid].sum()), leftover, threshold)


def row_formulas(layout: Layout) -> dict[str, str]:
    """The per-row cells of the same split, with ``{r}`` for the row."""
    c = layout.cell
    u, f, rem, key = c("units"), c("floor_cents"), c("remainder"), c("key")
    blank = f'IF({u}="","",'
    return {
        "units": f'IF({c("points")}="","",ROUND({c("points")}*10000,0))',
        "floor_cents": f"{blank}IF(PointsUnits=0,0,INT(BudgetCents*{u}/PointsUnits)))",
        "remainder": f"{blank}BudgetCents*{u}-{f}*PointsUnits)",
        "key": f"{blank}{rem}*{TIE_BASE}+{TIE_BASE}-ROW())",
        "pay": f"{blank}({f}+({key}>=Threshold))/100)",
    }


#: (defined name, label key, formula) of the allocation's single cells, in sheet order.
SHEET_CELLS = [
    ("BudgetCents", "summary.budget_cents", "ROUND(Budget*100,0)"),
    ("PointsUnits", "summary.points_units", "SUM(ColUnits)"),
    ("FloorCents", "summary.floor_cents", "SUM(ColFloor)"),
    ("LeftoverCents", "summary.leftover", "BudgetCents-FloorCents"),
    ("Threshold", "summary.threshold",
     "IF(OR(LeftoverCents<=0,PointsUnits=0),2^53,LARGE(ColKey,LeftoverCents))"),
    ("PayTotal", "summary.pay_total", "SUM(ColPay)"),
    ("PayCheck", "summary.pay_check", 'IF(PointsUnits=0,"—",ROUND(PayTotal*100,0)=BudgetCents)'),
]


def sheet_values(s: Split) -> list[object]:
    """The reference values of :data:`SHEET_CELLS`, in the same order."""
    check: object = "—" if s.points_units == 0 else bool(s.cents.sum() == s.budget_cents)
    return [s.budget_cents, s.points_units, s.floor_total, s.leftover, s.threshold,
            int(s.cents.sum()) / 100, check]
