"""KPI dictionary workbook: every formula cell equals the reference in LibreOffice and formulas —
no data, re-spread weights, row targets, and every row the check column flags."""
from __future__ import annotations

from pathlib import Path

import pytest

from xlperf.errors import InputError
from xlperf.kinds import build, kind_module, open_workbook
from xlperf.kinds import kpi as kind



def edge_cases(lang: str) -> kind.Form:
    names = kind.default_scheme(lang)["KpiName"]
    n = {k.key: name for k, name in zip(kind.library.DICTIONARY, names)}
    a, b = ("财务部", "Finance") if lang == "zh" else ("Finance", "finance")  # same group: case
    rows = [
        (a, "1", n["plan_completion"], 45, 50, None),  # ratio 90%
        (b, "1", n["report_error_rate"], 0, 0, None),  # no data: weight re-spread
        (a, "1", n["budget_accuracy"], 95_000, 100_000, None),  # at target
        (a, "1", n["market_research_quality"], 60, None, None),  # at threshold
        (a, "1", n["work_errors"], 3, None, None),  # deduction 5 each
        (a, "1", n["defect_rate"], 1, 200, None),  # 0.5%: at stretch, lower is better
        (a, "1", n["proposal_success_rate"], 3, 4, 0.6),  # the row's own target
        (a, "1", n["archiving_rate"], 9, 10, 1.5),  # target beyond stretch: flagged
        (a, "1", n["written_procedures"], 1, 1, None),  # a duplicate pair: both flagged
        (a.lower(), "1", n["written_procedures"].lower(), 2, 2, None),
        (a, None, n["archiving_rate"], 1, 1, None),  # no period
        (a, "1", "不存在的指标", 1, 1, None),  # unknown KPI
        (a, "1", "书面*", 1, 1, None),  # wildcard: unknown, never matched
        (a, "1", n["report_timeliness"], "八", 10, None),  # text in a number column
        (None, None, None, None, None, None),  # blank row between records
        (7, 2026, n["financial_report_error_rate"], 2, 100, None),  # numbers as dept/period
        (7, 2026, n["kpi_dictionary_timeliness"], None, None, None),  # only no-data KPIs
        ("Ops", "2", n["report_error_rate"], None, None, None),  # a period with no data at all
    ]
    keys = kind.INPUTS
    return kind.with_records(kind.blank(lang, 30), [dict(zip(keys, r)) for r in rows])


def test_reference_flags_and_no_data() -> None:
    form = edge_cases("zh")
    values = kind.compute(form).values()["records"]
    status = [values[f"G{r}"] for r in range(5, 23)]
    assert status[:7] == ["正常"] * 7
    assert status[7:14] == ["目标不适用", "重复", "重复", "缺部门或期间", "未知指标", "未知指标",
                            "非数字"]
    assert values["H6"] == "无数据" and values["J6"] == "无数据"  # value and score
    assert values["L6"] == 0  # no data: no weight
    assert values["J5"] == 90 and values["J7"] == 100 and values["J8"] == 60
    assert values["J9"] == 85 and values["J10"] == 120 and values["J11"] == 120
    assert values["M22"] == "无数据"
    blank_row = [values[f"{col}19"] for col in "GHIJKLM"]  # the blank row between records
    assert blank_row == [""] * 7 and values["O19"] == 0 == values["P19"]  # nothing has data in that department and period




def test_weights_that_do_not_make_100_percent_are_refused(tmp_path: Path) -> None:
    form = kind.blank("zh", 5)
    form.scheme["KpiWeight"] = [0.1] * len(form.scheme["KpiWeight"])
    path = tmp_path / "w.xlsx"
    build(kind_module("kpi"), form, path)
    with pytest.raises(InputError) as err:
        open_workbook(path)
    assert "140" in err.value.message("en") and "方案!L" in err.value.message("zh")
