"""Exact split of several pools at once — each department's (or team's, or month's) pool over the
rows of its group, by points — with the integer largest-remainder method of DESIGN.md.

Per row, with P the group's pool in cents, u the row's points × SCALE and U the group's units:
floor = INT(P·u/U), rem = P·u − floor·U, key = rem·TIE_BASE + TIE_BASE − ROW(); the group's
L = P − Σ floor leftover cents go to its L largest keys: a row gets one when fewer than L keys of
its group are larger (SUMPRODUCT over the group, no wildcard-reading criteria). Every number is
an integer below 2^48, so Σ pay = the pool to the cent in every engine. A group without points
keeps its pool undistributed (and the check cell says so).

Reference and formula side by side; the helper columns are named ``<prefix>Units`` … so one sheet
can hold several splits (e.g. two months).
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .fields import Field
from .groups import group_sum_formula
from .layout import TIE_BASE
from .rounding import excel_round

SCALE = 10_000
EXACT_LIMIT = 2**48
PARTS = ("Units", "Floor", "Rem", "Key", "Extra")
_LABELS = {"Units": ("点数×10000", "Points×10000"), "Floor": ("保底(分)", "Floor (cents)"),
           "Rem": ("余数", "Remainder"), "Key": ("排序键", "Sort key"),
           "Extra": ("补1分", "Extra cent")}


def fields(prefix: str, zh: str = "", en: str = "") -> tuple[Field, ...]:
    """The helper columns of one split (grey, grouped, for audit)."""
    return tuple(Field(f"{prefix}{p}", f"{zh}{_LABELS[p][0]}", f"{en}{_LABELS[p][1]}", "0",
                       formula=True, helper=True, width=12) for p in PARTS)


def split(groups: np.ndarray, pool_cents: np.ndarray, points: np.ndarray, rows: np.ndarray,
          file: str | None = None) -> dict[str, np.ndarray]:
    """Cents per row (int64) and the helper columns (float), all rows in sheet order.

    ``groups``: an integer per row; ``pool_cents``: the row's group pool (integers); ``points``:
    NaN where the row takes no part.
    """
    valid = ~np.isnan(points)
    units = np.where(valid, excel_round(np.where(valid, points, 0) * SCALE, 0), 0).astype(np.int64)
    pool = np.asarray(pool_cents, np.int64)
    n_groups = int(groups.max(initial=-1)) + 1
    g_units = np.zeros(n_groups, np.int64)
    np.add.at(g_units, groups, units)
    big = g_units[groups] * TIE_BASE
    if (big >= EXACT_LIMIT).any() or (pool * units >= EXACT_LIMIT).any():
        raise InputError("点数或奖金池过大,无法在所有软件中精确分配,请拆分",
                         "points or pool too large for an exact split in every engine; split it",
                         file, None, int(g_units.max(initial=0)))
    gu = g_units[groups]
    with np.errstate(divide="ignore"):
        floor = np.where(gu > 0, (pool * units) // np.where(gu > 0, gu, 1), 0)
    rem = pool * units - floor * gu
    key = rem * TIE_BASE + TIE_BASE - np.asarray(rows, np.int64)
    g_floor = np.zeros(n_groups, np.int64)
    np.add.at(g_floor, groups, floor)
    leftover = pool - g_floor[groups]
    order = np.lexsort((-key, groups))  # by group, then largest key first
    rank = np.empty(len(key), np.int64)
    starts = np.searchsorted(groups[order], np.arange(n_groups))
    rank[order] = np.arange(len(key)) - starts[groups[order]]
    extra = ((gu > 0) & (rank < leftover)).astype(np.int64)
    cents = np.where(valid, floor + extra, 0)
    return {"Units": units.astype(float), "Floor": floor.astype(float), "Rem": rem.astype(float),
            "Key": key.astype(float), "Extra": extra.astype(float), "cents": cents}


def templates(prefix: str, cell: dict[str, str], pairs: list[tuple[str, str]], points: str,
              pool_cents: str) -> dict[str, str]:
    """The helper columns' formulas; ``cell``: field name -> its cell in the row ("D{r}"),
    ``pairs``: (group column name, this row's cell) for every column that defines the group,
    ``points``: the row's points (blank or text = no part), ``pool_cents``: the row's pool."""
    u, f, k = (cell[f"{prefix}{p}"] for p in ("Units", "Floor", "Key"))
    group_units = group_sum_formula(pairs, f"{prefix}Units")
    return {
        f"{prefix}Units": f"IF(ISNUMBER({points}),ROUND({points}*{SCALE},0),0)",
        f"{prefix}Floor": f"IF({group_units}=0,0,INT({pool_cents}*{u}/{group_units}))",
        f"{prefix}Rem": f"{pool_cents}*{u}-{f}*{group_units}",
        f"{prefix}Key": f"{cell[f'{prefix}Rem']}*{TIE_BASE}+{TIE_BASE}-ROW()",
        f"{prefix}Extra": (f"IF(AND({group_units}>0,{group_sum_formula(pairs, f'({prefix}Key>{k})')}"
                           f"<{pool_cents}-{group_sum_formula(pairs, f'{prefix}Floor')}),1,0)"),
    }


def pay_formula(prefix: str, cell: dict[str, str], points: str) -> str:
    """The row's pay in yuan: blank when the row takes no part."""
    return (f'IF(ISNUMBER({points}),({cell[f"{prefix}Floor"]}+{cell[f"{prefix}Extra"]})/100,"")')
