"""Every scoring rule at and around each breakpoint, both directions: reference = LibreOffice =
formulas. Blank values (no data) score blank; parameters out of order are refused."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from xlperf import engines
from xlperf.errors import InputError
from xlperf.scoring import (DIRECTION_LABELS, DIRECTIONS, RULE_LABELS, RULES, RuleParams, Scores,
                            score, score_formula)

from .conftest import need_formulas, need_libreoffice
from .departments import same

HIGH = dict(threshold=60.0, target=100.0, stretch=120.0)
LOW = dict(threshold=5.0, target=2.0, stretch=0.5)  # an error rate in %: lower is better
AROUND_HIGH = [None, 0, 30, 59.99, 60, 75, 99.99, 100, 110, 119.99, 120, 150]
AROUND_LOW = [None, 8, 5.01, 5, 3.5, 2.01, 2, 1.25, 0.51, 0.5, 0, 0.2]


def cases() -> list[tuple[RuleParams, float | None]]:
    out = []
    for rule in RULES:
        for direction, points, values in (("higher", HIGH, AROUND_HIGH),
                                          ("lower", LOW, AROUND_LOW)):
            params = RuleParams(rule, direction, cap=1.2, deduction=5.0, **points)
            if rule == "deduction" and direction == "lower":
                values = [None, 0, 1, 3, 19, 20, 21, 40]  # complaints counted
            out += [(params, v) for v in values]
    out += [(RuleParams("ratio", "higher", target=80.0, cap=1.2), v) for v in (96, 97, 0)]
    return out


def test_reference_at_the_breakpoints() -> None:
    got = dict(zip(["below", "at-threshold", "mid", "at-target", "above-target", "at-stretch",
                    "beyond"], score([RuleParams("linear", **HIGH)] * 7,
                                     np.array([59.99, 60, 80, 100, 110, 120, 130]))))
    assert got == {"below": 0, "at-threshold": 60, "mid": 80, "at-target": 100,
                   "above-target": 110, "at-stretch": 120, "beyond": 120}
    steps = score([RuleParams("step", "lower", **LOW)] * 5, np.array([6, 5, 3, 2, 0.4]))
    assert steps.tolist() == [0, 80, 80, 100, 120]
    ratio = score([RuleParams("ratio", "lower", target=2.0)] * 3, np.array([4.0, 1.0, 0.0]))
    assert ratio.tolist() == [50, 120, 120]
    assert np.isnan(score([RuleParams("veto", target=1.0)], np.array([np.nan]))[0])
    assert score([RuleParams("deduction", "lower", deduction=5.0)], np.array([30.0]))[0] == 0
    allowed = score([RuleParams("deduction", "lower", target=2.0, deduction=5.0)] * 3,
                    np.array([1.0, 2.0, 5.0]))  # two errors allowed, then 5 points each
    assert allowed.tolist() == [100, 100, 85]
    assert score([RuleParams("deduction", "lower", deduction=5.0)], np.array([3.0]))[0] == 85


@pytest.mark.parametrize("bad", [RuleParams("linear", threshold=100, target=60, stretch=120),
                                 RuleParams("step", "lower", **HIGH),
                                 RuleParams("ratio", target=0.0),
                                 RuleParams("bogus", target=1.0),
                                 RuleParams("deduction", "lower", deduction=-1)])
def test_unusable_parameters_are_refused(bad: RuleParams) -> None:
    with pytest.raises(InputError):
        bad.validated("方案!B7")


def _workbook(path: Path, lang: str) -> list[tuple[RuleParams, float | None]]:
    """A 方案 sheet with the rule names and scores, a KPI sheet with one case per row."""
    wb = openpyxl.Workbook()
    scheme = wb.active
    scheme.title = "方案"
    for i, label in enumerate(RULE_LABELS[lang], 1):
        scheme.cell(i, 1, label)
    scheme["B1"] = DIRECTION_LABELS[lang][1]
    s = Scores()
    for row, (name, value) in enumerate([("ThresholdScore", s.threshold),
                                         ("TargetScore", s.target),
                                         ("StretchScore", s.stretch), ("StepScore", s.step)], 1):
        scheme.cell(row, 3, value)
        wb.defined_names[name] = DefinedName(name, attr_text=f"'方案'!$C${row}")
    wb.defined_names["RuleLabels"] = DefinedName("RuleLabels", attr_text="'方案'!$A$1:$A$5")
    wb.defined_names["LowerLabel"] = DefinedName("LowerLabel", attr_text="'方案'!$B$1")
    ws = wb.create_sheet("KPI")
    all_cases = cases()
    ws.append(["rule", "direction", "threshold", "target", "stretch", "cap", "deduction", "value",
               "score"])
    for r, (p, v) in enumerate(all_cases, 2):
        ws.append([RULE_LABELS[lang][RULES.index(p.rule)],
                   DIRECTION_LABELS[lang][DIRECTIONS.index(p.direction)],
                   p.threshold, p.target, p.stretch, p.cap, p.deduction, v])
        ws[f"I{r}"] = "=" + score_formula(f"H{r}", f"A{r}", f"B{r}", f"C{r}", f"D{r}", f"E{r}",
                                          f"F{r}", f"G{r}")
    wb.save(path)
    return all_cases


def _expected(all_cases: list[tuple[RuleParams, float | None]]) -> list[object]:
    values = np.array([np.nan if v is None else v for _, v in all_cases], float)
    return ["" if x != x else float(x) for x in score([p for p, _ in all_cases], values)]


@pytest.mark.engines
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_libreoffice_scores_like_the_reference(tmp_path: Path, lang: str) -> None:
    need_libreoffice()
    path = tmp_path / "scores.xlsx"
    all_cases = _workbook(path, lang)
    done = engines.recalc_libreoffice(path, tmp_path / "lo")
    rows = engines.read_values(done, "KPI")
    got = [rows[r][8] for r in range(1, 1 + len(all_cases))]
    wrong = [(c, e, g) for c, e, g in zip(all_cases, _expected(all_cases), got) if not same(e, g)]
    assert wrong == []


@pytest.mark.engines
def test_formulas_package_scores_like_the_reference(tmp_path: Path) -> None:
    need_formulas()
    path = tmp_path / "scores.xlsx"
    all_cases = _workbook(path, "zh")
    solved = engines.recalc_formulas(path)
    got = [solved.get(("KPI", f"I{r}")) for r in range(2, 2 + len(all_cases))]
    got = ["" if g is None else g for g in got]
    wrong = [(c, e, g) for c, e, g in zip(all_cases, _expected(all_cases), got) if not same(e, g)]
    assert wrong == []
