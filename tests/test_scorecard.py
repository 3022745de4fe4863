"""Scorecard totals: weights must make 100%; KPIs without data hand their weight to the others."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from xlperf import scorecard
from xlperf.errors import InputError

from .conftest import both_engines, scratch_sheet
from .departments import same

WEIGHTS = [0.3, 0.25, 0.2, 0.15, 0.1]
ROWS = [[90, 80, 70, 100, 60], [90, None, 70, None, 60], [None] * 5, [120, 0, 85.5, 77.7, 100]]


def test_weights_must_make_100_percent_and_the_message_says_by_how_much() -> None:
    scorecard.check(WEIGHTS)
    with pytest.raises(InputError) as err:
        scorecard.check([0.3, 0.25, 0.2, 0.15, 0.05], "kpi.xlsx", "方案!C5:C9")
    assert "-5%" in err.value.message("zh") and "-5%" in err.value.message("en")
    assert "方案!C5:C9" in err.value.message("en")


def test_missing_kpis_re_spread_their_weight() -> None:
    scores = np.array([[np.nan if v is None else v for v in r] for r in ROWS], float)
    eff = scorecard.effective_weights(scores, np.array(WEIGHTS))
    assert eff[1].tolist() == pytest.approx([0.5, 0, 1 / 3, 0, 1 / 6])
    assert eff[2].tolist() == [0] * 5
    totals = scorecard.total(scores, np.array(WEIGHTS))
    assert totals[1] == 78.33 and np.isnan(totals[2])  # (27 + 14 + 6) ÷ 0.6


@pytest.mark.engines
def test_engines_agree(tmp_path: Path) -> None:
    wb, ws = scratch_sheet()
    ws.append(WEIGHTS)
    for r, row in enumerate(ROWS, 2):
        ws.append(row)
        ws[f"F{r}"] = "=" + scorecard.total_formula(f"A{r}:E{r}", "$A$1:$E$1")
        for c, col in enumerate("GHIJK"):
            src = "ABCDE"[c]
            ws[f"{col}{r}"] = "=" + scorecard.effective_weight_formula(
                f"{src}{r}", f"{src}$1", f"$A{r}:$E{r}", "$A$1:$E$1")
    lo, fo = both_engines(wb, tmp_path / "card.xlsx")
    scores = np.array([[np.nan if v is None else v for v in r] for r in ROWS], float)
    totals = scorecard.total(scores, np.array(WEIGHTS))
    eff = scorecard.effective_weights(scores, np.array(WEIGHTS))
    for i in range(len(ROWS)):
        want = "" if np.isnan(totals[i]) else float(totals[i])
        assert same(want, lo[i + 1][5]) and same(want, fo.get(("S", f"F{i + 2}")) or "")
        for c in range(5):
            assert same(float(eff[i, c]), lo[i + 1][6 + c])
            assert same(float(eff[i, c]), fo[("S", f"{'GHIJK'[c]}{i + 2}")])
