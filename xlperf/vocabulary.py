"""The words HR forms use in their headers, in Chinese and English, and the role each names.

A header is normalized (spaces, full-width punctuation, case) before it is looked up, so 员工 姓名,
员工姓名: and "Employee Name" all find their role. Roles are the vocabulary of ``xlperf liven``:
identity columns, ratings by rater and factor, hand-typed results, KPI columns, level standards.
"""
from __future__ import annotations

import re
import unicodedata

IDENTITY = {
    "employee_id": ("工号", "员工编号", "职工编号", "员工工号", "人员编号", "id", "empno", "emp.no.",
                    "employeeid", "employeeno.", "staffid", "staffno."),
    "name": ("姓名", "员工姓名", "职工姓名", "被考核人", "name", "employeename", "employee",
             "staffname"),
    "department": ("部门", "所在部门", "所属部门", "科室", "department", "dept.", "dept", "team"),
    "position": ("岗位", "职位", "职务", "岗位名称", "position", "jobtitle", "title", "role"),
    "hire_date": ("入职日期", "入职时间", "入司日期", "hiredate", "startdate", "datejoined"),
    "tenure_years": ("工龄", "司龄", "工龄(年)", "司龄(年)", "tenure", "tenure(years)",
                     "yearsofservice"),
    "seq": ("序号", "no.", "no", "#", "s/n"),
}
RESULTS = {
    "total": ("综合得分", "总分", "总得分", "合计得分", "考核总分", "最终得分", "综合评分", "total",
              "totalscore", "overallscore", "finalscore"),
    "grade": ("等级", "考核等级", "评定等级", "考核结果", "grade", "level", "rating"),
    "weight": ("权重", "分值", "比重", "权重(%)", "weight", "weight(%)"),
    "score": ("得分", "评分", "分数", "加权得分", "小计得分", "score", "weightedscore", "subtotal"),
    "rank": ("排名", "名次", "排序", "rank", "ranking"),
    "remark": ("备注", "说明", "remark", "remarks", "comment", "comments", "notes"),
}
RATERS = {
    "self": ("自评", "自我评价", "本人自评", "员工自评", "self", "selfassessment", "self-assessment",
             "selfrating"),
    "supervisor": ("主管评", "上级评", "主管评价", "上级评价", "直接上级评", "主管评分", "上级评分",
                   "supervisor", "manager", "supervisorrating", "managerrating"),
    "peer": ("同事评", "同级评", "同事评价", "互评", "同事互评", "peer", "peers", "peerrating"),
    "customer": ("客户评", "客户评价", "客户满意度", "客户评分", "customer", "customers",
                 "customersatisfaction", "customerrating"),
}
FACTORS = {
    "knowledge": ("业务知识能力", "业务知识", "专业知识", "knowledge", "jobknowledge",
                  "productknowledge"),
    "communication": ("沟通能力", "沟通", "communication", "communicationskills"),
    "problem_solving": ("问题解决能力", "解决问题能力", "问题解决", "problemsolving"),
    "interpersonal": ("人际关系协调", "人际关系", "人际协调", "interpersonal", "interpersonalskills",
                      "teamwork"),
    "learning": ("反馈与学习能力", "学习能力", "反馈与学习", "learning", "feedbackandlearning",
                 "feedback&learning", "learningability"),
}
KPI = {
    "kpi_name": ("关键绩效指标", "关键绩效指标(kpi)", "kpi", "kpi名称", "指标", "指标名称", "kpiname",
                 "indicator", "keyperformanceindicator"),
    "kpi_definition": ("指标定义/计算公式", "指标定义", "计算公式", "定义", "definition",
                       "definition/formula", "formula"),
    "kpi_source": ("数据来源", "数据源", "source", "datasource"),
    "numerator": ("分子", "numerator"),
    "denominator": ("分母", "denominator"),
    "target": ("目标", "目标值", "计划值", "target", "plan"),
    "actual": ("实际", "实际值", "完成值", "actual"),
    "kpi_value": ("完成率", "达成率", "完成比率", "rate", "completionrate", "achievement"),
}
FACTOR_COLUMN = ("考核项目", "考核要素", "考核内容", "评价项目", "考核指标", "能力要素", "要素",
                 "factor", "item", "criteria", "criterion", "competency")
