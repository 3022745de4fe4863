"""E-commerce store manager pay (电商店长绩效工资) and the month's sales plan, from the seed's 店长 job:
"制定月销售目标…计划落实到每周、每天", "老顾客同比增长数据每周要统计", "底薪1800元,任务完成系数+团队绩效分成+奖惩".

- 目标分解: the month's sales target split over its days by day weights (weekday table on 方案, or
  an event weight typed for the day) exactly to the cent (:mod:`xlperf.pools`, one pool); each
  day's actual sales; the calendar (days in the month, weekdays, Monday-to-Sunday weeks) computed
  from the year and month with INT only; the weeks' and the month's targets, actuals and
  completion, and the task-completion coefficient from the bands on 方案;
- 团队: pay = base + coefficient × performance base + team share + rewards and penalties; the team
  share pool (a rate of the month's actual sales, or a fixed pool) split exactly over the points
  (role coefficient × days worked);
- 奖惩: itemized rewards (+) and penalties (−), matched to the team by name with "=";
- 老顾客: returning customers per week, this year against the same week last year.

Reference and formula side by side, column by column, in sheet order.
"""
from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import pools, styles
from ..cells import as_float, has_wildcard, is_blank, is_number, wildcard_test
from . import shared
from ..money import same_cents, same_cents_formula, whole_cents, whole_cents_formula
from ..csvfile import read_records
from ..errors import InputError
from ..fields import Field
from ..grid import Grid
from ..groups import fold, group_ids, group_sum_formula, keys
from ..live import Cells, Computed
from ..params import Spec, Values
from ..params import Table as ParamTable
from ..rounding import excel_round
from ..table import FIRST_ROW, Table, rows_of

KIND = "ecommerce"
SHEETS = {"days": ("目标分解", "Targets"), "month": ("周计划与月度汇总", "Weeks and month"),
          "team": ("团队", "Team"),
          "items": ("奖惩", "Rewards & penalties"), "customers": ("老顾客", "Returning customers"),
          "scheme": ("方案", "Scheme")}
DAY_ROWS = 31
WEEK_ROWS = 6  # a month touches at most six Monday-to-Sunday weeks
CUSTOMER_ROWS = 53  # the weeks of a year
DEFAULT_ROWS = 30
ITEM_ROWS = 100
MAX_ROWS = 2_000
RATE_DECIMALS = 4  # completion rates and growth, as 0.0000 (0.00%)
POINTS_DECIMALS = 4

