"""The KPI dictionary (KPI辞典): the seed's table 12 and its quality-of-work measures, and how each
KPI's value is computed from the numbers people record — reference and formula side by side.

A KPI is a ratio (numerator ÷ denominator), a budget accuracy (1 − |actual − budget| ÷ budget), a
rating given by a superior (0–100) or a count (errors, defects, complaints). A ratio with a blank or
zero denominator has no data: its value is blank, never #DIV/0!, and the scorecard re-spreads its
weight over the KPIs that have data.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .rounding import excel_round

KINDS = ("ratio", "budget_accuracy", "rating", "count")
KIND_LABELS = {"zh": ("比率", "预算准确率", "上级评分", "计数"),
               "en": ("Ratio", "Budget accuracy", "Rating", "Count")}


@dataclass(frozen=True)
class Kpi:
    key: str
    name: str  # as table 12 names it
    name_en: str
    definition: str  # 指标定义/计算公式, as the seed gives it
    source: str  # 数据来源
    kind: str
    direction: str  # "higher" or "lower" is better


TABLE_12 = (
    Kpi("written_procedures", "书面的流程和制度所占的百分率(ISO标准)",
        "Written procedures share (ISO)",
        "(书面化的流程和制度数目/所有需要制订的流程和制度总数)*100%",
        "需书面化的流程与制度规定", "ratio", "higher"),
    Kpi("plan_completion", "工作目标按计划完成率", "Work goals completed on plan",
        "(实际完成工作量/计划完成量)*100%", "工作记录", "ratio", "higher"),
    Kpi("report_error_rate", "报表数据出错率", "Report data error rate",
        "(查出有误报表数量/提交报表总数)*100%", "报表检查记录", "ratio", "lower"),
    Kpi("archiving_rate", "文书档案归档率", "Document archiving rate",
        "(归档文档数/文档总数)*100%", "文档记录", "ratio", "higher"),
    Kpi("market_research_quality", "国内外市场调研报告的质量", "Market research report quality",
        "上级评定", "上级评定", "rating", "higher"),
    Kpi("feasibility_quality", "项目可行性分析报告质量", "Feasibility study quality",
        "项目可行性分析报告质量", "认证/上级评定", "rating", "higher"),
    Kpi("financial_report_error_rate", "财务报表出错率", "Financial statement error rate",
        "(查出有误的财务报表数量/提交的财务报表总数)*100%", "财务报表检查记录", "ratio", "lower"),
    Kpi("financial_analysis_error_rate", "财务分析出错率", "Financial analysis error rate",
        "(有误的财务分析数量/提交的财务分析总数)*100%", "财务分析记录", "ratio", "lower"),
    Kpi("budget_accuracy", "各部门预算准确率", "Departmental budget accuracy",
        "(1-超出或未达成预算/部门预算)*100%", "各部门费用预算达成率", "budget_accuracy", "higher"),
    Kpi("kpi_dictionary_timeliness", "KPI辞典更新的及时性", "KPI dictionary kept up to date",
        "将新生成的KPI第一时间放入KPI辞典", "KPI辞典", "rating", "higher"),
    Kpi("proposal_success_rate", "策划方案成功率", "Proposal success rate",
        "(成功方案数/提交方案数)*100%", "策划方案提交与成功记录", "ratio", "higher"),
    Kpi("report_timeliness", "提交项目管理报告及时性", "Project reports on time",
        "(按时提交管理报告/报告总数)*100%", "项目管理报告记录", "ratio", "higher"),
)
#: The quality-of-work measures of the seed's HR-indicator text.
QUALITY_OF_WORK = (
    Kpi("defect_rate", "产品缺陷率", "Product defect rate", "(缺陷产品数/产品总数)*100%",
        "质检记录", "ratio", "lower"),
    Kpi("work_errors", "工作错误数量", "Work errors", "书面工作的更正次数或程序错误数",
        "工作记录", "count", "lower"),
)
DICTIONARY = TABLE_12 + QUALITY_OF_WORK


VALUE_DECIMALS = 6  # 0.0001%: enough for any ratio, and clean numbers for the rules to compare


def value(kind: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A KPI's value from its recorded numbers (NaN = blank); NaN where there is no data.

    ``first``/``second`` are numerator/denominator for a ratio, actual/budget for a budget
    accuracy, and the value itself (second unused) for a rating or a count. Ratios are rounded
    to 6 decimals, so a value at a breakpoint is the breakpoint in every engine.
    """
    kind = np.asarray(kind)
    a, b = np.asarray(first, float), np.asarray(second, float)
    usable = ~np.isnan(a) & ~np.isnan(b) & (b != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(usable, excel_round(a / b, VALUE_DECIMALS), np.nan)
        accuracy = np.where(usable, excel_round(1 - np.abs(a - b) / b, VALUE_DECIMALS), np.nan)
    return np.select([kind == "ratio", kind == "budget_accuracy"], [ratio, accuracy], a)


def ratio(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """first ÷ second to 6 decimals, as a form's 完成率 or 实际值 column; NaN (blank) where either
    is not a number or the second is 0."""
    a, b = np.asarray(first, float), np.asarray(second, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(~np.isnan(a) & ~np.isnan(b) & (b != 0),
                        excel_round(a / b, VALUE_DECIMALS), np.nan)


def ratio_formula(first: str, second: str) -> str:
    return (f'IF(AND(ISNUMBER({first}),ISNUMBER({second})),'
            f'IF({second}<>0,ROUND({first}/{second},{VALUE_DECIMALS}),""),"")')


def value_formula(kind: str, first: str, second: str, no_data: str = '""') -> str:
    """The cell formula of :func:`value`; ``kind`` is an expression giving the kind's position
    in :data:`KINDS` (1 ratio, 2 budget accuracy, 3 rating, 4 count)."""
    a, b = first, second
    return (f'IF({kind}<=2,IF(OR({a}="",{b}="",{b}=0),{no_data},IF({kind}=1,'
            f"ROUND({a}/{b},{VALUE_DECIMALS}),ROUND(1-ABS({a}-{b})/{b},{VALUE_DECIMALS}))),"
            f'IF({a}="",{no_data},{a}))')
