"""The appraisal scheme: factors, rating levels, raters, grade bands, tenure bands and the budget.

The scheme travels inside the workbook (the 方案 sheet); this module holds its model, the default
scheme of DESIGN.md in Chinese and English, and the rules a scheme must satisfy. Like Frappe HRMS'
appraisal template, the model validates itself: weights that do not sum to 100% are refused with a
message that says by how much.
"""
from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from .errors import InputError
from .rounding import excel_round

#: Largest budget one sheet allocates. Keeps budget-cents × points-units below 10^14, where every
#: engine (LibreOffice's INT and subtraction snap to 15 digits) still computes the split exactly.
MAX_BUDGET_CENTS = 10_000_000_00
#: Coefficients are capped so that points stay within the exact range above.
MAX_COEF = 3.0
WEIGHT_DECIMALS = 6  # the 方案 sheet's ✓ cell tests ROUND(SUM(weights),6)=1: the same rule
_AMOUNT = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?")


@dataclass(frozen=True)
class Factor:
    key: str
    name: str
    weight: float
    standards: tuple[str, ...]  # one description per rating level, best first


@dataclass(frozen=True)
class Level:
    label: str
    points: float


@dataclass(frozen=True)
class Rater:
    key: str
    name: str
    weight: float
    rates: tuple[str, ...]  # factor keys it rates; empty = one overall score (customer survey)


@dataclass(frozen=True)
class Grade:
    label: str
    min_score: float
    coef: float


@dataclass(frozen=True)
class TenureBand:
    min_years: float
    coef: float


@dataclass(frozen=True)
class Scheme:
    factors: tuple[Factor, ...]
    levels: tuple[Level, ...]
    raters: tuple[Rater, ...]
    grades: tuple[Grade, ...]  # ascending by min_score, as MATCH(...,1) needs
    tenure: tuple[TenureBand, ...]  # ascending by min_years
    budget_cents: int
    full_months: int = 12
    lang: str = "zh"
    title: str = field(default="")

    @property
    def budget(self) -> Decimal:
        return Decimal(self.budget_cents) / 100

    def factor(self, key: str) -> Factor:
        return next(f for f in self.factors if f.key == key)

    def rating_columns(self) -> list[tuple[str, str | None]]:
        """(rater key, factor key or None for an overall score), in sheet order."""
        cols: list[tuple[str, str | None]] = []
        for rater in self.raters:
            cols += [(rater.key, k) for k in rater.rates] if rater.rates else [(rater.key, None)]
        return cols

    def with_budget(self, budget_cents: int) -> "Scheme":
        return replace(self, budget_cents=budget_cents).validated()

    def validated(self, file: str | None = None, places: dict[str, str] | None = None) -> "Scheme":
        """Return self when every rule holds; raise InputError naming the broken rule otherwise.

        ``places`` maps a defined name (FactorWeight, RaterWeight, GradeMin, ...) to the cells it
        covers, so a message read from a workbook points at the cells to fix.
        """
        sheet = "方案" if self.lang == "zh" else "Scheme"
        at = lambda name: (places or {}).get(name, sheet)  # noqa: E731
        where = sheet
        check_weights([f.weight for f in self.factors], "要素权重", "factor weights", file,
                       at("FactorWeight"))
        check_weights([r.weight for r in self.raters], "评价人权重", "rater weights", file,
                       at("RaterWeight"))
        for r in self.raters:
            if r.key == "supervisor" and not r.weight > 0:
                raise InputError("主管评权重必须大于 0", "the supervisor weight must be above 0",
                                 file, at("RaterWeight"), r.weight, "> 0", "> 0")
            for key in r.rates:
                if key not in {f.key for f in self.factors}:
                    raise InputError("评价范围含未知要素", "a rater rates an unknown factor",
                                     file, where, key, "方案中的要素", "a factor of the scheme")
        check_ascending([g.min_score for g in self.grades], "等级最低分", "grade minimum scores",
                         file, at("GradeMin"))
        check_ascending([t.min_years for t in self.tenure], "工龄下限", "tenure lower bounds",
                         file, at("TenureMin"))
        if self.tenure and self.tenure[0].min_years != 0:
            raise InputError("工龄段须从 0 年开始", "tenure bands must start at 0 years",
                             file, at("TenureMin"), self.tenure[0].min_years, "0", "0")
        if self.grades and self.grades[0].min_score > 0:
            raise InputError("最低等级的最低分须为 0", "the lowest grade must start at score 0",
                             file, at("GradeMin"), self.grades[0].min_score, "0", "0")
        for coef in [g.coef for g in self.grades] + [t.coef for t in self.tenure]:
            if not 0 <= coef <= MAX_COEF:
                raise InputError("系数超出范围", "coefficient out of range", file, where, coef,
                                 f"0–{MAX_COEF:g}", f"0–{MAX_COEF:g}")
        for level in self.levels:
            if not 0 <= level.points <= 100:
                raise InputError("等级分值超出范围", "level points out of range", file, where,
                                 level.points, "0–100", "0–100")
        check_budget_cents(self.budget_cents, file, at("Budget"))
        for name, labels in (("LevelLabel", [lv.label for lv in self.levels]),
                             ("GradeLabel", [g.label for g in self.grades])):
            lowered = [str(x).strip().lower() for x in labels]
            if "" in lowered or len(set(lowered)) != len(lowered):
                raise InputError("等级名称须各不相同且非空", "labels must be distinct and not blank",
                                 file, at(name), labels, "互不相同的名称", "distinct names")
        if not 1 <= self.full_months <= 12:
            raise InputError("满勤月数须为 1–12", "months in a full period must be 1–12", file,
                             at("FullMonths"), self.full_months, "1–12", "1–12")
        return self