OK = shared.OK
STATUS = {  # key -> (zh, en): what the check columns say
    "beyond": ("本月无此日", "No such day this month"),
    "bad_weight": ("权重须为≥0的数字", "Weight must be a number ≥ 0"),
    "bad_sales": ("销售额须为≥0的金额(到分)", "Sales must be an amount ≥ 0 (to the cent)"),
    "no_name": ("缺姓名", "No name"),
    "duplicate": ("姓名重复", "Duplicate name"),
    "unknown_role": ("未知岗位", "Unknown role"),
    "bad_base": ("底薪须为≥0的金额(到分)", "Base pay must be an amount ≥ 0 (to the cent)"),
    "bad_perf": ("绩效基数须为≥0的金额(到分)", "Performance base must be an amount ≥ 0 (to the cent)"),
    "bad_days": ("出勤天数须在0至本月天数之间", "Days worked must be 0 to the days of the month"),
    "bad_amount": ("金额须为数字(到分,罚款为负)", "Amount must be a number (to the cent, penalties "
                   "negative)"),
    "unknown_name": ("未知姓名(团队表无此人)", "Unknown name (not on the team sheet)"),
    "ambiguous": ("团队表姓名重复", "Name repeated on the team sheet"),
    "member_flagged": ("该员工行待核", "The member's row is flagged"),
    "bad_count": ("须为≥0的数字", "Must be a number ≥ 0"),
}
CHECK = {
    "ok": ("✓", "✓"),
    "days_flagged": ("✗ 有日期待核", "✗ days flagged"),
    "undistributed": ("✗ 目标未分配(日权重合计为 0)", "✗ target not split (day weights sum to 0)"),
    "share_undistributed": ("未分配(无点数)", "Undistributed (no points)"),
    "differs": ("✗ 与分成池不符", "✗ differs from the pool"),
}
NO_DATA = ("无数据", "No data")
WEEKDAYS = {"zh": ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
            "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 1.0, 1.5, 1.5)
BANDS = ((0.0, 0.0), (0.6, 0.6), (0.8, 0.8), (1.0, 1.0), (1.2, 1.2))  # completion from -> coef
ROLES = {  # (zh, en), base, performance base, share coefficient; base 1800 is the seed's
    "manager": (("店长", "Store manager"), 1800.0, 2000.0, 1.5),
    "service": (("客服", "Customer service"), 1800.0, 1000.0, 1.0),
    "designer": (("美工", "Designer"), 1800.0, 1000.0, 1.0),
    "promotion": (("推广专员", "Promotion"), 1800.0, 1000.0, 1.2),
    "warehouse": (("仓储发货", "Warehouse"), 1800.0, 800.0, 0.8),
}
ROLE_ROWS = 8
RATE_FMT = "0.00%"
WEIGHT_FMT = "0.00"

SPEC = Spec(
    title=("电商店长绩效工资方案", "E-commerce store manager pay scheme"),
    scalars=(
        Field("PlanYear", "年份", "Year", styles.INTEGER, 1900, 9999),
        Field("PlanMonth", "月份", "Month", styles.INTEGER, 1, 12),
        Field("SalesTarget", "月销售目标(元)", "Monthly sales target", styles.MONEY, 0.01,
              1e9),
        Field("ShareRate", "团队绩效分成比例(占月实际销售额)", "Team share rate (of actual sales)",
              RATE_FMT, 0, 1),
        Field("SharePoolFixed", "固定分成池(元,空 = 按比例)", "Fixed share pool (blank = by rate)",
              styles.MONEY, 0, 1e8, optional=True),
    ),
    tables=(
        ParamTable("日权重(按星期)", "Day weights by weekday", (
            Field("WeekdayName", "星期", "Weekday", "@", text=True, width=18),
            Field("WeekdayWeight", "日权重", "Weight", WEIGHT_FMT, 0, 100, width=14),
        )),
        ParamTable("任务完成系数(完成率 ≥ 下限即适用,下限严格递增)",
                   "Task-completion coefficient (from its lower limit; strictly ascending)", (
            Field("BandFrom", "完成率下限", "Completion from", RATE_FMT, 0, 10, width=18),
            Field("BandCoef", "任务完成系数", "Coefficient", WEIGHT_FMT, 0, 10, width=14),
        )),
        ParamTable("岗位(空行可新增岗位)", "Roles (blank rows for new roles)", (
            Field("RoleName", "岗位", "Role", "@", text=True, optional=True, width=18),
            Field("RoleBase", "底薪(元)", "Base pay", styles.MONEY, 0, 1e7, optional=True,
                  width=14),
            Field("RolePerf", "绩效工资基数(元)", "Performance base", styles.MONEY, 0, 1e7,
                  optional=True, width=14),
            Field("RoleCoef", "分成系数", "Share coefficient", WEIGHT_FMT, 0, 100, optional=True,
                  width=12),
        )),
    ),
    lists={"ItemKinds": (("奖励", "处罚"), ("Reward", "Penalty"))},
    notes=(("月销售目标按日权重分解到每天,精确到分(最大余数法,余数相同先到先得),日目标合计等于月目标;日权重取"
            "本表的星期权重,目标分解表填写了活动日权重的日期用该权重。周为周一至周日,周目标为该周各日目标之和。"
            "本月天数与星期由年份、月份计算(闰年:能被4整除且不能被100整除,或能被400整除)。",
            "The monthly target is split over the days by day weight exactly to the cent (largest "
            "remainder, ties to the earlier day); the day targets sum to the monthly target. A "
            "day's weight is its weekday's, or the event weight typed for it. Weeks run Monday to "
            "Sunday. Days of the month and weekdays follow from the year and month (leap years: "
            "divisible by 4 and not by 100, or by 400)."),
           ("完成率 = 月实际销售额 ÷ 月销售目标(四舍五入到 0.01%);任务完成系数取完成率达到的最高下限所在行,"
            "低于第一个下限为 0。绩效工资 = 任务完成系数 × 绩效工资基数(店长与团队成员同用本店完成率)。",
            "Completion = actual sales ÷ target (rounded to 0.01%); the coefficient is the row of "
            "the highest lower limit reached, 0 below the first. Performance pay = coefficient × "
            "performance base (the store's completion applies to every member)."),
           ("团队绩效分成池 = 月实际销售额 × 分成比例(到分),填写固定分成池时用固定额;按点数(岗位分成系数 × "
            "出勤天数,空 = 全月)精确分配到分,合计等于分成池。",
            "Team share pool = actual sales × share rate (to the cent), or the fixed pool when "
            "filled; split by points (role share coefficient × days worked, blank = the whole "
            "month) exactly to the cent, summing to the pool."),
           ("应发 = 底薪 + 绩效工资 + 团队分成 + 奖惩(奖惩表中该姓名的各项之和,奖为正、罚为负);底薪与绩效"
            "基数空白时取岗位默认值。金额精确到分;校验列不是“正常”的行不计算。老顾客同比增长 = (今年 − 去年"
            "同期) ÷ 去年同期,去年同期为空或 0 时显示“无数据”。",
            "Pay = base + performance pay + team share + rewards and penalties (the sum of the "
            "name's items, rewards positive, penalties negative); blank base or performance base "
            "takes the role's default. Amounts to the cent; rows whose check is not OK compute "
            "nothing. Returning-customer growth = (this year − last year) ÷ last year, “No data” "
            "when last year is blank or 0."),
           ),
)

DAYS = (
    Field("DayNo", "日", "Day", styles.INTEGER, formula=True, width=6),
    Field("DayWeekday", "星期", "Weekday", formula=True, width=10),
    Field("DayWeek", "周次", "Week", styles.INTEGER, formula=True, width=6),
    Field("DayWeightIn", "活动日权重(空 = 按星期)", "Event weight (blank = by weekday)",
          WEIGHT_FMT, 0, optional=True, width=12),
    Field("DayActual", "实际销售额", "Actual sales", styles.MONEY, 0, optional=True, width=14),
    Field("DayStatus", "校验", "Check", formula=True, width=16),
    Field("DayWeight", "日权重", "Day weight", WEIGHT_FMT, formula=True, width=9),
    Field("DayTarget", "日目标", "Day target", styles.MONEY, formula=True, width=14),
    Field("DayRate", "日完成率", "Day completion", RATE_FMT, formula=True, width=10),
    Field("DayWeekdayNo", "星期序号", "Weekday no.", styles.INTEGER, formula=True, helper=True,
          width=7),
    Field("DayPool", "月目标(分)", "Target (cents)", "0", formula=True, helper=True),
    *pools.fields("Day"),
)
TEAM = (
    Field("TeamName", "姓名", "Name", "@", text=True, optional=True, width=10),
    Field("TeamRole", "岗位", "Role", "@", choices="RoleName", optional=True, width=10),
    Field("TeamBaseIn", "底薪(空 = 岗位默认)", "Base pay (blank = role's)", styles.MONEY, 0,
          optional=True, width=12),
    Field("TeamPerfIn", "绩效工资基数(空 = 岗位默认)", "Performance base (blank = role's)",
          styles.MONEY, 0, optional=True, width=12),
    Field("TeamDays", "出勤天数(空 = 全月)", "Days worked (blank = whole month)", "0.0#", 0, 31,
          optional=True, width=10),
    Field("TeamStatus", "校验", "Check", formula=True, width=16),
    Field("TeamBase", "底薪", "Base pay", styles.MONEY, formula=True),
    Field("TeamPerfBase", "绩效工资基数", "Performance base", styles.MONEY, formula=True),
    Field("TeamPerf", "绩效工资(系数×基数)", "Performance pay (coef. × base)", styles.MONEY,
          formula=True, width=12),
    Field("TeamPoints", "分成点数", "Share points", "0.0###", formula=True, width=9),
    Field("TeamShare", "团队绩效分成", "Team share", styles.MONEY, formula=True, width=12),
    Field("TeamBonus", "奖惩合计", "Rewards & penalties", styles.MONEY, formula=True),
    Field("TeamPay", "应发合计", "Total pay", styles.MONEY, formula=True, width=12),
    Field("TeamRoleNo", "岗位序号", "Role row", styles.INTEGER, formula=True, helper=True,
          width=7),
    Field("TeamPool", "分成池(分)", "Share pool (cents)", "0", formula=True, helper=True),
    *pools.fields("Share", "分成", "Share "),
)
ITEMS = (
    Field("ItemName", "姓名", "Name", "@", text=True, optional=True, width=10),
    Field("ItemDate", "日期", "Date", "@", text=True, optional=True, width=12),
    Field("ItemReason", "事由", "Reason", "@", text=True, optional=True, width=30),
    Field("ItemAmount", "金额(奖 +,罚 −)", "Amount (reward +, penalty −)", styles.MONEY,
          optional=True, width=13),
    Field("ItemStatus", "校验", "Check", formula=True, width=18),
    Field("ItemKind", "类别", "Kind", formula=True, width=8),
)
CUSTOMERS = (
    Field("CustWeek", "周次", "Week", styles.INTEGER, formula=True, width=6),
    Field("CustThis", "今年老顾客数", "Returning customers", "#,##0", 0, optional=True, width=12),
    Field("CustLast", "去年同期", "Same week last year", "#,##0", 0, optional=True, width=12),
    Field("CustAction", "调整与对策", "Adjustments and measures", "@", text=True, optional=True,
          width=36),
    Field("CustStatus", "校验", "Check", formula=True, width=14),
    Field("CustChange", "增减", "Change", "#,##0", formula=True, width=9),
    Field("CustGrowth", "同比增长", "Year-on-year growth", RATE_FMT, formula=True, width=10),
)
TABLES = {"days": DAYS, "team": TEAM, "items": ITEMS, "customers": CUSTOMERS}
INPUTS = ("TeamName", "TeamRole", "TeamBaseIn", "TeamPerfIn", "TeamDays")
OTHER_INPUTS = {key: tuple(f.name for f in fields if not f.formula)
                for key, fields in TABLES.items() if key != "team"}
#: export: CSV column -> field (the 团队 sheet)
EXPORT = {"name": "TeamName", "role": "TeamRole", "base": "TeamBase",
          "performance_base": "TeamPerfBase", "performance": "TeamPerf", "points": "TeamPoints",
          "team_share": "TeamShare", "rewards_penalties": "TeamBonus", "pay": "TeamPay",
          "status": "TeamStatus"}
CSV_KEYS = {"TeamName": "name", "TeamRole": "role", "TeamBaseIn": "base",
            "TeamPerfIn": "performance_base", "TeamDays": "days"}
CSV_TEXT = {"TeamName", "TeamRole"}

# The single cells under the 目标分解 table (label in A, value in B) and their defined names.
MONTH_CELLS = (
    ("DaysInMonth", "本月天数", "Days in the month", styles.INTEGER),
    ("FirstWeekday", "本月1日星期(1 = 周一)", "Weekday of the 1st (1 = Monday)", styles.INTEGER),
    ("MonthTarget", "月目标(日目标合计)", "Month target (sum of days)", styles.MONEY),
    ("MonthActual", "月实际销售额", "Actual sales of the month", styles.MONEY),
    ("Completion", "完成率", "Completion", RATE_FMT),
    ("Coefficient", "任务完成系数", "Task-completion coefficient", WEIGHT_FMT),
    ("SharePool", "团队绩效分成池", "Team share pool", styles.MONEY),
    ("FlaggedDays", "待核天数", "Days flagged", styles.INTEGER),
    ("MonthCheck", "校验", "Check", None),
)
WEEK_HEADERS = (("周次", "Week"), ("起始日", "From day"), ("截止日", "To day"),
                ("周目标", "Week target"), ("周实际", "Week actual"), ("周完成率", "Completion"))
WEEK_FORMATS = (styles.INTEGER, styles.INTEGER, styles.INTEGER, styles.MONEY, styles.MONEY,
                RATE_FMT)


WEEK_FIRST_ROW = 5  # 周计划与月度汇总: title, note, a blank row and the header above


def month_cell(name: str) -> str:
    """Where a month cell sits: column B, under the weekly plan."""
    row = WEEK_FIRST_ROW + WEEK_ROWS + 1 + [m[0] for m in MONTH_CELLS].index(name)
    return f"B{row}"


@dataclass
class Form:
    """An e-commerce workbook: the scheme's values and the input columns of every table (keyed by
    field name; the team's are :data:`INPUTS`)."""

    lang: str
    scheme: Values
    inputs: dict[str, np.ndarray]
    rows: int  # team rows
    names: dict[str, str] = field(default_factory=dict)  # 方案 name -> range
    item_rows: int = ITEM_ROWS

    def table(self, key: str) -> Table:
        rows = {"days": DAY_ROWS, "team": self.rows, "items": self.item_rows,
                "customers": CUSTOMER_ROWS}[key]
        return Table(TABLES[key], rows)


def _one(pair: tuple[str, str], lang: str) -> str:
    return pair[0 if lang == "zh" else 1]


def default_scheme(lang: str) -> Values:
    roles = list(ROLES.values())
    spare = [None] * (ROLE_ROWS - len(roles))
    return {
        "PlanYear": 2026.0, "PlanMonth": 1.0, "SalesTarget": 300_000.0, "ShareRate": 0.01,
        "SharePoolFixed": None,
        "WeekdayName": list(WEEKDAYS[lang]), "WeekdayWeight": list(WEEKDAY_WEIGHTS),
        "BandFrom": [b[0] for b in BANDS], "BandCoef": [b[1] for b in BANDS],
        "RoleName": [_one(r[0], lang) for r in roles] + spare,
        "RoleBase": [r[1] for r in roles] + spare, "RolePerf": [r[2] for r in roles] + spare,
        "RoleCoef": [r[3] for r in roles] + spare,
    }


def _placed(scheme: Values) -> dict[str, str]:
    return SPEC.place({"WeekdayName": len(scheme["WeekdayName"]),  # type: ignore[arg-type]
                       "BandFrom": len(scheme["BandFrom"]),  # type: ignore[arg-type]
                       "RoleName": len(scheme["RoleName"])})  # type: ignore[arg-type]


def _empty(rows: int, item_rows: int) -> dict[str, np.ndarray]:
    sizes = {"days": DAY_ROWS, "team": rows, "items": item_rows, "customers": CUSTOMER_ROWS}
    return {f.name: np.full(sizes[key], None, object)
            for key, fields in TABLES.items() for f in fields if not f.formula}


def blank(lang: str, rows: int = DEFAULT_ROWS, item_rows: int = ITEM_ROWS) -> Form:
    scheme = default_scheme(lang)
    return Form(lang, scheme, _empty(rows, item_rows), rows, _placed(scheme), item_rows)


def with_records(form: Form, records: list[dict[str, object]],
                 items: list[dict[str, object]] | None = None) -> Form:
    """The form with team ``records`` (keyed by field name) from the first row, 20 spare rows
    after, and the 奖惩 ``items`` if given (the other sheets' inputs are kept)."""
    rows = max(form.rows, len(records) + 20)
    item_rows = max(form.item_rows, len(items or []) + 20)
    inputs = _empty(rows, item_rows)
    for key in (*OTHER_INPUTS["days"], *OTHER_INPUTS["customers"]):
        inputs[key] = form.inputs[key].copy()
    if items is None:
        for key in OTHER_INPUTS["items"]:
            inputs[key][:form.item_rows] = form.inputs[key]
    for source, kind in ((records, "team"), (items or [], "items")):
        for i, rec in enumerate(source):
            for key, value in rec.items():
                inputs[key][i] = value
    return Form(form.lang, form.scheme, inputs, rows, form.names, item_rows)


def demo(lang: str) -> Form:
    """February 2026 (28 days from a Sunday: five weeks, three blank day rows): daily sales, a
    Valentine's Day event weight, six people (one part-month), rewards and penalties, and eight
    weeks of returning customers (one week without last year's figure)."""
    zh = lang == "zh"
    form = blank(lang, 20)
    form.scheme.update(PlanYear=2026.0, PlanMonth=2.0, SalesTarget=280_000.0)
    rng = np.random.default_rng(21)
    for d in range(28):
        form.inputs["DayActual"][d] = float(rng.integers(700_000, 1_400_000)) / 100
    form.inputs["DayWeightIn"][13] = 3.0  # 2月14日
    roles = [_one(r[0], lang) for r in ROLES.values()]
    names = ("王店长", "李客服", "张客服", "赵美工", "钱推广", "孙仓储") if zh else (
        "Wang", "Li", "Zhang", "Zhao", "Qian", "Sun")
    team = [{"TeamName": names[0], "TeamRole": roles[0]},
            {"TeamName": names[1], "TeamRole": roles[1]},
            {"TeamName": names[2], "TeamRole": roles[1], "TeamDays": 20.0},
            {"TeamName": names[3], "TeamRole": roles[2], "TeamPerfIn": 1200.0},
            {"TeamName": names[4], "TeamRole": roles[3]},
            {"TeamName": names[5], "TeamRole": roles[4], "TeamBaseIn": 2000.0}]
    reasons = (("2月14日", "情人节活动超额", 300.0), ("2月3日", "差评未及时处理", -50.0),
               ("2月20日", "直通车优化", 200.0), ("2月9日", "发货错误", -30.5)) if zh else (
        ("Feb 14", "Valentine's Day event over target", 300.0),
        ("Feb 3", "Bad review not handled in time", -50.0), ("Feb 20", "Ad campaign tuned", 200.0),
        ("Feb 9", "Wrong parcel shipped", -30.5))
    items = [{"ItemName": names[i], "ItemDate": d, "ItemReason": r, "ItemAmount": a}
             for i, (d, r, a) in zip((0, 1, 4, 5), reasons)]
    form = with_records(form, team, items)
    for w in range(8):
        form.inputs["CustThis"][w] = float(rng.integers(180, 260))
        form.inputs["CustLast"][w] = None if w == 5 else float(rng.integers(150, 240))
    form.inputs["CustAction"][2] = "老顾客群发优惠券" if zh else "Coupons to the customer group"
    return form


def from_csv(path: Path, lang: str) -> Form:
    """Team members from a CSV: name, role, base, performance_base, days (or the 团队 sheet's
    headers in either language); base and performance base may be blank (the role's default),
    days blank = the whole month."""
    aliases = shared.csv_aliases(TEAM, CSV_KEYS)
    columns = ("name, role, base, performance_base, days(或表头:姓名、岗位、底薪(空 = 岗位默认)、"
               "绩效工资基数(空 = 岗位默认)、出勤天数(空 = 全月))",
               "name, role, base, performance_base, days")
    file = str(path)
    records, lines, _ = read_records(path, aliases, ["TeamName", "TeamRole"], CSV_TEXT, MAX_ROWS,
                                     columns)
    form = blank(lang)
    role_names = [str(r) for r in form.scheme["RoleName"] if r is not None]  # type: ignore[union-attr]
    roles = [fold(r) for r in role_names]
    days = calendar.monthrange(int(form.scheme["PlanYear"]),  # type: ignore[arg-type]
                               int(form.scheme["PlanMonth"]))[1]  # type: ignore[arg-type]
    seen: dict[str, int] = {}
    for line, rec in zip(lines, records):
        refuse = shared.refuser(file, line, rec, CSV_KEYS)

        name = rec.get("TeamName")
        if name is None:
            refuse("TeamName", "须填写姓名", "a name is required", "文字", "text")
        if fold(str(name)) in seen:
            refuse("TeamName", f"姓名重复(第 {seen[fold(str(name))]} 行已有)",
                   f"duplicate name (already on row {seen[fold(str(name))]})",
                   "唯一的姓名", "a unique name")
        seen[fold(str(name))] = line
        role = rec.get("TeamRole")
        if role is None or fold(str(role)) not in roles or has_wildcard(np.array([role]))[0]:
            refuse("TeamRole", "不是方案中的岗位", "not a role of the scheme",
                   "/".join(role_names), "/".join(role_names))
        for key in ("TeamBaseIn", "TeamPerfIn"):
            value = rec.get(key)
            if value is not None and not (isinstance(value, float) and value >= 0
                                          and whole_cents(np.array([value]))[0]):
                refuse(key, "须为 ≥ 0 的金额(到分)", "must be an amount ≥ 0 (to the cent)",
                       "如 1800 或空", "e.g. 1800, or blank")
        value = rec.get("TeamDays")
        if value is not None and not (isinstance(value, float) and 0 <= value <= days):
            refuse("TeamDays", f"须为 0 至 {days} 的数字", f"must be a number from 0 to {days}",
                   "出勤天数或空", "days worked, or blank")
    return with_records(form, records)


# --- the calendar, from the year and month with INT only -----------------------------------------

def days_in_month_formula(year: str, month: str) -> str:
    """CHOOSE by month, February 28 + 1 in leap years (x − n·INT(x/n) is x mod n)."""
    def divisible(n: int) -> str:
        return f"{year}-{n}*INT({year}/{n})=0"
    leap = f"IF(AND({divisible(4)},OR(NOT({divisible(100)}),{divisible(400)})),1,0)"
    return f"CHOOSE({month},31,28+{leap},31,30,31,30,31,31,30,31,30,31)"


def first_weekday_formula(year: str, month: str) -> str:
    """ISO weekday (1 = Monday) of the month's 1st, by Sakamoto's method, with INT only."""
    y = f"({year}-IF({month}<3,1,0))"
    s = (f"({y}+INT({y}/4)-INT({y}/100)+INT({y}/400)"
         f"+CHOOSE({month},0,3,2,5,0,3,5,1,4,6,2,4)+7)")
    return f"{s}-7*INT({s}/7)+1"


# --- reference and formulas, sheet by sheet, column by column ------------------------------------


def one_pool(column: Callable[[str, str, np.ndarray], None], c: Callable[[str], str],
             prefix: str, paid: str, pool: tuple[str, float], points: np.ndarray,
             points_cell: str, pool_field: str | None = None
             ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One amount (the defined name ``pool`` holds it in yuan, the same on every row) split over
    a column of points exactly to the cent: the pool's column in cents, the split's helper
    columns and the paid column ``paid``; the amounts paid (NaN where a row takes no part) and
    the split's columns."""
    name, amount = pool
    pool_field = pool_field or f"{prefix}Pool"
    rows = len(points)
    cents = excel_round(amount * 100, 0)
    column(pool_field, f"ROUND({name}*100,0)", np.full(rows, cents))
    split = pools.split(np.zeros(rows, np.int64), np.full(rows, cents, np.int64), points,
                        np.arange(FIRST_ROW, FIRST_ROW + rows))
    parts = {f"{prefix}{p}": c(f"{prefix}{p}") for p in pools.PARTS}
    helpers = pools.templates(prefix, parts, [(pool_field, c(pool_field))], points_cell,
                              c(pool_field))
    for p in pools.PARTS:
        column(f"{prefix}{p}", helpers[f"{prefix}{p}"], split[p])
    paid_values = np.where(np.isnan(points), np.nan, split["cents"] / 100)
    column(paid, pools.pay_formula(prefix, parts, points_cell), paid_values)
    return paid_values, split

def compute(form: Form) -> Computed:
    out = Computed()
    month = _days(form, out)
    team_status = _team_status(form, out)
    item_ok = _items(form, out, team_status)
    _team_pay(form, out, month, team_status, item_ok)
    _customers(form, out)
    for key, fields in TABLES.items():
        order = {Table(fields, 1).letter(f.name): i for i, f in enumerate(fields)}
        out.columns[key].sort(key=lambda col: order[col.letter])
    return out


def _q(text: str) -> str:
    return f'"{text}"'



def _money_ok(raw: np.ndarray) -> np.ndarray:
    """A number ≥ 0 in whole cents (blank is not)."""
    values = as_float(raw)
    with np.errstate(invalid="ignore"):
        return is_number(raw) & (values >= 0) & whole_cents(values)


def _money_bad_formula(cell: str) -> str:
    """A filled cell that is not a number ≥ 0 in whole cents."""
    return f'AND({cell}<>"",IF(ISNUMBER({cell}),OR({cell}<0,NOT({whole_cents_formula(cell)})),TRUE))'


def _days(form: Form, out: Computed) -> dict[str, float]:
    """目标分解: calendar, check, weights, the exact split of the target, the weeks and the month."""
    t, lang, inp, s = form.table("days"), form.lang, form.inputs, form.scheme
    c, column = t.cell, shared.columns_of(out, "days", t)
    ok = _one(OK, lang)
    word = {k: _q(shared.word(STATUS, lang, k)) for k in ("beyond", "bad_weight", "bad_sales")}
    year, month = int(s["PlanYear"]), int(s["PlanMonth"])  # type: ignore[arg-type]
    days = calendar.monthrange(year, month)[1]
    first = calendar.weekday(year, month, 1) + 1
    cells: Cells = {month_cell("DaysInMonth"): (days_in_month_formula("PlanYear", "PlanMonth"),
                                                float(days)),
                    month_cell("FirstWeekday"): (first_weekday_formula("PlanYear", "PlanMonth"),
                                                 float(first))}
    A, D, E = c("DayNo"), c("DayWeightIn"), c("DayActual")  # noqa: N806 - cells, as in the sheet
    F, G, N = c("DayStatus"), c("DayWeight"), c("DayWeekdayNo")  # noqa: N806

    # the calendar: day number, weekday and week (Monday to Sunday), blank beyond the month
    number = np.arange(1.0, DAY_ROWS + 1)
    in_month = number <= days
    day = np.where(in_month, number, np.nan)
    column("DayNo", f'IF(ROW()-{FIRST_ROW - 1}>DaysInMonth,"",ROW()-{FIRST_ROW - 1})', day)
    offset = first + day - 2  # days since the Monday before the 1st
    weekday = offset - 7 * np.floor(offset / 7) + 1
    column("DayWeekdayNo", f'IF({A}="","",(FirstWeekday+{A}-2)-7*INT((FirstWeekday+{A}-2)/7)+1)',
           weekday)
    names = np.array(s["WeekdayName"], object)
    column("DayWeekday", f'IF({A}="","",INDEX(WeekdayName,{N}))',
           np.array([None if np.isnan(w) else names[int(w) - 1] for w in weekday.tolist()],
                    object))
    week = np.floor(offset / 7) + 1
    column("DayWeek", f'IF({A}="","",INT((FirstWeekday+{A}-2)/7)+1)', week)

    # check
    weight_in, actual = inp["DayWeightIn"], inp["DayActual"]
    typed = ~is_blank(weight_in) | ~is_blank(actual)
    with np.errstate(invalid="ignore"):
        bad_weight = ~is_blank(weight_in) & ~(is_number(weight_in) & (as_float(weight_in) >= 0))
    bad_sales = ~is_blank(actual) & ~_money_ok(actual)
    status_key = np.select([~in_month & typed, ~in_month, bad_weight, bad_sales],
                           ["beyond", "", "bad_weight", "bad_sales"], "ok")
    bad_weight_f = f'AND({D}<>"",IF(ISNUMBER({D}),{D}<0,TRUE))'
    column("DayStatus", (
        f'IF({A}="",IF(AND({D}="",{E}=""),"",{word["beyond"]}),'
        f'IF({bad_weight_f},{word["bad_weight"]},'
        f'IF({_money_bad_formula(E)},{word["bad_sales"]},{_q(ok)})))'),
        shared.words_of(STATUS, lang, status_key))
    good = status_key == "ok"
    flagged = float(((status_key != "ok") & (status_key != "")).sum())

    # the day's weight, then the target split exactly over the weights: a day of the month
    # has its weight unless the weight cell itself is bad (a bad sales cell moves no target)
    weighed = in_month & ~bad_weight
    by_weekday = np.array(s["WeekdayWeight"], float)[np.where(weighed, weekday, 1).astype(int) - 1]
    weight = np.where(weighed, np.where(is_blank(weight_in), by_weekday, as_float(weight_in)),
                      np.nan)
    column("DayWeight", f'IF(OR({A}="",{bad_weight_f}),"",'
                        f'IF({D}="",INDEX(WeekdayWeight,{N}),{D}))', weight)
    sales_target = float(s["SalesTarget"])  # type: ignore[arg-type]
    target, _ = one_pool(column, c, "Day", "DayTarget", ("SalesTarget", sales_target), weight, G)
    H = c("DayTarget")  # noqa: N806
    sales = np.where(good, as_float(actual), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(~np.isnan(sales) & (target > 0), excel_round(sales / target,
                                                                     RATE_DECIMALS), np.nan)
    column("DayRate", f'IF({F}<>{_q(ok)},"",IF(OR({H}="",{E}=""),"",'
                      f'IF({H}>0,ROUND({E}/{H},{RATE_DECIMALS}),"")))', rate)

    # the weeks: from and to day, Σ targets and actuals of their days
    top = WEEK_FIRST_ROW
    counted = np.nan_to_num(sales)
    for k in range(1, WEEK_ROWS + 1):
        row = top + k - 1
        start, end = max(1, 7 * k - 5 - first), min(days, 7 * k + 1 - first)
        exists = start <= end
        in_week = week == k
        w_target = float(excel_round(np.nansum(np.where(in_week, target, 0.0)), 2))
        w_actual = float(excel_round(np.where(in_week & good, counted, 0.0).sum(), 2))
        w_rate = float(excel_round(w_actual / w_target, RATE_DECIMALS)) if w_target > 0 else None
        first_day = f"MAX(1,{7 * k - 5}-FirstWeekday)"
        exists_f = f'IF({first_day}>MIN(DaysInMonth,{7 * k + 1}-FirstWeekday),"",'
        cells.update({
            f"B{row}": (f"{exists_f}{first_day})", float(start) if exists else None),
            f"C{row}": (f'IF(B{row}="","",MIN(DaysInMonth,{7 * k + 1}-FirstWeekday))',
                        float(end) if exists else None),
            f"D{row}": (f'IF(B{row}="","",ROUND(SUMPRODUCT((DayWeek={k})*1,DayTarget),2))',
                        w_target if exists else None),
            f"E{row}": (f'IF(B{row}="","",ROUND(SUMPRODUCT((DayWeek={k})*(DayStatus={_q(ok)}),'
                        f"DayActual),2))", w_actual if exists else None),
            f"F{row}": (f'IF(B{row}="","",IF(D{row}>0,ROUND(E{row}/D{row},{RATE_DECIMALS}),""))',
                        w_rate if exists else None),
        })

    # the month: Σ day targets, actual sales, completion, coefficient, share pool, check
    month_target = float(excel_round(np.nansum(target), 2))
    month_actual = float(excel_round(np.where(good, counted, 0.0).sum(), 2))
    target_set = float(s["SalesTarget"])  # type: ignore[arg-type]
    completion = (float(excel_round(month_actual / target_set, RATE_DECIMALS)) if target_set > 0
                  else 0.0)
    reached = int((np.array(s["BandFrom"], float) <= completion).sum())
    coefficient = float(s["BandCoef"][reached - 1]) if reached else 0.0  # type: ignore[index]
    fixed = s["SharePoolFixed"]
    share_pool = float(fixed) if fixed is not None else float(excel_round(  # type: ignore[arg-type]
        month_actual * float(s["ShareRate"]), 2))  # type: ignore[arg-type]
    split_ok = bool(same_cents(month_target, target_set))
    check = "ok" if split_ok and flagged == 0 else ("days_flagged" if split_ok else
                                                    "undistributed")
    m = {name: month_cell(name) for name, *_ in MONTH_CELLS}
    band = "SUMPRODUCT((BandFrom<=Completion)*1)"
    cells.update({
        m["MonthTarget"]: ("ROUND(SUM(DayTarget),2)", month_target),
        m["MonthActual"]: (f"ROUND(SUMPRODUCT((DayStatus={_q(ok)})*1,DayActual),2)", month_actual),
        m["Completion"]: (f"IF(SalesTarget>0,ROUND(MonthActual/SalesTarget,{RATE_DECIMALS}),0)",
                          completion),
        m["Coefficient"]: (f"IF({band}=0,0,INDEX(BandCoef,{band}))", coefficient),
        m["SharePool"]: ("IF(ISNUMBER(SharePoolFixed),SharePoolFixed,ROUND(MonthActual*ShareRate,"
                         "2))", share_pool),
        m["FlaggedDays"]: (f'SUMPRODUCT((DayStatus<>"")*(DayStatus<>{_q(ok)}))', flagged),
        m["MonthCheck"]: (
            f"IF({same_cents_formula('MonthTarget', 'SalesTarget')},IF(FlaggedDays=0,"
            f"{_q(shared.word(CHECK, lang, 'ok'))},{_q(shared.word(CHECK, lang, 'days_flagged'))}),"
            f"{_q(shared.word(CHECK, lang, 'undistributed'))})", shared.word(CHECK, lang, check)),
    })
    out.add_cells("month", cells)
    return {"days": float(days), "coefficient": coefficient, "share_pool": share_pool}


def _team_status(form: Form, out: Computed) -> np.ndarray:
    """团队 check: name, duplicate, role, base, performance base, days worked."""
    t, lang, inp, s = form.table("team"), form.lang, form.inputs, form.scheme
    c, column = t.cell, shared.columns_of(out, "team", t)
    ok = _one(OK, lang)
    name, role = inp["TeamName"], inp["TeamRole"]
    A, B, C, D, E = (c(k) for k in INPUTS)  # noqa: N806 - cells, as in the sheet
    R = c("TeamRoleNo")  # noqa: N806

    # role row on 方案: MATCH reads wildcards, so those never match
    role_keys = {k: i for i, k in reversed(list(enumerate(keys(np.array(s["RoleName"], object)))))
                 if k != ("", "")}
    role_no = np.array([np.nan if b or w else role_keys.get(k, np.nan) + 1 for k, b, w in
                        zip(keys(role), is_blank(role), has_wildcard(role))], float)
    column("TeamRoleNo", f'IF(OR({B}="",{wildcard_test(B)}),"",IF(ISNA(MATCH({B},RoleName,0)),"",'
                         f"MATCH({B},RoleName,0)))", role_no)

    days = calendar.monthrange(int(s["PlanYear"]), int(s["PlanMonth"]))[1]  # type: ignore[arg-type]
    present = ~np.logical_and.reduce([is_blank(inp[k]) for k in INPUTS])
    same = group_ids(name)
    duplicate = ~is_blank(name) & (np.bincount(same)[same] > 1)
    worked = as_float(inp["TeamDays"])
    with np.errstate(invalid="ignore"):
        bad_days = ~is_blank(inp["TeamDays"]) & ~(is_number(inp["TeamDays"]) & (worked >= 0) & (
            worked <= days))
    status_key = np.select(
        [~present, is_blank(name), duplicate, np.isnan(role_no),
         ~is_blank(inp["TeamBaseIn"]) & ~_money_ok(inp["TeamBaseIn"]),
         ~is_blank(inp["TeamPerfIn"]) & ~_money_ok(inp["TeamPerfIn"]), bad_days],
        ["", "no_name", "duplicate", "unknown_role", "bad_base", "bad_perf", "bad_days"], "ok")
    word = {k: _q(shared.word(STATUS, lang, k)) for k in STATUS}
    blank_row = ",".join(f'{x}=""' for x in (A, B, C, D, E))
    column("TeamStatus", (
        f'IF(AND({blank_row}),"",IF({A}="",{word["no_name"]},'
        f'IF({group_sum_formula([("TeamName", A)], "1")}>1,{word["duplicate"]},'
        f'IF({R}="",{word["unknown_role"]},IF({_money_bad_formula(C)},{word["bad_base"]},'
        f'IF({_money_bad_formula(D)},{word["bad_perf"]},'
        f'IF(AND({E}<>"",IF(ISNUMBER({E}),OR({E}<0,{E}>DaysInMonth),TRUE)),{word["bad_days"]},'
        f'{_q(ok)})))))))'),
        shared.words_of(STATUS, lang, status_key))
    return status_key


def _items(form: Form, out: Computed, team_status: np.ndarray) -> np.ndarray:
    """奖惩 check and kind; returns which items count (their name is one OK team row)."""
    t, lang, inp = form.table("items"), form.lang, form.inputs
    c, column = t.cell, shared.columns_of(out, "items", t)
    ok = _one(OK, lang)
    name, amount = inp["ItemName"], inp["ItemAmount"]
    A, D, S = c("ItemName"), c("ItemAmount"), c("ItemStatus")  # noqa: N806
    team_names = inp["TeamName"]
    both = group_ids(np.concatenate([team_names, name]))
    team_ids, item_ids = both[:len(team_names)], both[len(team_names):]
    named = ~is_blank(team_names)
    count = np.bincount(team_ids[named], minlength=both.max() + 1)[item_ids]
    count_ok = np.bincount(team_ids[named & (team_status == "ok")],
                           minlength=both.max() + 1)[item_ids]
    values = as_float(amount)
    present = ~np.logical_and.reduce([is_blank(inp[k]) for k in OTHER_INPUTS["items"]])
    status_key = np.select(
        [~present, is_blank(name), ~is_number(amount) | ~whole_cents(values), count == 0, count > 1,
         count_ok == 0],
        ["", "no_name", "bad_amount", "unknown_name", "ambiguous", "member_flagged"], "ok")
    word = {k: _q(shared.word(STATUS, lang, k)) for k in STATUS}
    blank_row = ",".join(f'{c(k)}=""' for k in OTHER_INPUTS["items"])
    column("ItemStatus", (
        f'IF(AND({blank_row}),"",IF({A}="",{word["no_name"]},'
        f'IF(IF(ISNUMBER({D}),NOT({whole_cents_formula(D)}),TRUE),{word["bad_amount"]},'
        f'IF(SUMPRODUCT((TeamName={A})*1)=0,{word["unknown_name"]},'
        f'IF(SUMPRODUCT((TeamName={A})*1)>1,{word["ambiguous"]},'
        f'IF(SUMPRODUCT((TeamName={A})*(TeamStatus={_q(ok)}))=0,{word["member_flagged"]},'
        f'{_q(ok)}))))))'),
        shared.words_of(STATUS, lang, status_key))
    good = status_key == "ok"
    reward, penalty = SPEC.labels(lang)["ItemKinds"]
    column("ItemKind", f'IF({S}<>{_q(ok)},"",IF({D}>=0,INDEX(ItemKinds,1),INDEX(ItemKinds,2)))',
           np.array([(reward if v >= 0 else penalty) if g else None
                     for g, v in zip(good, values.tolist())], object))
    return good


def _team_pay(form: Form, out: Computed, month: dict[str, float], status_key: np.ndarray,
              item_ok: np.ndarray) -> None:
    """团队 money: base, performance pay, points, the exact share split, 奖惩, pay, totals."""
    t, lang, inp, s = form.table("team"), form.lang, form.inputs, form.scheme
    c, column = t.cell, shared.columns_of(out, "team", t)
    ok = _one(OK, lang)
    good = status_key == "ok"
    A, C, D, E = c("TeamName"), c("TeamBaseIn"), c("TeamPerfIn"), c("TeamDays")  # noqa: N806
    R, F = c("TeamRoleNo"), c("TeamStatus")  # noqa: N806
    not_ok = f'IF({F}<>{_q(ok)},"",'
    role_keys = {k: i for i, k in reversed(list(enumerate(keys(np.array(s["RoleName"], object)))))
                 if k != ("", "")}
    at = np.array([role_keys.get(k, 0) if g else 0 for k, g in zip(keys(inp["TeamRole"]), good)])

    def role_value(name: str) -> np.ndarray:
        values = [np.nan if v is None else v for v in s[name]]  # type: ignore[union-attr]
        return np.array(values, float)[at]

    def own_or_role(own: np.ndarray, name: str) -> np.ndarray:
        return np.where(good, np.where(is_blank(own), role_value(name), as_float(own)), np.nan)

    base = own_or_role(inp["TeamBaseIn"], "RoleBase")
    column("TeamBase", f'{not_ok}IF({C}="",INDEX(RoleBase,{R}),{C}))', base)
    perf_base = own_or_role(inp["TeamPerfIn"], "RolePerf")
    column("TeamPerfBase", f'{not_ok}IF({D}="",INDEX(RolePerf,{R}),{D}))', perf_base)
    perf = excel_round(month["coefficient"] * perf_base, 2)
    column("TeamPerf", f"{not_ok}ROUND(Coefficient*{c('TeamPerfBase')},2))", perf)
    worked = np.where(is_blank(inp["TeamDays"]), month["days"], as_float(inp["TeamDays"]))
    points = np.where(good, excel_round(role_value("RoleCoef") * worked, POINTS_DECIMALS), np.nan)
    P = c("TeamPoints")  # noqa: N806
    column("TeamPoints", f'{not_ok}ROUND(INDEX(RoleCoef,{R})*IF({E}="",DaysInMonth,{E}),'
                         f"{POINTS_DECIMALS}))", points)

    # the team share: one pool, split exactly over the points
    share, split = one_pool(column, c, "Share", "TeamShare", ("SharePool", month["share_pool"]),
                            points, P, pool_field="TeamPool")

    # rewards and penalties: Σ of the name's items that count ("=" compares literally)
    item_ids = group_ids(np.concatenate([inp["TeamName"], inp["ItemName"]]))
    sums = np.zeros(item_ids.max(initial=-1) + 1)
    np.add.at(sums, item_ids[t.rows:][item_ok], as_float(inp["ItemAmount"])[item_ok])
    bonus = np.where(good, excel_round(sums[item_ids[:t.rows]], 2), np.nan)
    column("TeamBonus", f"{not_ok}ROUND(SUMPRODUCT((ItemName={A})*(ItemStatus={_q(ok)}),"
                        f"ItemAmount),2))", bonus)
    pay = excel_round(base + perf + share + bonus, 2)
    column("TeamPay", f"{not_ok}ROUND({c('TeamBase')}+{c('TeamPerf')}+{c('TeamShare')}+"
                      f"{c('TeamBonus')},2))", pay)

    # totals under the table, then the pool and its check
    row = t.last_row + 1
    totals = {"TeamBase": base, "TeamPerf": perf, "TeamShare": share, "TeamBonus": bonus,
              "TeamPay": pay}
    cells: Cells = {f"{t.letter(n)}{row}": (f"ROUND(SUM({n}),2)",
                                                     float(excel_round(np.nansum(v), 2)))
                    for n, v in totals.items()}
    paid = f"{t.letter('TeamShare')}{row}"
    pool_cell = f"{t.letter('TeamShare')}{row + 1}"
    same = bool(same_cents(np.nansum(share), month["share_pool"]))
    state = "ok" if same else ("share_undistributed" if split["Units"].sum() == 0 else "differs")
    cells[pool_cell] = ("SharePool", month["share_pool"])
    cells[f"{t.letter('TeamBonus')}{row + 1}"] = (
        f"IF({same_cents_formula(paid, pool_cell)},{_q(shared.word(CHECK, lang, 'ok'))},"
        f"IF(SUM(ShareUnits)=0,{_q(shared.word(CHECK, lang, 'share_undistributed'))},"
        f"{_q(shared.word(CHECK, lang, 'differs'))}))", shared.word(CHECK, lang, state))
    cells[f"{t.letter('TeamPerf')}{row + 1}"] = ("Coefficient", month["coefficient"])
    out.add_cells("team", cells)


def _customers(form: Form, out: Computed) -> None:
    """老顾客: per week the change and the year-on-year growth; no data without last year."""
    t, lang, inp = form.table("customers"), form.lang, form.inputs
    c, column = t.cell, shared.columns_of(out, "customers", t)
    ok = _one(OK, lang)
    B, C, S = c("CustThis"), c("CustLast"), c("CustStatus")  # noqa: N806
    column("CustWeek", f"ROW()-{FIRST_ROW - 1}", np.arange(1.0, CUSTOMER_ROWS + 1))
    this, last = inp["CustThis"], inp["CustLast"]
    present = ~np.logical_and.reduce([is_blank(inp[k]) for k in OTHER_INPUTS["customers"]])
    with np.errstate(invalid="ignore"):
        bad = np.logical_or.reduce([~is_blank(x) & ~(is_number(x) & (as_float(x) >= 0))
                                    for x in (this, last)])
    status_key = np.select([~present, bad], ["", "bad_count"], "ok")
    blank_row = ",".join(f'{c(k)}=""' for k in OTHER_INPUTS["customers"])
    bad_f = ",".join(f'AND({x}<>"",IF(ISNUMBER({x}),{x}<0,TRUE))' for x in (B, C))
    column("CustStatus", f'IF(AND({blank_row}),"",IF(OR({bad_f}),'
                         f'{_q(shared.word(STATUS, lang, "bad_count"))},{_q(ok)}))',
           shared.words_of(STATUS, lang, status_key))
    good = status_key == "ok"
    x, y = as_float(this), as_float(last)
    column("CustChange", f'IF({S}<>{_q(ok)},"",IF(OR({B}="",{C}=""),"",{B}-{C}))',
           np.where(good, x - y, np.nan))
    no_data = _one(NO_DATA, lang)
    with np.errstate(invalid="ignore", divide="ignore"):
        growth = excel_round((x - y) / y, RATE_DECIMALS)
    shown = np.full(CUSTOMER_ROWS, None, object)
    has_this = good & ~np.isnan(x)
    shown[has_this & ~(y > 0)] = no_data
    shown[has_this & (y > 0)] = growth[has_this & (y > 0)]
    column("CustGrowth", f'IF({S}<>{_q(ok)},"",IF({B}="","",IF(OR({C}="",{C}=0),{_q(no_data)},'
                         f"ROUND(({B}-{C})/{C},{RATE_DECIMALS}))))", shown)


# --- writing and reading the workbook ------------------------------------------------------------

def _labels(form: Form) -> dict[str, tuple[str, ...]]:
    labels = SPEC.labels(form.lang)
    roles = form.scheme["RoleName"]
    labels["RoleName"] = tuple(str(v) for v in roles if v is not None)  # type: ignore[union-attr]
    return labels


NOTES = {
    "days": ("每行一天:白色单元格填写,灰色为公式。日目标 = 月销售目标按日权重精确分解到分;活动日(如大促)可填"
             "活动日权重;每天填写实际销售额。实际销售额有误的日期保留日目标,只是不计实际与完成率(待核)。",
             "One row per day: white cells are inputs, grey cells formulas. Day targets split the "
             "monthly target by day weight exactly to the cent; type an event weight for promotion "
             "days and each day's actual sales. A day whose sales are wrong keeps its target; only "
             "its actual and completion are left out (flagged)."),
    "month": ("周计划:各周(周一至周日)的起止日、目标、实际与完成率;月度汇总:月目标、实际、完成率、任务完成系数"
              "与团队绩效分成池(全部为公式)。",
              "Weekly plan: each week's (Monday to Sunday) days, target, actual and completion; "
              "the month: target, actual, completion, task-completion coefficient and the team "
              "share pool (all formulas)."),
    "team": ("每行一人(店长与员工):岗位须为方案中的岗位;底薪、绩效基数空白取岗位默认;出勤天数空白为全月。"
             "应发 = 底薪 + 任务完成系数 × 绩效基数 + 团队绩效分成 + 奖惩。",
             "One row per person (manager and staff): the role must be one of the scheme's; blank "
             "base or performance base takes the role's; blank days worked = the whole month. Pay "
             "= base + coefficient × performance base + team share + rewards and penalties."),
    "items": ("每行一项奖惩:姓名须与团队表一致,奖励为正、罚款为负(到分)。",
              "One reward or penalty per row: the name as on the team sheet, rewards positive, "
              "penalties negative (to the cent)."),
    "customers": ("每周统计老顾客数与去年同周对比,并填写调整与对策。同比增长 = (今年 − 去年同期) ÷ 去年同期。",
                  "Each week: returning customers against the same week last year, and the "
                  "adjustments made. Growth = (this year − last year) ÷ last year."),
}
TITLES = {"days": ("月销售目标分解(月 → 周 → 日)", "Monthly sales target by week and day"),
          "month": ("周计划与月度汇总", "Weekly plan and the month"),
          "team": ("店长及团队绩效工资", "Store manager and team pay"),
          "items": ("奖惩明细", "Rewards and penalties"),
          "customers": ("老顾客同比增长(每周)", "Returning customers, year on year (weekly)")}


def write(sheets: dict, form: Form, computed: Computed) -> dict[str, tuple[str, str]]:
    lang, zh = form.lang, form.lang == "zh"
    labels = _labels(form)
    SPEC.write(sheets["scheme"], form.scheme, form.names, lang, computed.cells.get("scheme", {}))
    names = {n: ("scheme", ref) for n, ref in form.names.items()}
    for key in TABLES:
        t = form.table(key)
        inputs = {f.name: form.inputs[f.name].tolist() for f in t.inputs}
        t.write(sheets[key], _one(TITLES[key], lang), _one(NOTES[key], lang), inputs, computed,
                key, lang, labels)
        names.update({n: (key, ref) for n, ref in t.names().items()})

    # 周计划与月度汇总: the weeks (Monday to Sunday), then the month
    ws, cells = sheets["month"], computed.cells["month"]
    top = WEEK_FIRST_ROW
    ws["A1"].value, ws["A1"].font = _one(TITLES["month"], lang), styles.TITLE
    ws["A2"].value, ws["A2"].font = _one(NOTES["month"], lang), styles.NOTE
    for i, head in enumerate(WEEK_HEADERS, 1):
        styles.header(ws.cell(top - 1, i), _one(head, lang))
        ws.column_dimensions[ws.cell(top - 1, i).column_letter].width = 14
    ws.column_dimensions["A"].width = 24
    for k in range(WEEK_ROWS):
        styles.label_cell(ws.cell(top + k, 1), k + 1, styles.HEADER)
        for i, fmt in enumerate(WEEK_FORMATS[1:], 2):
            ref = f"{ws.cell(top + k, i).column_letter}{top + k}"
            styles.formula_cell(ws[ref], cells[ref][0], fmt)
    for name, label_zh, label_en, fmt in MONTH_CELLS:
        ref = month_cell(name)
        styles.label_cell(ws[f"A{ref[1:]}"], label_zh if zh else label_en, styles.HEADER)
        styles.formula_cell(ws[ref], cells[ref][0], fmt)
        names[name] = ("month", f"${ref[0]}${ref[1:]}")
    ws.print_area = f"A1:F{month_cell('MonthCheck')[1:]}"
    styles.protect(ws)

    # 团队: totals, the share pool and its check, the coefficient applied
    ws, t = sheets["team"], form.table("team")
    row = t.last_row + 1
    label = t.letter("TeamStatus")  # the inputs' columns stay empty under the table
    styles.label_cell(ws[f"{label}{row}"], "合计" if zh else "Total", styles.HEADER)
    styles.label_cell(ws[f"{label}{row + 1}"], "系数 / 分成池 / 核对" if zh else
                      "Coefficient / share pool / check", styles.HEADER)
    formats = {f"{t.letter(f.name)}{row}": f.fmt for f in TEAM}
    formats.update({f"{t.letter('TeamPerf')}{row + 1}": WEIGHT_FMT,
                    f"{t.letter('TeamShare')}{row + 1}": styles.MONEY})
    for ref, (formula, _value) in computed.cells["team"].items():
        styles.formula_cell(ws[ref], formula, formats.get(ref))
    ws.print_area = f"A1:{t.letter('TeamPay')}{row + 1}"
    return names


def read(grids: dict, names: dict[str, tuple[str, str]], lang: str, file: str) -> Form:
    scheme, scheme_names, grid = shared.read_scheme(SPEC, grids, names, lang, file)
    _check_scheme(scheme, grid, scheme_names, file)
    for name in ("TeamName", "ItemName", "DayActual", "CustThis"):
        if name not in names:
            raise InputError("工作簿缺少定义名称", "the workbook lacks defined names", file, None,
                             name, "xlperf 写入的全部名称", "every name xlperf wrote")
    form = Form(lang, scheme, {}, rows_of(grid, names["TeamName"][1]), scheme_names,
                rows_of(grid, names["ItemName"][1]))
    for key in TABLES:
        form.inputs.update(form.table(key).read(grids[key], file))
    return form


def _check_scheme(scheme: Values, grid: Grid, names: dict[str, str], file: str) -> None:
    """What the fields alone cannot check: whole year and month, amounts in whole cents, ascending
    bands, day weights that split something, distinct roles with all their values."""
    def where(name: str, i: int = 0) -> str:
        return f"{grid.sheet}!{Grid.cells(names[name])[i]}"

    def refuse(name: str, i: int, zh: str, en: str, exp_zh: str, exp_en: str) -> None:
        raise InputError(zh, en, file, where(name, i), grid.get(Grid.cells(names[name])[i]),
                         exp_zh, exp_en)

    for name in ("PlanYear", "PlanMonth"):
        if not float(scheme[name]).is_integer():  # type: ignore[arg-type]
            refuse(name, 0, "须为整数", "must be a whole number", "如 2026、1", "e.g. 2026, 1")
    for name in ("SalesTarget", "SharePoolFixed", "RoleBase", "RolePerf"):
        values = scheme[name] if isinstance(scheme[name], list) else [scheme[name]]
        for i, value in enumerate(values):  # type: ignore[union-attr]
            if value is not None and not whole_cents(np.array([value], float))[0]:
                refuse(name, i, "金额须精确到分", "the amount must be in whole cents", "如 1234.56",
                       "e.g. 1234.56")
    bands: list[float] = scheme["BandFrom"]  # type: ignore[assignment]
    for i in range(1, len(bands)):
        if not bands[i] > bands[i - 1]:
            refuse("BandFrom", i, "完成率下限须严格递增", "completion limits must be strictly "
                   "ascending", f"大于 {bands[i - 1]:.2%}", f"more than {bands[i - 1]:.2%}")
    if sum(scheme["WeekdayWeight"]) <= 0:  # type: ignore[arg-type]
        refuse("WeekdayWeight", 0, "日权重合计须大于 0", "the day weights must sum to more than 0",
               "如 1", "e.g. 1")
    roles: list[object] = scheme["RoleName"]  # type: ignore[assignment]
    shared.refuse_repeats(roles, [where("RoleName", i) for i in range(len(roles))], file)
    for i, role in enumerate(roles):
        for name in ("RoleBase", "RolePerf", "RoleCoef"):
            value = scheme[name][i]  # type: ignore[index]
            if role is not None and value is None:
                refuse(name, i, "岗位的数值不能为空", "a role's values cannot be blank", "数字",
                       "a number")
            if role is None and value is not None:
                refuse(name, i, "数值没有岗位名称", "a value without a role name", "先填岗位名称",
                       "the role's name first")
