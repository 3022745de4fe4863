"""Several pools split at once, each over its group's rows: Σ pay = each pool to the cent, ties to
the earlier row, a group without points keeps its pool; reference = LibreOffice = formulas."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from openpyxl.workbook.defined_name import DefinedName

from xlperf import pools
from xlperf.errors import InputError
from xlperf.groups import group_ids

from .conftest import both_engines, scratch_sheet
from .departments import same

GROUPS = ["内科", "外科", "内科", "外科", "内科", "外科", "儿科", "内科", "儿科", "内科"]
POINTS = [1.0, 2.5, 1.0, 2.5, None, 0.3333, 0, 1.0, 0, "x"]
POOLS = {"内科": 100.00, "外科": 0.05, "儿科": 77.77}  # 儿科: nobody has points
FIRST = 2


def reference() -> dict[str, np.ndarray]:
    points = np.array([p if isinstance(p, float | int) else np.nan for p in POINTS], float)
    cents = np.array([round(POOLS[g] * 100) for g in GROUPS], np.int64)
    return pools.split(group_ids(np.array(GROUPS, object)), cents, points,
                       np.arange(FIRST, FIRST + len(GROUPS)))


def test_each_pool_is_split_exactly() -> None:
    got = reference()
    by_group: dict[str, int] = {}
    for g, c in zip(GROUPS, got["cents"].tolist()):
        by_group[g] = by_group.get(g, 0) + c
    assert by_group == {"内科": 10000, "外科": 5, "儿科": 0}
    assert got["cents"].tolist()[:4] == [3334, 3, 3333, 2]  # the earlier row wins the tie


@pytest.mark.engines
def test_engines_agree(tmp_path: Path) -> None:
    wb, ws = scratch_sheet()
    names = ["PUnits", "PFloor", "PRem", "PKey", "PExtra"]
    cell = {n: f"{'DEFGH'[i]}{{r}}" for i, n in enumerate(names)}
    last = FIRST + len(GROUPS) - 1
    for i, n in enumerate(names):
        wb.defined_names[n] = DefinedName(n, attr_text=f"S!${'DEFGH'[i]}${FIRST}:${'DEFGH'[i]}${last}")
    wb.defined_names["ColGroup"] = DefinedName("ColGroup", attr_text=f"S!$A${FIRST}:$A${last}")
    t = pools.templates("P", cell, [("ColGroup", "A{r}")], "B{r}", "C{r}")
    for r, (g, p) in enumerate(zip(GROUPS, POINTS), FIRST):
        ws[f"A{r}"], ws[f"B{r}"], ws[f"C{r}"] = g, p, round(POOLS[g] * 100)
        for i, n in enumerate(names):
            ws[f"{'DEFGH'[i]}{r}"] = "=" + t[n].replace("{r}", str(r))
        ws[f"I{r}"] = "=" + pools.pay_formula("P", cell, "B{r}").replace("{r}", str(r))
    lo, fo = both_engines(wb, tmp_path / "pools.xlsx")
    ref = reference()
    for i in range(len(GROUPS)):
        r = FIRST + i
        for j, n in enumerate(names):
            want = float(ref[n.removeprefix("P")][i])
            assert same(want, lo[r - 1][3 + j]), (n, r, want, lo[r - 1][3 + j])
            assert same(want, fo[("S", f"{'DEFGH'[j]}{r}")]), (n, r)
        pay = ref["cents"][i] / 100 if isinstance(POINTS[i], float | int) else ""
        found = fo[("S", f"I{r}")]
        assert same(pay, lo[r - 1][8]) and same(pay, "" if found is None else found), (r, pay)


def test_a_smaller_scale_splits_a_large_pool_exactly() -> None:
    groups, rows = np.zeros(2, np.int64), np.arange(FIRST, FIRST + 2)
    cents, points = np.full(2, 30_000_000, np.int64), np.array([1200.0, 900.0])
    with pytest.raises(InputError):  # 30,000,000 × 12,000,000 units ≥ 2^48
        pools.split(groups, cents, points, rows)
    got = pools.split(groups, cents, points, rows, scale=100)
    assert got["cents"].tolist() == [17_142_857, 12_857_143]  # 300,000.00 by 1200 : 900
    assert got["Units"].tolist() == [120_000, 90_000]
    assert pools.templates("P", {f"P{p}": p for p in pools.PARTS}, [("G", "A1")], "B1", "C1",
                           scale=100)["PUnits"] == "IF(ISNUMBER(B1),ROUND(B1*100,0),0)"
    assert pools.fields("P", scale=100)[0].zh == "点数×100"


@pytest.mark.parametrize("pool, points, words", [
    (30_000_000, [1200.0, 900.0], "奖金池(元)× 个人点数过大"),  # pool × units ≥ 2^48
    (100, [3e5, 3e5], "点数合计过大"),  # Σ units × TIE_BASE ≥ 2^48
])
def test_a_split_too_large_is_refused_naming_the_group(pool: int, points: list[float],
                                                       words: str) -> None:
    groups = np.array([0, 1, 1], np.int64)
    with pytest.raises(InputError) as err:
        pools.split(groups, np.full(3, pool, np.int64), np.array([1.0, *points]),
                    np.arange(FIRST, FIRST + 3), "f.xlsx", where=lambda g: f"group {g}")
    assert words in err.value.message("zh") and "f.xlsx: group 1" in err.value.message("en")
    assert "scale these points down" in err.value.message("en")
