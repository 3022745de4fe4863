"""The embedded sample department: about 40 customer-service employees, the same every run.

It shows what real data brings: level labels next to scores, a missing peer or customer score,
an employee with no supervisor rating yet (incomplete: no grade, no pay), part-year months, and two
employees whose points and remainders are equal, so the tie rule of the split decides a cent.
"""
from __future__ import annotations

import numpy as np

from . import allocation, appraisal
from .layout import Layout, rating_key
from .scheme import Scheme
from .model import Appraisal

SEED = 20261128
SIZE = 40
DEMO_BUDGET_CENTS = 186_543_21  # odd on purpose: the split leaves cents to hand out
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
          "明", "超", "秀英", "霞", "平", "刚", "桂英", "晓东", "雨欣", "子涵"]
_DEPTS = ("客服一部", "客服二部", "投诉处理组")
_DEPTS_EN = ("Service 1", "Service 2", "Complaints")


def sample_records(scheme: Scheme, size: int = SIZE, seed: int = SEED) -> list[dict[str, object]]:
    """Employees as roster records (keys as in the CSV), deterministic for a seed."""
    rng = np.random.default_rng(seed)
    labels = [lv.label for lv in scheme.levels]
    depts = _DEPTS if scheme.lang == "zh" else _DEPTS_EN
    records = []
    for i in range(size):
        base = rng.normal(80, 8)
        if scheme.lang == "zh":
            name = _SURNAMES[i % len(_SURNAMES)] + _GIVEN[(i * 7) % len(_GIVEN)]
        else:
            name = f"Employee {i + 1:02d}"
        rec: dict[str, object] = {
            "employee_id": f"KF{1001 + i}", "name": name, "department": depts[i % len(depts)],
            "tenure_years": float(np.round(rng.uniform(0, 14), 1)),
            "months_worked": None if rng.random() > 0.1 else float(rng.integers(6, 12)),
        }
        for rater, factor in scheme.rating_columns():
            score = float(np.clip(np.round(base + rng.normal(0, 6)), 40, 100))
            use_label = rater in ("self", "supervisor") and rng.random() < 0.15
            rec[rating_key(rater, factor)] = labels[int(np.clip((100 - score) // 10, 0, 3))] \
                if use_label else score
        records.append(rec)
    _make_cases(records, scheme)
    return records


def _make_cases(records: list[dict[str, object]], scheme: Scheme) -> None:
    """Plant the cases the demo should show, in fixed rows."""
    # a tie: rows 8 and 9 (sheet rows 14 and 15) identical in everything that decides pay
    twin = dict(records[7])
    twin.update(employee_id=records[8]["employee_id"], name=records[8]["name"])
    records[8] = twin
    # no peer score, no customer score
    records[11]["peer.interpersonal"] = None
    records[12]["customer"] = None
    # incomplete: no supervisor rating yet
    for rater, factor in scheme.rating_columns():
        if rater == "supervisor":
            records[20][rating_key(rater, factor)] = None

TWINS = (7, 8)  # the tied rows of _make_cases, 0-based


def with_deciding_tie(app: Appraisal) -> Appraisal:
    """Nudge the budget up cent by cent until the tie rule decides a cent between the twins.

    The twins have equal points and so equal remainders; the earlier row must get the extra cent
    and the later must not, which shows the tie rule at work in the demo.
    """
    pts = appraisal.compute(app.layout, app.inputs)["points"]
    a, b = TWINS
    for extra in range(100_000):
        cents = app.scheme.budget_cents + extra
        s = allocation.split(cents, pts)
        if s.cents[a] == s.cents[b] + 1:
            app.layout = Layout(app.scheme.with_budget(cents), app.layout.capacity)
            return app
    raise RuntimeError("no budget separates the twins")  # pragma: no cover
