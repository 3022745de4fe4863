"""Hospital performance pay (医院绩效工资): the seed's three parts, over a two-month payment period.

- 基础性绩效: a fixed monthly amount per person (the seed: 10% of what the old allowance exceeded,
  as an absolute amount), typed per person, paid every month;
- 奖励性绩效: each department's pool is its cost-accounting result of the month, split exactly to
  the cent over the department's people by their points (two splits, one per month, with
  :mod:`xlperf.pools`); computed monthly, paid every two months — month 1 accrues, month 2
  pays both;
- 津贴性绩效: the 胡萝卜 talent tiers (甲 8000 / 乙 4000 / 丙 illegible in the seed, so blank
  until HR fills it), the 南丁格尔 nursing tiers (甲 800 / 乙 600) and the master's degree (1000),
  monthly. A person whose tier has no amount yet keeps basic pay and rewards (and stays in the
  split); only the allowances and the ledger amounts that include them wait, flagged.

Points have at most 2 decimals: the splits count them in hundredths (scale 100), so a department
pool of several hundred thousand yuan over points in the thousands stays below 2^48.

Sheets: 人员 (one row per person: inputs, check, allowances, rewards, the two-month ledger),
科室汇总 (per department: pools, Σ rewards paid and a check that each equals its pool to the cent,
Σ basic, allowances and totals) and 方案. Reference and formula side by side, column by column.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .. import pools, styles
from ..cells import WILDCARDS, as_float, has_wildcard, is_blank, is_number, wildcard_test
from . import shared
from ..money import same_cents, same_cents_formula, whole_cents, whole_cents_formula
from ..csvfile import read_records
from ..errors import InputError
from ..fields import Field
from ..grid import Grid
from ..groups import fold, group_ids, group_sum_formula, keys
from ..live import Column, Computed
from ..params import Spec, Table as ParamTable, Values
from ..rounding import excel_round
from ..table import FIRST_ROW, Table

KIND = "hospital"
SHEETS = {"people": ("人员", "Staff"), "summary": ("科室汇总", "Departments"),
          "scheme": ("方案", "Scheme")}
DEFAULT_ROWS = 200
DEPT_ROWS = 20
MAX_ROWS = 5_000
MONTHS = ("Month1", "Month2")  # the prefixes of the two splits' helper columns
POINT_SCALE = 100  # points are whole hundredths: the splits count units of 0.01 point

STATUS = {  # key -> (zh, en): what the check column says, in the order it is tested
    "ok": ("正常", "OK"),
    "no_id": ("缺工号", "No staff ID"),
    "duplicate": ("工号重复", "Duplicate ID"),
    "unknown_dept": ("未知科室", "Unknown department"),
    "bad_basic": ("基础性绩效须为≥0的金额(到分)", "Basic pay must be an amount ≥ 0 (to the cent)"),
    "bad_tier": ("等级或硕士填写无效", "Bad tier or master's entry"),
    "bad_points": ("点数须为≥0的数字,至多两位小数", "Points must be a number ≥ 0, at most 2 decimals"),
    "no_amount": ("津贴额未填(方案)", "Allowance amount not set (scheme)"),
}
#: the flags under which a row still counts: basic pay and rewards (the allowances wait)
COUNTED = ("ok", "no_amount")
CHECK = {  # the 科室汇总 check cells
    "ok": ("✓", "✓"),
    "undistributed": ("未分配(无点数)", "Undistributed (no points)"),
    "differs": ("✗ 与奖励池不符", "✗ differs from the pool"),
    "total_bad": ("✗ 有科室未分配或不符", "✗ a department is undistributed or differs"),
    "incomplete": ("待补津贴额", "Allowance amount pending"),
}
TIERS = {"zh": ("甲", "乙", "丙"), "en": ("A", "B", "C")}
DEFAULT_CARROT = (8000.0, 4000.0, None)  # 丙: "20__元/月" in the seed, illegible
DEFAULT_NURSE = (800.0, 600.0)
DEFAULT_MASTER = 1000.0
DEFAULT_MONTHS = {"zh": ("第1月", "第2月"), "en": ("Month 1", "Month 2")}
POINTS_FMT = "0.0#"

SPEC = Spec(
    title=("医院绩效工资方案", "Hospital performance-pay scheme"),
    scalars=(
        Field("Month1Label", "兑现期第1月", "Payment period, month 1", "@", text=True),
        Field("Month2Label", "兑现期第2月", "Payment period, month 2", "@", text=True),
        Field("MasterAmount", "硕士学位津贴(元/月)", "Master's degree allowance (per month)",
              styles.MONEY, 0),
    ),
    tables=(
        ParamTable("“胡萝卜”人才津贴(元/月)", "“Carrot” talent allowance (per month)", (
            Field("CarrotTier", "等级", "Tier", "@", text=True, width=18),
            Field("CarrotAmount", "津贴(元/月)", "Allowance", styles.MONEY, 0, optional=True,
                  width=14),
        )),
        ParamTable("“南丁格尔”护理人才津贴(元/月)", "“Nightingale” nursing allowance (per month)", (
            Field("NurseTier", "等级", "Tier", "@", text=True, width=18),
            Field("NurseAmount", "津贴(元/月)", "Allowance", styles.MONEY, 0, optional=True,
                  width=14),
        )),
        ParamTable("科室奖励性绩效池(成本核算结果,元)", "Department reward pools (cost accounting)", (
            Field("DeptName", "科室", "Department", "@", text=True, optional=True, width=18),
            Field("DeptPool1", "第1月奖励池", "Pool, month 1", styles.MONEY, 0, optional=True,
                  width=14),
            Field("DeptPool2", "第2月奖励池", "Pool, month 2", styles.MONEY, 0, optional=True,
                  width=14),
        )),
    ),
    lists={"YesLabel": (("是",), ("Yes",))},
    notes=(("基础性绩效:每人每月固定金额(职工原高出部分 10% 的绝对额),在人员表逐人填写,按月发放。",
            "Basic pay: a fixed monthly amount per person (10% of what the old allowance exceeded, "
            "as an amount), typed per person on the staff sheet, paid every month."),
           ("奖励性绩效:每月各科室的成本核算结果为奖励池,按科室内个人点数精确分配到分(最大余数法,余数相同"
            "先到先得),合计等于奖励池;按月核算,每两个月兑现:第1月计提,第2月连同两个月的奖励一并发放。"
            "科室无人有点数时奖励池不分配,科室汇总表标出。点数至多两位小数。",
            "Rewards: each month a department's cost-accounting result is its pool, split over its "
            "people by points exactly to the cent (largest remainder, ties to the earlier row); "
            "computed monthly, paid every two months: month 1 accrues, month 2 pays both months. "
            "A department where nobody has points keeps its pool undistributed (flagged). "
            "Points have at most two decimals."),
           ("津贴性绩效:胡萝卜、南丁格尔等级与硕士学位按月计入。原文丙等金额不清(20__元/月),须在此填写;"
            "金额空白的等级不发 0:该人员标为“津贴额未填”,其该项津贴、津贴性绩效及含津贴的实发与合计暂为空"
            "(科室汇总的两月合计核对显示“待补津贴额”),直至填写;基础性绩效与奖励性绩效照常计算,"
            "并照常参加奖励分配。",
            "Allowances: Carrot and Nightingale tiers and the master's degree, monthly. The seed's "
            "tier C amount is illegible (20__ per month): fill it in here. A tier whose amount is "
            "blank is never paid 0: the person is flagged 'Allowance amount not set' and that "
            "allowance, the allowance total and the paid amounts and total that include it stay "
            "blank (the department's ledger check shows 'Allowance amount pending') until it is "
            "filled; basic pay and rewards are computed as usual, and the person takes part in "
            "the reward split."),
           ("金额精确到分;科室名称不重复、不含 * ? ~;校验列不是“正常”的行(“津贴额未填”除外,见上)"
            "不计算、不参与分配。",
            "Amounts to the cent; department names distinct, without * ? ~; rows whose check is "
            "not OK (except 'Allowance amount not set', above) compute nothing and take no part "
            "in the splits."),
           ),
)

PEOPLE = (
    *shared.person("Staff ID"),
    Field("ColDept", "科室", "Department", "@", choices="DeptName", optional=True, width=12),
    Field("ColBasic", "基础性绩效(元/月)", "Basic pay (per month)", styles.MONEY, 0,
          optional=True),
    Field("ColCarrot", "胡萝卜等级", "Carrot tier", "@", choices="CarrotTier", optional=True,
          width=8),
    Field("ColNurse", "南丁格尔等级", "Nightingale tier", "@", choices="NurseTier", optional=True,
          width=8),
    Field("ColMaster", "硕士学位", "Master's degree", "@", choices="YesLabel", optional=True,
          width=7),
    Field("ColPoints1", "点数 第1月", "Points, month 1", POINTS_FMT, 0, optional=True, width=9),
    Field("ColPoints2", "点数 第2月", "Points, month 2", POINTS_FMT, 0, optional=True, width=9),
    Field("ColStatus", "校验", "Check", formula=True, width=16),
    Field("ColCarrotPay", "胡萝卜津贴", "Carrot allowance", styles.MONEY, formula=True),
    Field("ColNursePay", "南丁格尔津贴", "Nightingale allowance", styles.MONEY, formula=True),
    Field("ColMasterPay", "硕士津贴", "Master's allowance", styles.MONEY, formula=True),
    Field("ColAllowance", "津贴性绩效(月)", "Allowances (per month)", styles.MONEY, formula=True),
    Field("ColReward1", "奖励性绩效 第1月(计提)", "Reward, month 1 (accrued)", styles.MONEY,
          formula=True, width=12),
    Field("ColReward2", "奖励性绩效 第2月", "Reward, month 2", styles.MONEY, formula=True,
          width=12),
    Field("ColPaid1", "第1月实发(基础+津贴)", "Paid month 1 (basic + allowances)", styles.MONEY,
          formula=True, width=13),
    Field("ColPaid2", "第2月实发(基础+津贴+两月奖励)", "Paid month 2 (basic + allowances + both "
          "rewards)", styles.MONEY, formula=True, width=15),
    Field("ColTotal", "两月合计", "Two-month total", styles.MONEY, formula=True, width=13),
    Field("ColDeptNo", "科室序号", "Department row", styles.INTEGER, formula=True, helper=True,
          width=7),
    Field("ColUse1", "第1月计入点数", "Points counted, month 1", POINTS_FMT, formula=True,
          helper=True),
    Field("ColPool1", "第1月科室奖励池(分)", "Pool, month 1 (cents)", "0", formula=True,
          helper=True),
    *pools.fields(MONTHS[0], "第1月", "M1 ", POINT_SCALE),
    Field("ColUse2", "第2月计入点数", "Points counted, month 2", POINTS_FMT, formula=True,
          helper=True),
    Field("ColPool2", "第2月科室奖励池(分)", "Pool, month 2 (cents)", "0", formula=True,
          helper=True),
    *pools.fields(MONTHS[1], "第2月", "M2 ", POINT_SCALE),
)
INPUTS = ("ColId", "ColName", "ColDept", "ColBasic", "ColCarrot", "ColNurse", "ColMaster",
          "ColPoints1", "ColPoints2")
SUMMARY = (
    Field("SumNo", "序号", "No.", styles.INTEGER, formula=True, width=6),
    Field("SumDept", "科室", "Department", formula=True, width=14),
    Field("SumPeople", "人数(正常)", "People (OK)", styles.INTEGER, formula=True, width=8),
    Field("SumFlagged", "待核人数", "People flagged", styles.INTEGER, formula=True, width=8),
    Field("SumPool1", "第1月奖励池", "Pool, month 1", styles.MONEY, formula=True, width=13),
    Field("SumPaid1", "第1月奖励合计", "Rewards, month 1", styles.MONEY, formula=True, width=13),
    Field("SumCheck1", "第1月核对", "Check, month 1", formula=True, width=14),
    Field("SumPool2", "第2月奖励池", "Pool, month 2", styles.MONEY, formula=True, width=13),
    Field("SumPaid2", "第2月奖励合计", "Rewards, month 2", styles.MONEY, formula=True, width=13),
    Field("SumCheck2", "第2月核对", "Check, month 2", formula=True, width=14),
    Field("SumBasic", "基础性绩效(月)", "Basic pay (per month)", styles.MONEY, formula=True,
          width=13),
    Field("SumAllowance", "津贴性绩效(月)", "Allowances (per month)", styles.MONEY, formula=True,
          width=13),
    Field("SumTotal", "两月实发合计", "Two-month total paid", styles.MONEY, formula=True,
          width=14),
    Field("SumLedger", "两月合计核对", "Check: 2×basic + 2×allowances + rewards", formula=True,
          width=14),
)
#: export: CSV column -> field
EXPORT = {"id": "ColId", "name": "ColName", "department": "ColDept", "basic": "ColBasic",
          "allowance": "ColAllowance", "reward_m1": "ColReward1", "reward_m2": "ColReward2",
          "paid_m1": "ColPaid1", "paid_m2": "ColPaid2", "total": "ColTotal",
          "status": "ColStatus"}
CSV_KEYS = {"ColId": "id", "ColName": "name", "ColDept": "department", "ColBasic": "basic",
            "ColCarrot": "carrot", "ColNurse": "nightingale", "ColMaster": "master",
            "ColPoints1": "points_m1", "ColPoints2": "points_m2"}
CSV_TEXT = {"ColId", "ColName", "ColDept", "ColCarrot", "ColNurse", "ColMaster"}


@dataclass
class Form(shared.Form):
    """A hospital workbook: the people's table, and the departments' summary (one row per
    department of the 方案 table)."""

    fields: tuple[Field, ...] = PEOPLE

    @property
    def summary(self) -> Table:
        return Table(SUMMARY, len(self.scheme["DeptName"]))  # type: ignore[arg-type]


def default_scheme(lang: str, departments: int = DEPT_ROWS) -> Values:
    return {
        "Month1Label": DEFAULT_MONTHS[lang][0], "Month2Label": DEFAULT_MONTHS[lang][1],
        "MasterAmount": DEFAULT_MASTER,
        "CarrotTier": list(TIERS[lang]), "CarrotAmount": list(DEFAULT_CARROT),
        "NurseTier": list(TIERS[lang][:2]), "NurseAmount": list(DEFAULT_NURSE),
        "DeptName": [None] * departments, "DeptPool1": [None] * departments,
        "DeptPool2": [None] * departments,
    }


def _placed(scheme: Values) -> dict[str, str]:
    return SPEC.place({"CarrotTier": len(scheme["CarrotTier"]),  # type: ignore[arg-type]
                       "NurseTier": len(scheme["NurseTier"]),  # type: ignore[arg-type]
                       "DeptName": len(scheme["DeptName"])})  # type: ignore[arg-type]


def blank(lang: str, rows: int = DEFAULT_ROWS, departments: int = DEPT_ROWS) -> Form:
    scheme = default_scheme(lang, departments)
    return Form(lang, scheme, shared.empty_inputs(PEOPLE, rows), rows, _placed(scheme))


def with_departments(form: Form, departments: list[tuple[str, float, float]]) -> Form:
    """The form with ``departments`` (name, pool month 1, pool month 2) at the top of the
    departments table, at least :data:`DEPT_ROWS` rows (5 spare)."""
    n = max(DEPT_ROWS, len(departments) + 5)
    scheme = dict(form.scheme)
    for i, key in enumerate(("DeptName", "DeptPool1", "DeptPool2")):
        scheme[key] = [d[i] for d in departments] + [None] * (n - len(departments))
    return replace(form, scheme=scheme, names=_placed(scheme))


with_records = shared.with_records


def demo(lang: str) -> Form:
    """Five departments over January and February: tiers, nurses, masters, a person without
    points in month 2, and one 丙-tier person flagged while the 丙 amount is blank."""
    zh = lang == "zh"
    depts = [("内科" if zh else "Internal medicine", 86_543.21, 91_234.57),
             ("外科" if zh else "Surgery", 120_000.00, 98_765.43),
             ("护理部" if zh else "Nursing", 45_678.90, 47_001.01),
             ("医技科" if zh else "Medical technology", 30_000.00, 29_999.99),
             ("行政后勤" if zh else "Administration", 15_000.00, 15_000.00)]
    form = with_departments(blank(lang, 50), depts)
    form.scheme.update(Month1Label="2026-01", Month2Label="2026-02")
    a, b, c = TIERS[lang]
    yes = SPEC.lists["YesLabel"][0 if zh else 1][0]
    rng = np.random.default_rng(7)
    people = [  # department, carrot, nightingale, master
        (0, a, None, yes), (0, None, None, yes), (0, None, None, None), (0, b, None, None),
        (1, a, None, yes), (1, None, None, None), (1, None, None, yes), (1, c, None, None),
        (2, None, a, None), (2, None, b, yes), (2, None, b, None), (2, None, None, None),
        (3, None, None, yes), (3, b, None, None), (3, None, None, None),
        (4, None, None, None), (4, None, None, None),
    ]
    records = []
    for i, (d, carrot, nurse, master) in enumerate(people):
        points2 = None if i == 11 else float(np.round(rng.uniform(0.8, 2.0), 2))
        records.append({"ColId": f"H{1001 + i}", "ColName": (f"职工{i + 1}" if zh
                                                             else f"Staff {i + 1}"),
                        "ColDept": depts[d][0], "ColBasic": float(rng.integers(80, 300)) * 10.5,
                        "ColCarrot": carrot, "ColNurse": nurse, "ColMaster": master,
                        "ColPoints1": float(np.round(rng.uniform(0.8, 2.0), 2)),
                        "ColPoints2": points2})
    return with_records(form, records)


def from_csv(path: Path, lang: str) -> Form:
    """People from a CSV: id, name, department, basic, carrot, nightingale, master, points_m1,
    points_m2 (or the staff sheet's headers in either language). The departments table gets
    each department once, in order of first appearance, with pools 0.00 for HR to fill in."""
    aliases = shared.csv_aliases(PEOPLE, CSV_KEYS)
    columns = ("id, name, department, basic, carrot, nightingale, master, points_m1, points_m2"
               "(或表头:工号、姓名、科室、基础性绩效(元/月)、胡萝卜等级、南丁格尔等级、硕士学位、点数 第1月、"
               "点数 第2月)", "id, name, department, basic, carrot, nightingale, master, "
               "points_m1, points_m2")
    file = str(path)
    records, lines, _ = read_records(path, aliases, ["ColId", "ColDept", "ColBasic"], CSV_TEXT,
                                     MAX_ROWS, columns)
    scheme = default_scheme(lang)
    allowed = {"ColCarrot": scheme["CarrotTier"], "ColNurse": scheme["NurseTier"],
               "ColMaster": list(SPEC.labels(lang)["YesLabel"])}
    seen: dict[str, int] = {}
    depts: dict[str, str] = {}
    for line, rec in zip(lines, records):
        refuse = shared.refuser(file, line, rec, CSV_KEYS)

        for key in ("ColId", "ColDept"):
            value = rec.get(key)
            if value is None or any(w in str(value) for w in WILDCARDS):
                refuse(key, "须填写,且不含 * ? ~", "required, without * ? ~", "文字", "text")
        ident = fold(str(rec["ColId"]))
        if ident in seen:
            refuse("ColId", f"工号重复(第 {seen[ident]} 行已有)",
                   f"duplicate ID (already on row {seen[ident]})", "唯一的工号", "a unique ID")
        seen[ident] = line
        depts.setdefault(fold(str(rec["ColDept"])), str(rec["ColDept"]))
        for key in ("ColBasic", "ColPoints1", "ColPoints2"):
            value = rec.get(key)
            if (value is None and key == "ColBasic") or (value is not None and not (
                    isinstance(value, float) and value >= 0)):
                refuse(key, "须为 ≥ 0 的数字", "must be a number ≥ 0", "数字", "a number")
        if not whole_cents(np.array([rec["ColBasic"]], float))[0]:
            refuse("ColBasic", "金额须精确到分", "the amount must be in whole cents", "如 1234.56",
                   "e.g. 1234.56")
        for key in ("ColPoints1", "ColPoints2"):  # whole hundredths: the same test as cents
            if rec.get(key) is not None and not whole_cents(np.array([rec[key]], float))[0]:
                refuse(key, "点数至多两位小数", "points have at most 2 decimals", "如 12.34",
                       "e.g. 12.34")
        for key, labels in allowed.items():
            if rec.get(key) is not None and rec[key] not in labels:
                refuse(key, "不是可选项", "not one of the choices", "/".join(labels) + " 或空",
                       "/".join(labels) + " or blank")
    form = with_departments(blank(lang), [(name, 0.0, 0.0) for name in depts.values()])
    return with_records(form, records)



# --- reference and formulas, column by column ---------------------------------------------------

def compute(form: Form) -> Computed:
    t, lang, inp, s = form.table, form.lang, form.inputs, form.scheme
    c = t.cell
    ok = shared.word(STATUS, lang, "ok")
    q = lambda text: f'"{text}"'  # noqa: E731 - a text constant in a formula
    out = Computed()
    rows = np.arange(FIRST_ROW, FIRST_ROW + form.rows)

    column = shared.columns_of(out, "people", t)

    ident, dept, basic = inp["ColId"], inp["ColDept"], inp["ColBasic"]
    carrot, nurse, master = inp["ColCarrot"], inp["ColNurse"], inp["ColMaster"]
    points = (inp["ColPoints1"], inp["ColPoints2"])
    A, C, D = c("ColId"), c("ColDept"), c("ColBasic")  # noqa: N806 - cells, as in the sheet
    E, F, G = c("ColCarrot"), c("ColNurse"), c("ColMaster")  # noqa: N806
    H = (c("ColPoints1"), c("ColPoints2"))  # noqa: N806
    T, J = c("ColDeptNo"), c("ColStatus")  # noqa: N806

    # department row on 方案: MATCH reads wildcards, so those never match
    names = np.array(s["DeptName"], object)
    index = {k: i for i, k in reversed(list(enumerate(keys(names)))) if k != ("", "")}
    dept_no = np.array([np.nan if b or w else index.get(k, np.nan) + 1 for k, b, w in
                        zip(keys(dept), is_blank(dept), has_wildcard(dept))], float)
    known = ~np.isnan(dept_no)
    at = np.where(known, dept_no - 1, 0).astype(int)
    column("ColDeptNo", f'IF(OR({C}="",{wildcard_test(C)}),"",IF(ISNA(MATCH({C},DeptName,0)),"",'
                        f"MATCH({C},DeptName,0)))", dept_no)

    # check
    tiers = {"Carrot": (carrot, E), "Nurse": (nurse, F)}
    matched, amount_of = {}, {}
    for key, (raw, _cell) in tiers.items():
        tier_keys = list(keys(np.array(s[f"{key}Tier"], object)))
        matched[key] = np.array([tier_keys.index(k) if k in tier_keys else -1
                                 for k in keys(raw)])
        amounts = np.array([np.nan if a is None else a for a in s[f"{key}Amount"]], float)  # type: ignore[union-attr]
        amount_of[key] = np.where(matched[key] >= 0, amounts[matched[key]], 0.0)
    yes = keys(np.array(SPEC.labels(lang)["YesLabel"], object))[0]
    is_master = np.array([k == yes for k in keys(master)])
    present = ~np.logical_and.reduce([is_blank(inp[k]) for k in INPUTS])
    same_id = group_ids(ident)
    duplicate = np.bincount(same_id)[same_id] > 1
    b = as_float(basic)
    bad_basic = ~is_number(basic) | (b < 0) | ~whole_cents(b)
    bad_tier = ((~is_blank(carrot) & (matched["Carrot"] < 0)) | (~is_blank(nurse) & (
        matched["Nurse"] < 0)) | (~is_blank(master) & ~is_master))
    no_amount = np.logical_or.reduce([(m >= 0) & np.isnan(amount_of[k])
                                      for k, m in matched.items()])
    with np.errstate(invalid="ignore"):  # points: ≥ 0 in whole hundredths (the test of cents)
        bad_points = np.logical_or.reduce([~is_blank(p) & ~((as_float(p) >= 0) & whole_cents(
            as_float(p))) for p in points])
    status_key = np.select(
        [~present, is_blank(ident), duplicate, ~known, bad_basic, bad_tier, bad_points, no_amount],
        ["", "no_id", "duplicate", "unknown_dept", "bad_basic", "bad_tier", "bad_points",
         "no_amount"], "ok")
    status = shared.words_of(STATUS, lang, status_key)
    good = status_key == "ok"
    counted = np.isin(status_key, COUNTED)  # basic pay and rewards; allowances wait if no amount
    word = {k: q(shared.word(STATUS, lang, k)) for k in STATUS}
    blank_row = ",".join(f'{c(k)}=""' for k in INPUTS)
    tier_bad = ",".join([*(f'AND({cell}<>"",SUMPRODUCT(({key}Tier={cell})*1)<>1)'
                           for key, (_raw, cell) in tiers.items()),
                         f'AND({G}<>"",NOT({G}=YesLabel))'])
    amount_missing = ",".join(f'AND({cell}<>"",SUMPRODUCT(({key}Tier={cell})*1)=1,'
                              f"SUMPRODUCT(({key}Tier={cell})*ISNUMBER({key}Amount))=0)"
                              for key, (_raw, cell) in tiers.items())
    points_bad = ",".join(f'AND({h}<>"",IF(ISNUMBER({h}),OR({h}<0,NOT({whole_cents_formula(h)})),'
                          "TRUE))" for h in H)
    column("ColStatus", (
        f'IF(AND({blank_row}),"",IF({A}="",{word["no_id"]},'
        f'IF({group_sum_formula([("ColId", A)], "1")}>1,{word["duplicate"]},'
        f'IF({T}="",{word["unknown_dept"]},'
        f'IF(IF(ISNUMBER({D}),OR({D}<0,NOT({whole_cents_formula(D)})),TRUE),{word["bad_basic"]},'
        f'IF(OR({tier_bad}),{word["bad_tier"]},IF(OR({points_bad}),{word["bad_points"]},'
        f'IF(OR({amount_missing}),{word["no_amount"]},{q(ok)}))))))))'), status)

    # allowances per month: the tiers' amounts (blank while a tier's amount is) and the master's
    # degree; their total and the ledger only on OK rows, basic pay and rewards on counted rows
    not_ok = f'IF({J}<>{q(ok)},"",'
    not_counted = f'IF(AND({J}<>{q(ok)},{J}<>{word["no_amount"]}),"",'
    pay = {}
    for key, (_raw, cell) in tiers.items():
        pay[key] = np.where(counted, amount_of[key], np.nan)  # NaN: the tier's amount is blank
        column(f"Col{key}Pay", (f'{not_counted}IF(AND({cell}<>"",SUMPRODUCT(({key}Tier={cell})*'
                                f'ISNUMBER({key}Amount))=0),"",'
                                f"SUMPRODUCT(({key}Tier={cell})*{key}Amount)))"), pay[key])
    pay["Master"] = np.where(counted, np.where(is_master, float(s["MasterAmount"]), 0.0), np.nan)  # type: ignore[arg-type]
    column("ColMasterPay", f"{not_counted}IF({G}=YesLabel,MasterAmount,0))", pay["Master"])
    allowance = np.where(good, excel_round(pay["Carrot"] + pay["Nurse"] + pay["Master"], 2),
                         np.nan)
    K, L, M, N = (c(k) for k in ("ColCarrotPay", "ColNursePay", "ColMasterPay",  # noqa: N806
                                 "ColAllowance"))
    column("ColAllowance", f"{not_ok}ROUND({K}+{L}+{M},2))", allowance)

    # rewards: each month's pools split exactly over the department's people by points
    groups = group_ids(np.where(known, dept_no, None).astype(object))
    rewards, units = [], []
    for m, prefix in enumerate(MONTHS):
        n = m + 1
        use = np.where(counted & is_number(points[m]), as_float(points[m]), np.nan)
        column(f"ColUse{n}", f'{not_counted}IF({H[m]}="","",{H[m]}))', use)
        pool = np.array([np.nan if p is None else p for p in s[f"DeptPool{n}"]], float)  # type: ignore[union-attr]
        pool_cents = np.where(known, excel_round(np.nan_to_num(pool[at]) * 100, 0), 0.0)
        column(f"ColPool{n}", f'IF({T}="",0,ROUND(INDEX(DeptPool{n},{T})*100,0))', pool_cents)
        split = pools.split(groups, pool_cents.astype(np.int64), use, rows, scale=POINT_SCALE,
                            where=_place(form, n, groups, dept_no))
        cells = {f"{prefix}{p}": c(f"{prefix}{p}") for p in pools.PARTS}
        helpers = pools.templates(prefix, cells, [("ColDeptNo", T)], c(f"ColUse{n}"),
                                  c(f"ColPool{n}"), POINT_SCALE)
        for p in pools.PARTS:
            column(f"{prefix}{p}", helpers[f"{prefix}{p}"], split[p])
        reward = np.where(np.isnan(use), np.nan, split["cents"] / 100)
        column(f"ColReward{n}", pools.pay_formula(prefix, cells, c(f"ColUse{n}")), reward)
        rewards.append(reward)
        units.append(split["Units"])

    # the ledger: month 1 pays basic + allowances (the reward accrues), month 2 pays both rewards
    basic_ok = np.where(counted, b, np.nan)
    paid1 = excel_round(basic_ok + allowance, 2)
    column("ColPaid1", f"{not_ok}ROUND({D}+{N},2))", paid1)
    paid2 = excel_round(basic_ok + allowance + (np.nan_to_num(rewards[0]) +
                                                np.nan_to_num(rewards[1])), 2)
    column("ColPaid2", f"{not_ok}ROUND({D}+{N}+SUM({c('ColReward1')}:{c('ColReward2')}),2))",
           paid2)
    total = excel_round(paid1 + paid2, 2)
    column("ColTotal", f"{not_ok}ROUND({c('ColPaid1')}+{c('ColPaid2')},2))", total)

    _summary(form, out, dept_no, status_key, basic_ok, allowance, rewards, total, units)
    return out


def _place(form: Form, month: int, groups: np.ndarray, dept_no: np.ndarray
           ) -> Callable[[int], str]:
    """Where a split too large to be exact is: the department's pool cell on 方案, its name and
    the month."""
    def where(group: int) -> str:
        i = int(dept_no[np.flatnonzero((groups == group) & ~np.isnan(dept_no))[0]]) - 1
        sheet = shared.word(SHEETS, form.lang, "scheme")
        cell = Grid.cells(form.names[f"DeptPool{month}"])[i]
        label = form.scheme[f"Month{month}Label"]
        named = label and label not in (DEFAULT_MONTHS["zh"][month - 1],
                                        DEFAULT_MONTHS["en"][month - 1])
        return (f"{sheet}!{cell} (科室/department {form.scheme['DeptName'][i]}, "  # type: ignore[index]
                f"第{month}月/month {month}{f' {label}' if named else ''})")
    return where


def _summary(form: Form, out: Computed, dept_no: np.ndarray, status_key: np.ndarray,
             basic: np.ndarray, allowance: np.ndarray, rewards: list[np.ndarray],
             total: np.ndarray, units: list[np.ndarray]) -> None:
    """科室汇总: per department its pools, Σ rewards paid and the check that each equals its pool
    to the cent, Σ basic, allowances and totals; then a totals row and the payment period."""
    t, lang, s = form.summary, form.lang, form.scheme
    c = t.cell
    ok, q = shared.word(STATUS, lang, "ok"), (lambda text: f'"{text}"')  # noqa: E731
    check = {k: shared.word(CHECK, lang, k) for k in CHECK}
    named = ~is_blank(np.array(s["DeptName"], object))
    good = status_key == "ok"
    counted = np.isin(status_key, COUNTED)
    pending = status_key == "no_amount"  # counted, but the allowances wait for an amount
    flagged = ~good & (status_key != "")
    no_amount = q(shared.word(STATUS, lang, "no_amount"))

    def column(name: str, template: str, values: np.ndarray) -> None:
        shown = np.where(named, values, None).astype(object)  # unused rows stay blank
        out.add_column("summary", Column(t.letter(name), FIRST_ROW, template, shown))

    def by_dept(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Σ values over the people rows of each department (``rows``: which rows count)."""
        sums = np.zeros(t.rows + 1)
        np.add.at(sums, np.where(rows, np.nan_to_num(dept_no), 0).astype(int),
                  np.where(rows, np.nan_to_num(values), 0.0))
        return sums[1:]

    No, B = c("SumNo"), c("SumDept")  # noqa: N806 - cells, as in the sheet
    in_dept, named_ = f"(ColDeptNo={No})", f'IF({B}="","",'
    row_no = f"ROW()-{FIRST_ROW - 1}"
    column("SumNo", f'IF(INDEX(DeptName,{row_no})="","",{row_no})', np.arange(1.0, t.rows + 1))
    column("SumDept", f'IF({No}="","",INDEX(DeptName,{No}))', np.array(s["DeptName"], object))
    ones = np.ones(len(good))
    column("SumPeople", f"{named_}SUMPRODUCT({in_dept}*(ColStatus={q(ok)})))", by_dept(ones, good))
    column("SumFlagged", f"{named_}SUMPRODUCT({in_dept}*(ColStatus<>{q(ok)})))",
           by_dept(ones, flagged))
    sums: dict[str, np.ndarray] = {}  # the money columns, for the totals row
    for m, prefix in enumerate(MONTHS):
        i = m + 1
        pool = np.array([np.nan if p is None else p for p in s[f"DeptPool{i}"]], float)  # type: ignore[union-attr]
        paid = excel_round(by_dept(rewards[m], ~np.isnan(rewards[m])), 2)
        state = np.where(same_cents(paid, pool), "ok", np.where(
            by_dept(units[m], ~np.isnan(dept_no)) == 0, "undistributed", "differs"))
        P, S = c(f"SumPool{i}"), c(f"SumPaid{i}")  # noqa: N806
        column(f"SumPool{i}", f"{named_}INDEX(DeptPool{i},{No}))", pool)
        column(f"SumPaid{i}", f"{named_}ROUND(SUMPRODUCT({in_dept}*1,ColReward{i}),2))", paid)
        column(f"SumCheck{i}", (
            f"{named_}IF({same_cents_formula(S, P)},{q(check['ok'])},"
            f"IF(SUMPRODUCT({in_dept}*{prefix}Units)=0,{q(check['undistributed'])},"
            f"{q(check['differs'])})))"), np.array([check[x] for x in state], object))
        sums[f"SumPool{i}"], sums[f"SumPaid{i}"] = np.where(named, pool, 0.0), paid
    for name, source, values, which in (  # basic pay is typed: Σ over the counted rows only
            ("SumBasic", "ColBasic", basic, f"((ColStatus={q(ok)})+(ColStatus={no_amount}))"),
            ("SumAllowance", "ColAllowance", allowance, "1"), ("SumTotal", "ColTotal", total, "1")):
        sums[name] = excel_round(by_dept(values, counted), 2)
        column(name, f"{named_}ROUND(SUMPRODUCT({in_dept}*{which},{source}),2))", sums[name])
    # the ledger waits while someone's allowance amount is blank (their total is)
    waiting = by_dept(np.ones(len(good)), pending) > 0
    ledger = np.where(waiting, check["incomplete"], np.where(
        _ledger(*(sums[k] for k in LEDGER)), check["ok"], "✗"))
    column("SumLedger", (f"{named_}IF(SUMPRODUCT({in_dept}*(ColStatus={no_amount}))>0,"
                         f"{q(check['incomplete'])},"
                         f"{_ledger_formula([c(k) for k in LEDGER], check['ok'])}))"),
           ledger.astype(object))

    # the totals row under the table, then the payment period from 方案
    row = t.last_row + 1
    cells = {f"{t.letter('SumPeople')}{row}": ("SUM(SumPeople)", float(good.sum())),
             f"{t.letter('SumFlagged')}{row}": (
                 f'SUMPRODUCT((ColStatus<>"")*(ColStatus<>{q(ok)}))', float(flagged.sum()))}
    ref = {name: f"{t.letter(name)}{row}" for name in sums}
    total_of = {name: excel_round(values.sum(), 2) for name, values in sums.items()}
    for name in sums:
        cells[ref[name]] = (f"ROUND(SUM({name}),2)", total_of[name])
    for i in (1, 2):
        same = same_cents(total_of[f"SumPaid{i}"], total_of[f"SumPool{i}"])
        formula = (f"IF({same_cents_formula(ref[f'SumPaid{i}'], ref[f'SumPool{i}'])},"
                   f"{q(check['ok'])},{q(check['total_bad'])})")
        cells[f"{t.letter(f'SumCheck{i}')}{row}"] = (formula, check["ok" if same else "total_bad"])
    balanced = check["ok"] if _ledger(*(total_of[k] for k in LEDGER)) else "✗"
    cells[f"{t.letter('SumLedger')}{row}"] = (
        (f"IF(SUMPRODUCT((ColStatus={no_amount})*1)>0,{q(check['incomplete'])},"
         f"{_ledger_formula([ref[k] for k in LEDGER], check['ok'])})"),
        check["incomplete"] if pending.any() else balanced)
    cells[f"B{row + 2}"] = ("Month1Label", str(s["Month1Label"]))
    cells[f"C{row + 2}"] = ("Month2Label", str(s["Month2Label"]))
    out.add_cells("summary", cells)


#: The ledger check's terms: total = 2 × basic + 2 × allowances + month 1 + month 2 rewards.
LEDGER = ("SumTotal", "SumBasic", "SumAllowance", "SumPaid1", "SumPaid2")


def _ledger(total: np.ndarray, basic: np.ndarray, allowance: np.ndarray, paid1: np.ndarray,
            paid2: np.ndarray) -> np.ndarray:
    """The two-month total equals 2 × basic + 2 × allowances + both months' rewards, in cents."""
    return same_cents(total, 2 * basic + 2 * allowance + paid1 + paid2)


def _ledger_formula(cells: list[str], ok: str) -> str:
    total, basic, allowance, paid1, paid2 = cells
    return (f"IF({same_cents_formula(total, f'(2*{basic}+2*{allowance}+{paid1}+{paid2})')},"
            f'"{ok}","✗")')


# --- writing and reading the workbook ------------------------------------------------------------

def _labels(form: Form) -> dict[str, tuple[str, ...]]:
    """The choices of the drop-downs (the scheme's current tiers and departments)."""
    labels = SPEC.labels(form.lang)
    for name in ("CarrotTier", "NurseTier", "DeptName"):
        labels[name] = tuple(str(v) for v in form.scheme[name] if v is not None)  # type: ignore[union-attr]
    return labels


def write(sheets: dict, form: Form, computed: Computed) -> dict[str, tuple[str, str]]:
    lang, zh = form.lang, form.lang == "zh"
    labels = _labels(form)
    SPEC.write(sheets["scheme"], form.scheme, form.names, lang, computed.cells.get("scheme", {}))
    note = ("每行一人:白色单元格填写,灰色为公式。科室须为方案中的科室;等级可空;硕士填“是”或空;点数为该月"
            "科室内分配奖励的点数(至多两位小数;空 = 不参加当月分配)。第1月奖励计提,第2月连同两月奖励"
            "一并发放。" if zh else
            "One row per person: white cells are inputs, grey cells formulas. The department must "
            "be one of the scheme's; tiers may be blank; master's degree: Yes or blank; points (at "
            "most 2 decimals) share the department's reward of the month (blank = no part). "
            "Month 1's reward accrues; month 2 pays both months.")
    title = "医院绩效工资 人员明细" if zh else "Hospital performance pay: staff ledger"
    form.table.write(sheets["people"], title, note, {k: v.tolist() for k, v in form.inputs.items()},
                     computed, "people", lang, labels)
    ws = sheets["summary"]
    t = form.summary
    note = ("每个科室一行(与方案的科室表对应):奖励池、实发奖励合计及核对(须与奖励池相等到分;无点数的科室"
            "显示未分配),以及基础性、津贴性绩效和两月实发合计(有人津贴额未填时其核对显示“待补津贴额”)。"
            if zh else
            "One row per department of the scheme: pools, rewards paid and their check (equal to "
            "the pool to the cent; a department without points shows its pool undistributed), basic "
            "pay, allowances and the two-month total (its check shows 'Allowance amount pending' "
            "while someone's allowance amount is blank).")
    t.write(ws, "科室汇总" if zh else "Departments", note, {}, computed, "summary", lang, labels)
    cells = computed.cells["summary"]
    row = t.last_row + 1
    styles.label_cell(ws.cell(row, 2), "合计" if zh else "Total", styles.HEADER)
    styles.label_cell(ws.cell(row + 2, 1), "兑现期" if zh else "Payment period", styles.HEADER)
    for ref, (formula, _value) in cells.items():
        letters = ref.rstrip("0123456789")
        fmt = next((f.fmt for f in SUMMARY if t.letter(f.name) == letters), None)
        styles.formula_cell(ws[ref], formula, fmt if ref[len(letters):] == str(row) else None)
    ws.print_area = f"A1:{t.letter(SUMMARY[-1].name)}{row + 2}"
    names = {n: ("scheme", ref) for n, ref in form.names.items()}
    names.update({n: ("people", ref) for n, ref in form.table.names().items()})
    names.update({n: ("summary", ref) for n, ref in t.names().items()})
    return names


def read(grids: dict, names: dict[str, tuple[str, str]], lang: str, file: str) -> Form:
    scheme, scheme_names, grid = shared.read_scheme(SPEC, grids, names, lang, file)
    _check_scheme(scheme, grid, scheme_names, file)
    return shared.read_inputs(Form(lang, scheme, {}, 0, scheme_names), grids, names, "people",
                              file)


def _check_scheme(scheme: Values, grid: Grid, names: dict[str, str], file: str) -> None:
    """What the fields alone cannot check: texts that are text, amounts in whole cents, distinct
    tiers and departments, and a pool for every department (and none without one)."""
    def where(name: str, i: int = 0) -> str:
        return f"{grid.sheet}!{Grid.cells(names[name])[i]}"

    def refuse(name: str, i: int, zh: str, en: str, exp_zh: str, exp_en: str) -> None:
        raise InputError(zh, en, file, where(name, i), grid.get(Grid.cells(names[name])[i]),
                         exp_zh, exp_en)

    def raw(name: str) -> list[object]:
        return [grid.get(ref) for ref in Grid.cells(names[name])]

    for name in ("Month1Label", "Month2Label", "CarrotTier", "NurseTier", "DeptName"):
        for i, value in enumerate(raw(name)):
            if value is not None and not isinstance(value, str):
                refuse(name, i, "须为文字(单元格格式为文本)", "must be text (a text-formatted cell)",
                       "文字,如 2026-01", "text, e.g. 2026-01")
    for name in ("MasterAmount", "CarrotAmount", "NurseAmount", "DeptPool1", "DeptPool2"):
        values = scheme[name] if isinstance(scheme[name], list) else [scheme[name]]
        for i, value in enumerate(values):  # type: ignore[union-attr]
            if value is not None and not whole_cents(np.array([value], float))[0]:
                refuse(name, i, "金额须精确到分", "the amount must be in whole cents", "如 1234.56",
                       "e.g. 1234.56")
    for name in ("CarrotTier", "NurseTier", "DeptName"):
        shared.refuse_repeats(scheme[name], [where(name, i) for i in  # type: ignore[arg-type]
                                             range(len(scheme[name]))], file)  # type: ignore
    for i, dept in enumerate(scheme["DeptName"]):  # type: ignore[arg-type]
        for name in ("DeptPool1", "DeptPool2"):
            pool = scheme[name][i]  # type: ignore[index]
            if dept is not None and pool is None:
                refuse(name, i, "科室的奖励池不能为空(没有奖励填 0)", "a department's pool cannot be "
                       "blank (type 0 for none)", "≥ 0 的金额", "an amount ≥ 0")
            if dept is None and pool is not None:
                refuse(name, i, "奖励池没有科室名称", "a pool without a department name",
                       "先填科室名称", "the department's name first")
