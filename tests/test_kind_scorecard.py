"""Supervisor's monthly scorecard: every formula cell equals the reference in LibreOffice and
formulas — rule boundaries, no data and re-spread weights, flagged months, grade boundaries, the
year's mean — plus refusals (weights, grade bands, a moved layout) and the CSV input."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from xlperf.errors import InputError
from xlperf.kinds import build, kind_module, open_workbook
from xlperf.kinds import scorecard as kind

from .kinds_engines import assert_reads_back, built_and_read_back, csv_form, csv_refusal


# survey, complaint rate, team, business errors, quality, sales, cooperation; month -> actuals
MONTHS = {
    1: (90, 0.05, 85, 3, 0.95, 0.9, 0.2),  # target, ≤5%, rating, 3 errors, veto met, 90%, threshold
    2: (None, 0.01, 120, 0, 0.9499, None, 0.45),  # no survey, no sales: weights re-spread
    3: (90, None, "八", None, None, None, None),  # text: flagged
    4: (80, None, None, -1, None, None, None),  # negative: flagged
    6: (59.99, None, None, None, None, None, None),  # below threshold: 0, lowest grade
    7: (75, 0.02, 90, 10, 1, 1.5, 0.35),
    8: (100, 0.03, 90, 2, 0.96, 0.7, 0.25),
    9: (None, None, 85.125, None, None, None, None),  # a ROUND tie: 85.13
    10: (None, None, None, 25, 0.5, None, None),  # deduction floored at 0, veto failed
    11: (None, None, None, None, None, None, 0.3),  # only a weightless measure: flagged
}


def edge_cases(lang: str) -> kind.Form:
    form = kind.blank(lang)
    form.scheme["MeasureWeight"] = [0.15, 0.10, 0.20, 0.20, 0.15, 0.20, 0.0]
    records = [{"Month": m, **dict(zip(kind.INPUTS, values))} for m, values in MONTHS.items()]
    form = kind.with_records(form, records)
    form.supervisor, form.year = "张三", 2026.0
    return form


def month_values(values: dict[str, object], row: int) -> list[object]:
    return [values[f"{col}{row}"] for col in kind.MONTH_COLS]


def test_reference_by_hand() -> None:
    values = kind.compute(edge_cases("zh")).values()["card"]
    # month 1: 100, 80, 85, 85, 100, 90, 60 → 15 + 8 + 17 + 17 + 15 + 18 + 0 = 90: 优秀 (boundary)
    assert [values[f"D{r}"] for r in range(16, 23)] == [100, 80, 85, 85, 100, 90, 60]
    # month 2: survey and sales have no data; 12 + 20 + 20 + 0 + 0 over 65% = 80: 良好 (boundary)
    assert [values[f"E{r}"] for r in range(16, 23)] == ["无数据", 120, 100, 100, 0, "无数据", 120]
    assert values["E26"] == 0 and values["E27"] == pytest.approx(0.10 / 0.65)
    assert sum(values[f"E{r}"] for r in range(26, 33)) == pytest.approx(1)
    assert month_values(values, 36) == ["正常", "正常", "非数字", "负数", "", "正常", "正常", "正常",
                                        "正常", "正常", "有数据的指标权重均为 0", ""]
    assert month_values(values, 37) == [90, 80, "", "", "", 0, 89, 91, 85.13, 0, "", ""]
    assert month_values(values, 38) == ["优秀", "良好", "", "", "", "待改进", "良好", "优秀", "良好",
                                        "待改进", "", ""]
    assert values["F16"] == 100 and values["F18"] == ""  # a flagged month still shows valid scores
    assert values["G19"] == "" and values["H16"] == ""  # negative: no score; blank month: blank
    assert values["N22"] == 100 and values["N26"] == ""  # weightless: scored, no weights shown
    assert month_values(values, 39)[:5] == [7, 5, 2, 2, 0]
    # the year: (90 + 80 + 0 + 89 + 91 + 85.13 + 0) ÷ 7 = 62.16, 一般
    assert (values["P39"], values["P37"], values["P38"]) == (7, 62.16, "一般")
    assert values["P16"] == 81.11  # survey: (100 + 100 + 86.67 + 0 + 80 + 120) ÷ 6
    assert values["B6"] == "满意度调查评分" and values["C16"] == 0.15


def test_blank_workbook_computes_blank() -> None:
    values = kind.compute(kind.blank("en")).values()["card"]
    assert values["P37"] == "" and values["P16"] == "" and values["D36"] == ""
    assert values["B22"] == "Cooperation rate"




def test_the_supervisor_and_year_are_read_back(tmp_path: Path) -> None:
    for lang in ("zh", "en"):
        path = tmp_path / f"{lang}.xlsx"
        computed = build(kind_module("scorecard"), edge_cases(lang), path)
        form = assert_reads_back(path, computed)
        assert (form.supervisor, form.year) == ("张三", 2026.0)


def test_weights_that_do_not_make_100_percent_are_refused(tmp_path: Path) -> None:
    form = kind.blank("zh")
    form.scheme["MeasureWeight"] = [0.15, 0.10, 0.20, 0.20, 0.15, 0.10, 0.20]
    path = tmp_path / "w.xlsx"
    build(kind, form, path)
    with pytest.raises(InputError) as err:
        open_workbook(path)
    assert "+10%" in err.value.message("en") and "方案!K" in err.value.message("zh")


def test_bad_grade_bands_and_rule_points_are_refused(tmp_path: Path) -> None:
    form = kind.blank("en")
    form.scheme["GradeMin"] = [0, 80, 60, 90]
    build(kind, form, tmp_path / "g.xlsx")
    with pytest.raises(InputError) as err:
        open_workbook(tmp_path / "g.xlsx")
    assert "Scheme!B" in err.value.message("en") and "ascending" in err.value.message("en")
    form = kind.blank("zh")
    form.scheme["MeasureThreshold"] = [95, 0.05, None, None, None, None, 0.2]  # above the target
    build(kind, form, tmp_path / "t.xlsx")
    with pytest.raises(InputError) as err:
        open_workbook(tmp_path / "t.xlsx")
    assert "方案!E" in err.value.message("zh")


def test_a_moved_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    build(kind, kind.demo("zh"), path)
    wb = openpyxl.load_workbook(path)
    wb["月度考核表"].insert_rows(8)  # openpyxl moves the cells but not the names
    wb.save(path)
    with pytest.raises(InputError) as err:
        open_workbook(path)
    assert "月度考核表!R8" in err.value.message("zh")


def test_csv_round_trip_and_a_bad_row(tmp_path: Path) -> None:
    csv = ("month,survey,客户投诉率,team,Business handling errors,quality_pass_rate,"
           "sales_completion,cooperation_rate,supervisor,year\n"
           "1,90,0.05,85,3,0.95,0.9,0.2,张三,2026\n"
           "2,,0.01,120,0,0.9499,,0.45,张三,\n")
    form = csv_form(kind, tmp_path, csv, "zh")
    assert (form.supervisor, form.year) == ("张三", 2026.0)
    values = kind.compute(form).values()["card"]
    assert values["D37"] == 87 and values["E37"] == 85.33  # default weights: 15+8+17+17+15+9+6
    built_and_read_back(kind, form, tmp_path)
    message = csv_refusal(kind, tmp_path, "month,survey\n1,90\n13,80\n", "zh")
    assert "row 3" in message and "13" in message
    message = csv_refusal(kind, tmp_path, "month,survey\n1,90\n2,-5\n", "en")
    assert "row 3, survey" in message