def check_weights(weights: list[float], zh: str, en: str, file: str | None, where: str | None
                  ) -> None:
    """Refuse weights that are negative or do not make 100%, saying by how much."""
    total = sum(weights)
    if any(w < 0 for w in weights) or round(total, WEIGHT_DECIMALS) != 1:
        diff = (total - 1.0) * 100
        raise InputError(f"{zh}合计须为 100%(相差 {diff:+.4g}%)",
                         f"{en} must sum to 100% (off by {diff:+.4g}%)",
                         file, where, f"{total * 100:.6g}%", "100%", "100%")


def check_ascending(values: list[float], zh: str, en: str, file: str | None, where: str) -> None:
    if any(b <= a for a, b in zip(values, values[1:])):
        raise InputError(f"{zh}须严格递增", f"{en} must be strictly ascending", file, where,
                         values, "递增", "ascending")


def check_budget_cents(cents: int, file: str | None = None, where: str | None = None) -> int:
    if not 0 <= cents <= MAX_BUDGET_CENTS:
        raise InputError("预算超出范围", "budget out of range", file, where, cents / 100,
                         f"0 至 {MAX_BUDGET_CENTS / 100:,.2f}(超出请按部门拆分)",
                         f"0 to {MAX_BUDGET_CENTS / 100:,.2f} (split larger budgets by department)")
    return cents


def parse_budget(text: object, file: str | None = None, where: str | None = None) -> int:
    """A budget typed by a person ('120000', '120,000.50', '¥120000') as integer cents; an amount
    with more than two decimals is refused, not rounded: the split must match what was typed."""
    raw = str(text).strip().lstrip("¥￥")
    amount = Decimal("NaN")
    if _AMOUNT.fullmatch(raw):
        with contextlib.suppress(InvalidOperation):
            amount = Decimal(raw.replace(",", ""))
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InputError("预算无效", "invalid budget", file, where, text,
                         "非负金额,至多两位小数,如 120000.00",
                         "a non-negative amount with at most 2 decimals, such as 120000.00")
    return check_budget_cents(int(amount * 100), file, where)


