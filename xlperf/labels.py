"""Words the workbook shows, in Chinese (default) and English.

Code uses English keys; the workbook shows these labels. Status words are compared by formulas,
so each language's workbook embeds its own (and recalc renders them back from the same table).
"""
from __future__ import annotations

_TEXT: dict[str, tuple[str, str]] = {
    # sheets
    "sheet.appraisal": ("考核表", "Appraisal"),
    "sheet.scheme": ("方案", "Scheme"),
    "sheet.summary": ("汇总", "Summary"),
    # appraisal sheet
    "note": ("评分填 0–100 的分数或等级(优秀/良好/一般/待改进);白色单元格可填写,灰色为公式。"
             "空行不参与计算;新员工填在下一空行即可。",
             "Ratings: a score 0–100 or a level (Excellent/Good/Fair/Needs improvement). White cells "
             "are inputs, grey cells are formulas. Blank rows are ignored; add an employee in the "
             "next empty row."),
    "group.info": ("基本信息", "Employee"),
    "group.result": ("考核结果", "Result"),
    "group.alloc": ("分配计算(审计用)", "Allocation (for audit)"),
    "weights_row": ("权重", "Weight"),
    "employee_id": ("工号", "Employee ID"),
    "name": ("姓名", "Name"),
    "department": ("部门", "Department"),
    "tenure_years": ("工龄(年)", "Tenure (years)"),
    "months_worked": ("出勤月数", "Months worked"),
    "overall": ("满意度", "Satisfaction"),
    "score": ("得分", "score"),
    "total": ("综合得分", "Total score"),
    "grade": ("等级", "Grade"),
    "rank": ("排名", "Rank"),
    "gap": ("自评差异", "Self − total"),
    "points": ("绩效点数", "Points"),
    "pay": ("绩效工资", "Performance pay"),
    "status": ("校验", "Check"),
    "units": ("点数×10000", "Points×10000"),
    "floor_cents": ("保底(分)", "Floor (cents)"),
    "remainder": ("余数", "Remainder"),
    "key": ("尾差排序键", "Tie key"),
    # status words
    "status.ok": ("正常", "OK"),
    "status.no_id": ("缺工号", "No employee ID"),
    "status.error": ("含错误值", "Error value"),
    "status.bad_id": ("工号含 * ? ~", "ID holds * ? ~"),
    "status.duplicate": ("工号重复", "Duplicate ID"),
    "status.bad_rating": ("评分无效", "Invalid rating"),
    "status.bad_tenure": ("工龄无效", "Invalid tenure"),
    "status.bad_months": ("出勤月数无效", "Invalid months"),
    "status.no_supervisor": ("缺主管评", "No supervisor rating"),
    # validation prompts
    "rating.prompt": ("评分", "Rating"),
    "rating.help": ("填 0–100 的分数,或等级:{labels}", "A score 0–100, or a level: {labels}"),
    "rating.error": ("须为 0–100 的数,或 {labels} 之一", "Must be 0–100 or one of {labels}"),
    "tenure.help": ("在本部门的工龄(年),≥ 0,可含小数", "Years in the department, ≥ 0"),
    "months.help": ("本期出勤月数 0–{full};空白按 {full}", "Months worked 0–{full}; blank = {full}"),
    # scheme sheet
    "liven.map": ("活表映射:xlperf 重算时据此找到各表(请勿改动)",
                  "Liven map: where xlperf finds each table when it recalculates (do not edit)"),
    "liven.weights": ("各评分区段的权重(公式,随上方权重变化)",
                      "Weights of each span of ratings (formulas that follow the weights above)"),
    "scheme.title": ("考核方案(修改本页的白色单元格,所有结果随之更新)",
                     "Scheme (edit the white cells; every result follows)"),
    "scheme.factors": ("一、考核要素与评分标准", "1. Factors and standards"),
    "scheme.key": ("代码", "Key"),
    "scheme.factor": ("考核要素", "Factor"),
    "scheme.weight": ("权重", "Weight"),
    "scheme.sum": ("合计", "Total"),
    "scheme.check": ("校验", "Check"),
    "scheme.levels": ("二、评分等级(等级折算分值)", "2. Rating levels (points of each level)"),
    "scheme.level": ("等级", "Level"),
    "scheme.level_points": ("分值", "Points"),
    "scheme.raters": ("三、评价人、权重与评价范围", "3. Raters, weights and what they rate"),
    "scheme.rater": ("评价人", "Rater"),
    "scheme.overall": ("整体评分", "Overall"),
    "scheme.rates_note": ("✓ = 该评价人评此项;评价范围决定考核表的列,修改后请用 xlperf 重新生成。"
                          "自评权重为 0:仅作参考,不计入总分。",
                          "✓ = the rater rates it; this decides the appraisal columns, so changing it "
                          "needs a rebuild with xlperf. Self rating weighs 0: for reference only."),
    "scheme.grades": ("四、等级划分与等级系数(按最低分升序)", "4. Grades and coefficients (ascending)"),
    "scheme.grade": ("等级", "Grade"),
    "scheme.min_score": ("最低分(≥)", "Minimum score (≥)"),
    "scheme.coef": ("系数", "Coefficient"),
    "scheme.tenure": ("五、工龄系数(工龄 ≥ 下限,按下限升序)", "5. Tenure coefficients (ascending)"),
    "scheme.min_years": ("工龄下限(年)", "From (years)"),
    "scheme.params": ("六、预算与参数", "6. Budget and parameters"),
    "scheme.budget": ("绩效工资预算(元)", "Performance pay budget"),
    "scheme.full_months": ("满勤月数", "Months in a full period"),
    "scheme.points_rule": ("点数 = 等级系数 × 工龄系数 × 出勤月数 ÷ 满勤月数(保留 4 位小数)",
                           "Points = grade coef × tenure coef × months worked ÷ full months (4 dp)"),
    "scheme.pay_rule": ("绩效工资 = 预算 × 个人点数 ÷ 点数合计,按分精确分配,尾差按余数从大到小各补 1 分"
                        "(余数相同者行在前者优先),合计恰等于预算。",
                        "Pay = budget × points ÷ total points, split exactly in cents; the leftover "
                        "cents go one each to the largest remainders (earlier row first on ties), so "
                        "the pay sums to the budget exactly."),
    "ok": ("✓", "✓"),
    "weights_bad": ("✗ 须为 100%", "✗ must be 100%"),
    # summary sheet
    "summary.title": ("考核汇总", "Summary"),
    "summary.headcount": ("人数", "Employees"),
    "summary.complete": ("完整", "Complete"),
    "summary.incomplete": ("不完整(见考核表校验列)", "Incomplete (see the Check column)"),
    "summary.average": ("平均综合得分", "Average total score"),
    "summary.grades": ("等级分布", "Grade distribution"),
    "summary.count": ("人数", "Count"),
    "summary.share": ("占比", "Share"),
    "summary.departments": ("部门汇总", "By department"),
    "summary.dept_avg": ("平均分", "Average score"),
    "summary.dept_pay": ("绩效工资合计", "Pay total"),
    "summary.unlisted": ("未列入部门表的人数", "Employees of unlisted departments"),
    "summary.alloc": ("分配校验", "Allocation check"),
    "summary.budget": ("预算(元)", "Budget"),
    "summary.budget_cents": ("预算(分)", "Budget (cents)"),
    "summary.points_units": ("点数合计×10000", "Total points×10000"),
    "summary.floor_cents": ("保底合计(分)", "Floors (cents)"),
    "summary.leftover": ("尾差(分)", "Leftover cents"),
    "summary.threshold": ("补分门槛键", "Extra-cent threshold key"),
    "summary.pay_total": ("分配合计(元)", "Allocated total"),
    "summary.pay_check": ("分配合计 = 预算", "Allocated = budget"),
    "summary.chart": ("等级分布", "Grades"),
}


def text(key: str, lang: str) -> str:
    """The label of ``key`` in ``lang``."""
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en
