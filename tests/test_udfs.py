"""The Excel functions of ``udfs/xlperf_udfs.py``: called as plain Python with the argument shapes
Excel sends (one cell, a row, a column, a block, blanks, text in number ranges, dates), agreeing
with the values the live workbooks compute for the same data; and through the Office.js
custom-function call path of xlwings' server, with the JSON a real client sends."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from xlperf import appraisal
from xlperf.demo import sample_records
from xlperf.kinds import ninebox
from xlperf.layout import score_key
from xlperf.model import Appraisal, compute
from xlperf.scheme import default_scheme

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "udfs"))
import xlperf_udfs as udf  # noqa: E402


def column(values) -> list[list[object]]:
    return [[None if v is None or (isinstance(v, float) and np.isnan(v)) else v] for v in values]


@pytest.fixture(scope="module")
def demo() -> tuple[Appraisal, object]:
    scheme = default_scheme("zh", 186_543_21)
    records = sample_records(scheme)
    app = Appraisal.from_records(scheme, records, len(records))
    return app, compute(app)


def test_score_total_grade_and_split_give_the_workbooks_values(demo) -> None:
    """On the demo department: each rater group's score, the total, the grade and the pay the
    workbook computes, from one call per column."""
    app, comp = demo
    layout, n = app.layout, len(app.inputs["employee_id"])
    present = appraisal.present_rows(layout, app.inputs)[:n]
    for rater in layout.scheme.raters:
        keys = layout.rater_keys(rater.key)
        block = [[app.inputs[k][i] for k in keys] for i in range(n)]
        weights = [appraisal.column_weight(layout, k) for k in keys]
        got = udf.XLPERF_SCORE(block, [weights])
        want = column(comp.columns[score_key(rater.key)][:n])
        invalid = [any(appraisal.Ratings.of(np.array([v], object), layout).invalid[0] for v in row)
                   for row in block]
        assert [g for g, bad in zip(got, invalid) if not bad] == \
            [w for w, bad in zip(want, invalid) if not bad]
        assert all(g == ["#VALUE!"] for g, bad in zip(got, invalid) if bad)
    ok = comp.columns["status"][:n] == "正常"
    scores = [[comp.columns[score_key(r.key)][i] for r in layout.scheme.raters] for i in range(n)]
    scores = [[None if np.isnan(v) else v for v in row] for row in scores]
    totals = udf.XLPERF_TOTAL(scores, [r.weight for r in layout.scheme.raters])
    assert [t for t, good in zip(totals, ok) if good] == \
        [t for t, good in zip(column(comp.columns["total"][:n]), ok) if good]
    grades = udf.XLPERF_GRADE(column(comp.columns["total"][:n]))
    assert [g[0] or "" for g in grades] == list(comp.columns["grade"][:n])
    pay = udf.XLPERF_SPLIT(app.scheme.budget_cents / 100, column(comp.columns["points"][:n]))
    assert pay == column(comp.columns["pay"][:n])
    assert round(sum(p[0] or 0 for p in pay) * 100) == app.scheme.budget_cents
    assert present.sum() == sum(p[0] is not None for p in pay) + (~ok & present).sum()


def test_ninebox_gives_the_workbooks_boxes() -> None:
    form = ninebox.demo("zh")
    comp = ninebox.compute(form)
    box = comp.columns["records"]
    cells = {c.letter: c for c in box}
    perf = [[v] for v in form.inputs["ColPerf"]]
    pot = [[v] for v in form.inputs["ColPot"]]
    got = udf.XLPERF_NINEBOX(perf, pot)
    want = next(c for c in cells.values() if c.template.startswith('IF(') and "3*" in c.template)
    assert [g[0] for g in got][:len(perf)] == \
        [None if np.isnan(v) else v for v in want.values[:len(perf)]]
    names = ninebox.default_scheme("zh")["BoxName"]
    assert udf.XLPERF_NINEBOX([[90]], [[90]], names=[names]) == [[names[8]]]


def test_argument_shapes_blanks_text_and_dates() -> None:
    assert udf.XLPERF_GRADE(95) == [["优秀"]]  # one cell
    assert udf.XLPERF_GRADE([95, 85, 61]) == [["优秀", "良好", "一般"]]  # a row
    assert udf.XLPERF_GRADE([[95], [None], ["n/a"]]) == [["优秀"], [""], ["#VALUE!"]]
    assert udf.XLPERF_GRADE([[95, 59.99], [80, 0]]) == [["优秀", "待改进"], ["良好", "待改进"]]
    assert udf.XLPERF_GRADE(dt.date(2024, 1, 1)) == [["优秀"]]  # a date is its serial number
    assert udf.XLPERF_RATIO([[1], [2], ["N/A"], [0], [None]], [[3], [0], [1], [0], [4]]) == \
        [[0.333333], [None], [None], [None], [None]]
    assert udf.XLPERF_BUDGET_ACCURACY([[110]], [[100]]) == [[0.9]]
    assert udf.XLPERF_SCORE([[90, "良好", None, "Excellent", 70]],
                            [[0.25, 0.2, 0.25, 0.15, 0.15]]) == [[round(
                                (90 * .25 + 85 * .2 + 95 * .15 + 70 * .15) / .75, 6)]]
    assert udf.XLPERF_SCORE([[None, None]], [1, 1]) == [[None]]
    assert udf.XLPERF_SCORE([[101, 80]], [1, 1]) == [["#VALUE!"]]
    assert udf.XLPERF_SCORE([[80, 90]], [1, 1], ["A", "B"], [100, 90]) == [[85.0]]
    assert udf.XLPERF_SPLIT(100, [[1], [1], [1], [None]]) == [[33.34], [33.33], [33.33], [None]]
    assert udf.XLPERF_KPI_SCORE([[0.9], [1.3], [None]], "完成比率", target=1.0) == \
        [[90.0], [120.0], [None]]
    assert udf.XLPERF_KPI_SCORE([[0.7]], "linear", threshold=0.6, target=0.8, stretch=1.0) == \
        [[80.0]]
    assert udf.XLPERF_KPI_SCORE([[3]], "扣分制", "越低越好", target=1, deduction=5) == [[90.0]]
    assert udf.XLPERF_NINEBOX([[70, 69.99, None, None]], [[85, 85, None, 50]]) == \
        [[8.0, 7.0, None, "#VALUE!"]]  # one score without the other: as the workbook flags it


def test_bad_arguments_answer_with_a_short_message_not_a_traceback() -> None:
    for got in (udf.XLPERF_SCORE([[1, 2]], [1]), udf.XLPERF_KPI_SCORE([[1]], "magic"),
                udf.XLPERF_SPLIT(-5, [[1]]), udf.XLPERF_RATIO([[1, 2]], [[1]]),
                udf.XLPERF_GRADE([[1]], ["A", "B"], [50, 0]),
                udf.XLPERF_NINEBOX([[1]], [[1]], names=[["a", "b"]])):
        assert len(got) == 1 and len(got[0]) == 1
        assert got[0][0].startswith("#VALUE! ") and "Traceback" not in got[0][0]


OFFICE_JS = r'''
import asyncio, json, sys
sys.path.insert(0, sys.argv[1])
import xlperf_udfs as udf
from xlwings.server import custom_functions_call, custom_functions_meta
calls = json.loads(sys.stdin.read())
meta = custom_functions_meta(udf)
out = {"meta": meta, "results": []}
for name, args in calls:
    body = {"client": "Office.js", "func_name": name, "args": args, "version": "0.37.8",
            "runtime": "1.4", "caller_address": "[Book1.xlsx]Sheet1!A1",
            "culture_info_name": "zh-CN", "date_format": "yyyy/m/d"}
    out["results"].append(asyncio.run(custom_functions_call(body, udf)))
print(json.dumps(out, ensure_ascii=False))
'''


def test_the_office_js_custom_function_path(tmp_path: Path) -> None:
    """Metadata for Excel on the web (XLPERF.SCORE … with documented, optional arguments), and
    calls with the JSON the Office.js client sends: ranges as matrices, blanks as "", dates as
    serial numbers, omitted arguments as null; errors come back as Excel error values."""
    calls = [
        ["XLPERF_SCORE", [[[90, "良好", "", 70, 80], [101, 80, 80, 80, 80]],
                          [[0.25, 0.2, 0.25, 0.15, 0.15]], None, None]],
        ["XLPERF_GRADE", [[[95], [""], [45292], ["n/a"]], None, None]],
        ["XLPERF_SPLIT", [[[100]], [[1], [1], [1], [""]]]],
        ["XLPERF_RATIO", [[[1], ["N/A"]], [[3], [1]]]],
        ["XLPERF_KPI_SCORE", [[[0.9]], [["完成比率"]], None, None, [[1.0]], None, None, None]],
        ["XLPERF_NINEBOX", [[[90]], [[90]], None, None, None]],
    ]
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run([sys.executable, "-c", OFFICE_JS, str(ROOT / "udfs")],
                          input=json.dumps(calls), capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    names = {f["name"]: f for f in out["meta"]["functions"]}
    assert set(names) == {"SCORE", "TOTAL", "GRADE", "RATIO", "BUDGET_ACCURACY", "KPI_SCORE",
                          "SPLIT", "NINEBOX"}
    score = names["SCORE"]
    assert [p["name"] for p in score["parameters"]] == ["ratings", "weights", "levels", "points"]
    assert [p.get("optional", False) for p in score["parameters"]] == [False, False, True, True]
    assert all(p["description"] and not p["description"].startswith("Positional")
               for f in names.values() for p in f["parameters"])
    assert all(f["description"] for f in names.values())
    value_error = {"type": "Error", "errorType": "Value"}
    plain = udf.XLPERF_SCORE([[90, "良好", None, 70, 80], [101, 80, 80, 80, 80]],
                             [[0.25, 0.2, 0.25, 0.15, 0.15]])
    assert out["results"][0] == [plain[0], [value_error]]
    assert out["results"][1] == [["优秀"], [""], ["优秀"], [value_error]]
    assert out["results"][2] == [[33.34], [33.33], [33.33], [""]]
    assert out["results"][3] == [[0.333333], [""]]
    assert out["results"][4] == [[90.0]]
    assert out["results"][5] == [[9.0]]