#: A column of text that says how each factor is scored.
STANDARD_COLUMN = ("评分标准", "考核标准", "评价标准", "标准", "standard", "standards",
                   "scoringstandard", "scoringguide")
LEVELS = {
    "excellent": ("优秀", "excellent", "outstanding"),
    "good": ("良好", "good"),
    "fair": ("一般", "合格", "fair", "satisfactory"),
    "needs_improvement": ("待改进", "需改进", "较差", "needsimprovement", "poor"),
}
#: A row starting with one of these closes a table (or a block of it): its totals or averages.
TOTALS = ("合计", "总计", "平均", "平均分", "平均值", "平均数", "均值", "小计", "total", "totals",
          "average", "sum", "mean", "avg", "avg.", "subtotal", "grandtotal")
#: Chinese labels of such rows often carry a prefix: 部门平均, 一部小计, 全公司合计.
_TOTALS_ENDINGS = ("合计", "总计", "小计", "平均", "平均分", "平均值", "均值")
#: Text of the lines under a table: signatures and dates.
SIGNATURE = ("签字", "签名", "签章", "日期", "signature", "signed", "date:")

_PUNCT = str.maketrans({"(": "(", ")": ")", ":": ":", ",": ",", "/": "/", "\u3000": " "})


def normalize(text: object) -> str:
    """A header as looked up: NFKC, half-width punctuation, no spaces or trailing colon, lower."""
    s = unicodedata.normalize("NFKC", str(text)).translate(_PUNCT)
    s = re.sub(r"\s+", "", s).rstrip(":").lower()
    return s


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalize(alias): key for key, aliases in table.items() for alias in aliases}


IDENTITY_INDEX = _index(IDENTITY)
RESULT_INDEX = _index(RESULTS)
RATER_INDEX = _index(RATERS)
FACTOR_INDEX = _index(FACTORS)
KPI_INDEX = _index(KPI)
LEVEL_INDEX = _index(LEVELS)
FACTOR_COLUMN_INDEX = {normalize(a) for a in FACTOR_COLUMN}
STANDARD_COLUMN_INDEX = {normalize(a) for a in STANDARD_COLUMN}
#: What people add after a rater's name for its score: 自评得分, 同事评分, Self score.
_SCORE_SUFFIXES = ("得分", "评分", "分", "score", "rating")
TOTALS_INDEX = {normalize(a) for a in TOTALS}
_SEPARATORS = re.compile(r"[-—–_/|·\\]")


def rater_factor(text: object) -> tuple[str | None, str | None]:
    """(rater, factor) a header names: "主管评-业务知识" → (supervisor, knowledge); a lone rater
    or factor gives the other as None."""
    key = normalize(text)
    if key in RATER_INDEX:
        return RATER_INDEX[key], None
    for suffix in _SCORE_SUFFIXES:
        if key.endswith(suffix) and key[:-len(suffix)] in RATER_INDEX:
            return RATER_INDEX[key[:-len(suffix)]], None
    if key in FACTOR_INDEX:
        return None, FACTOR_INDEX[key]
    for cut in _SEPARATORS.finditer(key):
        left, right = key[:cut.start()], key[cut.end():]
        if left in RATER_INDEX and right in FACTOR_INDEX:
            return RATER_INDEX[left], FACTOR_INDEX[right]
        if left in FACTOR_INDEX and right in RATER_INDEX:
            return RATER_INDEX[right], FACTOR_INDEX[left]
    return None, None


def is_totals(text: object) -> bool:
    """Whether a row's leading text makes it a totals, subtotal or average row."""
    key = normalize(text)
    return key in TOTALS_INDEX or (len(key) <= 8 and key.endswith(_TOTALS_ENDINGS))


def is_average(text: object) -> bool:
    """Whether a totals row's label says average (平均, 部门平均, Mean) rather than sum."""
    key = normalize(text)
    return "平均" in key or "均值" in key or key in ("average", "mean", "avg", "avg.")


def is_signature(text: object) -> bool:
    key = normalize(text)
    return any(normalize(word) in key for word in SIGNATURE) or bool(re.search(r"_{3,}", key))
