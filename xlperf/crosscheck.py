"""Hand-typed results against what the formulas will compute: for an appraisal table found in a
hand-made form, every typed 综合得分 and 等级 (and the typed average or sum under them) that differs
from the appraisal's reference — the list finance reads before ``xlperf liven`` replaces them.

The scheme is the default one (DESIGN.md) narrowed to the raters and factors the table has: a rater
with factor columns rates those factors; a rater with one column gives one overall score. Level
words count as their points, a missing rater's weight is re-spread — as in the live workbook.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from . import appraisal
from .a1 import column_index
from .layout import IDENTITY, Layout
from .recognize import Found, Sheet
from .scheme import default_scheme
from .vocabulary import normalize

AVERAGE_WORDS = {normalize(w) for w in ("平均", "平均分", "平均值", "average", "mean")}
TOLERANCE = 0.005  # a typed score shown with 2 decimals that rounds to the computed one agrees


@dataclass(frozen=True)
class Difference:
    sheet: str
    cell: str
    typed: object
    computed: object


def _column(sheet: Sheet, letter: str, rows: range) -> np.ndarray:
    col = column_index(letter)
    out = np.empty(len(rows), object)
    out[:] = [sheet.get(r, col) for r in rows]
    return out


def differences(sheet: Sheet, found: Found, lang: str = "zh") -> list[Difference]:
    """Typed totals and grades of ``found`` (an appraisal table of ``sheet``) that differ."""
    if found.kind != "appraisal":
        return []
    ratings: dict[str, dict[str, str]] = {}  # rater -> factor -> column letter
    for letter, role in found.roles.items():
        if role.startswith("rating:"):
            _, rater, factor = role.split(":")
            ratings.setdefault(rater, {})[factor] = letter
    if "supervisor" not in ratings:
        return []  # no supervisor score: the appraisal gives no total to compare with
    base = default_scheme(lang)
    raters = tuple(replace(r, rates=tuple(f for f in ratings[r.key] if f != "overall"))
                   if r.key in ratings else r for r in base.raters)
    layout = Layout(replace(base, raters=raters), found.rows[1] - found.rows[0] + 1)
    rows = range(found.rows[0], found.rows[1] + 1)
    present = np.array([any(sheet.get(r, column_index(c)) is not None for c in found.roles)
                        for r in rows])
    inputs: appraisal.Inputs = {k: np.full(len(rows), None, object) for k in IDENTITY}
    inputs["employee_id"] = np.where(present, [f"row{r}" for r in rows], None).astype(object)
    inputs["tenure_years"] = np.where(present, 0.0, None).astype(object)
    for key in layout.rating_keys:
        rater, _, factor = key.partition(".")
        letter = ratings.get(rater, {}).get(factor or "overall")
        inputs[key] = _column(sheet, letter, rows) if letter else np.full(len(rows), None, object)
    computed = appraisal.compute(layout, inputs)
    by_role = {role: letter for letter, role in found.roles.items()}
    out: list[Difference] = []
    totals = computed["total"]
    if "total" in by_role:
        letter = by_role["total"]
        for r, typed, value in zip(rows, _column(sheet, letter, rows), totals):
            if typed is not None and not np.isnan(value) and not (
                    isinstance(typed, (int, float)) and abs(typed - value) <= TOLERANCE):
                out.append(Difference(sheet.name, f"{letter}{r}", typed, float(value)))
        if found.totals_row:
            _typed_summary(sheet, found, letter, totals, out)
    if "grade" in by_role:
        letter = by_role["grade"]
        for r, typed, value in zip(rows, _column(sheet, letter, rows), computed["grade"]):
            if typed is not None and value and normalize(typed) != normalize(value):
                out.append(Difference(sheet.name, f"{letter}{r}", typed, value))
    return out


def _typed_summary(sheet: Sheet, found: Found, letter: str, totals: np.ndarray,
                   out: list[Difference]) -> None:
    """The typed average (or sum) under the totals column against the computed totals'."""
    row = found.totals_row
    assert row is not None
    lead = next((v for c in range(1, sheet.width + 1) if (v := sheet.get(row, c)) is not None),
                None)
    typed = sheet.get(row, column_index(letter))
    values = totals[~np.isnan(totals)]
    if not isinstance(typed, (int, float)) or not len(values):
        return
    want = float(values.mean()) if normalize(lead) in AVERAGE_WORDS else float(values.sum())
    if abs(typed - want) > TOLERANCE:
        out.append(Difference(sheet.name, f"{letter}{row}", typed, round(want, 2)))
