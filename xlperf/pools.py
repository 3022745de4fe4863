"""Exact split of several pools at once — each department's (or team's, or month's) pool over the
rows of its group, by points — with the integer largest-remainder method of DESIGN.md.

Per row, with P the group's pool in cents, u the row's points × scale (:data:`SCALE` unless the
caller's points have fewer decimals) and U the group's units:
floor = INT(P·u/U), rem = P·u − floor·U, key = rem·TIE_BASE + TIE_BASE − ROW(); the group's
L = P − Σ floor leftover cents go to its L largest keys: a row gets one when fewer than L keys of
its group are larger (SUMPRODUCT over the group, no wildcard-reading criteria). Every number is
an integer below 2^48 (LibreOffice takes numbers closer than 2^-48 relatively for equal), so
Σ pay = the pool to the cent in every engine; a split that would exceed it is refused, naming the
group when the caller says where it is. A group without points keeps its pool undistributed (and
the check cell says so).

Reference and formula side by side; the helper columns are named ``<prefix>Units`` … so one sheet
can hold several splits (e.g. two months).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .errors import InputError
from .fields import Field
from .groups import group_sum_formula
from .layout import TIE_BASE
from .rounding import excel_round

SCALE = 10_000
EXACT_LIMIT = 2**48
PARTS = ("Units", "Floor", "Rem", "Key", "Extra")
_LABELS = {"Units": ("点数×", "Points×"), "Floor": ("保底(分)", "Floor (cents)"),
           "Rem": ("余数", "Remainder"), "Key": ("排序键", "Sort key"),
           "Extra": ("补1分", "Extra cent")}


def fields(prefix: str, zh: str = "", en: str = "", scale: int = SCALE) -> tuple[Field, ...]:
    """The helper columns of one split (grey, grouped, for audit)."""
    return tuple(Field(f"{prefix}{p}", f"{zh}{_LABELS[p][0]}{scale if p == 'Units' else ''}",
                       f"{en}{_LABELS[p][1]}{scale if p == 'Units' else ''}", "0",
                       formula=True, helper=True, width=12) for p in PARTS)


def split(groups: np.ndarray, pool_cents: np.ndarray, points: np.ndarray, rows: np.ndarray,
          file: str | None = None, scale: int = SCALE,
          where: Callable[[int], str] | None = None) -> dict[str, np.ndarray]:
    """Cents per row (int64) and the helper columns (float), all rows in sheet order.

    ``groups``: an integer per row; ``pool_cents``: the row's group pool (integers); ``points``:
    NaN where the row takes no part, else a multiple of 1/``scale``; ``where``: the place of a
    group (by its number) for the refusal of a split too large to be exact.
    """
    valid = ~np.isnan(points)
    units = np.where(valid, excel_round(np.where(valid, points, 0) * scale, 0), 0).astype(np.int64)
    pool = np.asarray(pool_cents, np.int64)
    n_groups = int(groups.max(initial=-1)) + 1
    g_units = np.zeros(n_groups, np.int64)
    np.add.at(g_units, groups, units)
    _refuse_inexact(groups, pool, units, g_units, scale, file, where)
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


def _refuse_inexact(groups: np.ndarray, pool: np.ndarray, units: np.ndarray,
                    g_units: np.ndarray, scale: int, file: str | None,
                    where: Callable[[int], str] | None) -> None:
    """Refuse a split with a number of 2^48 or more (its sort keys, or a pool × a row's units):
    the first such group in sheet order, what is too large, the limit and what to do."""
    too_many = g_units.astype(float) * TIE_BASE >= EXACT_LIMIT  # float: no int64 overflow
    too_big = pool.astype(float) * units >= EXACT_LIMIT
    bad = too_many[groups] | too_big
    if not bad.any():
        return
    row = int(np.argmax(bad))
    group = int(groups[row])
    place = where(group) if where else None
    if too_many[group]:
        limit = EXACT_LIMIT // (TIE_BASE * scale)
        raise InputError(
            f"点数合计过大(须小于 {limit:,}),无法在所有软件中精确分配;请按比例缩小这些点数"
            "(如都除以 10)或拆分该组",
            f"the points add up to too much (the total must stay below {limit:,}) for an exact "
            "split in every engine; scale these points down proportionally (e.g. all divided "
            "by 10) or split the group", file, place, float(g_units[group] / scale))
    limit = EXACT_LIMIT // (100 * scale)
    raise InputError(
        f"奖金池(元)× 个人点数过大(须小于 {limit:,}),无法在所有软件中精确分配;请按比例缩小这些"
        "点数(如都除以 10)或拆分奖金池",
        f"the pool (in yuan) × a person's points is too large (it must stay below {limit:,}) "
        "for an exact split in every engine; scale these points down proportionally (e.g. all "
        "divided by 10) or split the pool", file, place,
        f"{pool[row] / 100:,.2f} × {float(units[row] / scale)}")


def templates(prefix: str, cell: dict[str, str], pairs: list[tuple[str, str]], points: str,
              pool_cents: str, scale: int = SCALE) -> dict[str, str]:
    """The helper columns' formulas; ``cell``: field name -> its cell in the row ("D{r}"),
    ``pairs``: (group column name, this row's cell) for every column that defines the group,
    ``points``: the row's points (blank or text = no part), ``pool_cents``: the row's pool."""
    u, f, k = (cell[f"{prefix}{p}"] for p in ("Units", "Floor", "Key"))
    group_units = group_sum_formula(pairs, f"{prefix}Units")
    return {
        f"{prefix}Units": f"IF(ISNUMBER({points}),ROUND({points}*{scale},0),0)",
        f"{prefix}Floor": f"IF({group_units}=0,0,INT({pool_cents}*{u}/{group_units}))",
        f"{prefix}Rem": f"{pool_cents}*{u}-{f}*{group_units}",
        f"{prefix}Key": f"{cell[f'{prefix}Rem']}*{TIE_BASE}+{TIE_BASE}-ROW()",
        f"{prefix}Extra": (f"IF(AND({group_units}>0,{group_sum_formula(pairs, f'({prefix}Key>{k})')}"
                           f"<{pool_cents}-{group_sum_formula(pairs, f'{prefix}Floor')}),1,0)"),
    }


def pay_formula(prefix: str, cell: dict[str, str], points: str) -> str:
    """The row's pay in yuan: blank when the row takes no part."""
    return (f'IF(ISNUMBER({points}),({cell[f"{prefix}Floor"]}+{cell[f"{prefix}Extra"]})/100,"")')
