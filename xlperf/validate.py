"""Input rules for employee rows, shared by the roster CSV and the workbook read back.

The workbook itself rejects bad entries through data validation and flags pasted ones in its
check column; Python refuses them outright, naming the row or cell, the value and what it expects.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .appraisal import Inputs, Ratings, normalized_ids, present_rows
from .cells import as_float, has_wildcard, is_blank
from .errors import InputError
from .layout import Layout

#: Turns (column key, row index) into a place people can find: "考核表!K12" or "row 5, column x".
Locate = Callable[[str, int], str]


def check_inputs(layout: Layout, inputs: Inputs, file: str, locate: Locate) -> None:
    """Raise InputError at the first bad value of any employee row."""
    sch = layout.scheme
    present = present_rows(layout, inputs)
    labels = "/".join(lv.label for lv in sch.levels)

    def fail(key: str, i: int, zh: str, en: str, exp_zh: str, exp_en: str) -> None:
        found = inputs[key][i]  # a blank shows as '': None would leave the value out
        raise InputError(zh, en, file, locate(key, i), "" if found is None else found, exp_zh,
                         exp_en)

    ids = inputs["employee_id"]
    for i in np.flatnonzero(present & is_blank(ids)):
        fail("employee_id", i, "缺少工号", "missing employee ID", "非空工号", "an employee ID")
    for i in np.flatnonzero(present & has_wildcard(ids)):
        fail("employee_id", i, "工号含通配符 * ? ~,表格无法精确比对", "the employee ID holds a "
             "wildcard (* ? ~) that spreadsheet matching cannot compare exactly",
             "不含 * ? ~ 的工号", "an ID without * ? ~")
    norm = normalized_ids(ids)
    seen: dict[str, int] = {}
    for i in np.flatnonzero(present):
        first = seen.setdefault(norm[i], i)
        if first != i:
            fail("employee_id", i, f"工号重复(与 {locate('employee_id', first)} 相同)",
                 f"duplicate employee ID (same as {locate('employee_id', first)})",
                 "唯一的工号", "a unique employee ID")
    for key in layout.rating_keys:
        for i in np.flatnonzero(present & Ratings.of(inputs[key], layout).invalid):
            fail(key, i, "评分无效", "invalid rating", f"0–100 的数或 {labels}",
                 f"a number 0–100 or one of {labels}")
    tenure = as_float(inputs["tenure_years"])
    for i in np.flatnonzero(present & ~(tenure >= 0)):
        fail("tenure_years", i, "工龄无效", "invalid tenure", "≥ 0 的年数", "years ≥ 0")
    months_raw = inputs["months_worked"]
    months = as_float(months_raw)
    bad = present & ~is_blank(months_raw) & ~((months >= 0) & (months <= sch.full_months))
    for i in np.flatnonzero(bad):
        fail("months_worked", i, "出勤月数无效", "invalid months worked",
             f"0–{sch.full_months} 或空白", f"0–{sch.full_months} or blank")