def budget_cents_of(value: float, file: str | None = None, where: str | None = None) -> int:
    """The budget cell of a workbook as integer cents, refusing what is not a whole cent."""
    cents = float(excel_round(value * 100, 0))
    if value < 0 or float(excel_round(value, 2)) != value:
        raise InputError("预算无效", "invalid budget", file, where, value,
                         "非负金额,至多两位小数", "a non-negative amount with at most 2 decimals")
    return check_budget_cents(int(cents), file, where)


# --- the default scheme (DESIGN.md, from the seed's customer-service form) ------------------

_FACTORS = [
    ("knowledge", "业务知识能力", "Product knowledge", 0.25,
     ("掌握全面,能解答", "熟悉大部分内容", "理解基本内容", "存在较大漏洞"),
     ("Thorough; answers every question", "Knows most of it", "Understands the basics",
      "Large gaps")),
    ("communication", "沟通能力", "Communication", 0.20,
     ("灵活运用,表达清晰", "流利表达,准确", "基本表达清楚", "沟通存在困难"),
     ("Versatile and clear", "Fluent and accurate", "Basically clear", "Has difficulty")),
    ("problem_solving", "问题解决能力", "Problem solving", 0.25,
     ("快速找到解决方案", "能解决大部分问题", "部分问题解决", "问题解决能力较差"),
     ("Finds solutions fast", "Solves most problems", "Solves some problems", "Weak")),
    ("interpersonal", "人际关系协调", "Teamwork", 0.15,
     ("能有效合作,并解决冲突", "能与大部分同事协作", "基本与同事合作", "人际关系处理较差"),
     ("Cooperates and resolves conflict", "Works with most colleagues",
      "Basically cooperates", "Poor")),
    ("learning", "反馈与学习能力", "Feedback & learning", 0.15,
     ("积极接受反馈,不断学习", "有积极学习意愿", "基本完成学习任务", "学习能力较弱"),
     ("Seeks feedback, keeps learning", "Willing to learn", "Completes required learning",
      "Learns slowly")),
]
_LEVELS = [("优秀", "Excellent", 95.0), ("良好", "Good", 85.0), ("一般", "Fair", 70.0),
           ("待改进", "Needs improvement", 50.0)]
_RATERS = [
    ("self", "自评", "Self", 0.0, None),
    ("supervisor", "主管评", "Supervisor", 0.60, None),
    ("peer", "同事评", "Peers", 0.20, ("interpersonal",)),
    ("customer", "客户评", "Customers", 0.20, ()),
]
_GRADES = [("待改进", "Needs improvement", 0.0, 0.5), ("一般", "Fair", 60.0, 1.0),
           ("良好", "Good", 80.0, 1.2), ("优秀", "Excellent", 90.0, 1.5)]
_TENURE = [(0.0, 1.0), (1.0, 1.1), (3.0, 1.2), (5.0, 1.3), (10.0, 1.4)]
DEFAULT_BUDGET_CENTS = 120_000_00


def default_scheme(lang: str = "zh", budget_cents: int = DEFAULT_BUDGET_CENTS) -> Scheme:
    """The customer-service scheme of DESIGN.md, labelled in ``lang`` ('zh' or 'en')."""
    zh = lang == "zh"
    keys = tuple(f[0] for f in _FACTORS)
    factors = tuple(Factor(k, zn if zh else en, w, sz if zh else se)
                    for k, zn, en, w, sz, se in _FACTORS)
    levels = tuple(Level(zn if zh else en, p) for zn, en, p in _LEVELS)
    raters = tuple(Rater(k, zn if zh else en, w, keys if rates is None else rates)
                   for k, zn, en, w, rates in _RATERS)
    grades = tuple(Grade(zn if zh else en, m, c) for zn, en, m, c in _GRADES)
    tenure = tuple(TenureBand(m, c) for m, c in _TENURE)
    title = "客服岗位绩效考核表" if zh else "Customer service performance appraisal"
    return Scheme(factors, levels, raters, grades, tenure, budget_cents, 12, lang,
                  title).validated()
