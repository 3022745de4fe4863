"""Benchmark: ``xlperf liven`` on a hand-made appraisal form, then recalc, LibreOffice and formulas
on the livened workbook — the same way and with the same helpers as bench_appraisal.py.

The form is what HR types: a title, a header of 工号/姓名/部门 and rater-factor columns, typed
综合得分 and 等级 (a few of them wrong). Liven and recalc run three times (best and median);
LibreOffice and formulas once. Every employee's exported result must equal LibreOffice's.

    python bench/bench_liven.py [--sizes 1000 10000] [--formulas-at 1000] [--out bench/out]
"""
from __future__ import annotations

import random
from pathlib import Path

from bench_appraisal import XLPERF, against_engines, header, main, results, row, run


FACTORS = ("业务知识能力", "沟通能力", "问题解决能力", "人际关系协调", "反馈与学习能力")


def hand_made_form(path: Path, n: int) -> None:
    """An appraisal form as people type it, with typed totals and grades (1 in 50 mistyped)."""
    from openpyxl import Workbook
    rng = random.Random(n)
    wb = Workbook()
    ws = wb.active
    ws.title = "考核表"
    ws.append(["2024年客服中心员工绩效考核表"])
    ws.append(["考核期间:2024年1月—6月"])
    ws.append(["序号", "工号", "姓名", "部门", *(f"主管评-{f}" for f in FACTORS), "同事评-人际关系协调",
               "客户评", "综合得分", "等级"])
    weights = (0.25, 0.2, 0.25, 0.15, 0.15)
    for i in range(n):
        sup = [rng.randint(55, 100) for _ in FACTORS]
        peer, cust = rng.randint(60, 100), rng.randint(60, 100)
        total = round((0.6 * sum(w * s for w, s in zip(weights, sup)) + 0.2 * peer + 0.2 * cust), 2)
        if i % 50 == 7:
            total += 1
        grade = "优秀" if total >= 90 else "良好" if total >= 80 else "一般" if total >= 60 else "待改进"
        ws.append([i + 1, f"E{i:06d}", f"员工{i}", f"客服{i % 7 + 1}部", *sup, peer, cust, total,
                   grade])
    ws.append(["考核人签字:", None, None, None, None, None, "日期:"])
    wb.save(path)


def bench(n: int, work: Path, with_formulas: bool) -> dict[str, object]:
    form, live, again = work / f"form{n}.xlsx", work / f"live{n}.xlsx", work / f"re{n}.xlsx"
    hand_made_form(form, n)
    livens = [run([*XLPERF, "liven", str(form), "-o", str(live)]) for _ in range(3)]
    recalcs = [run([*XLPERF, "recalc", str(live), "-o", str(again)]) for _ in range(3)]
    ours = results(again, work)
    result: dict[str, object] = {
        "employees": n, "liven_s": [x[0] for x in livens], "liven_mb": max(x[1] for x in livens),
        "recalc_s": [x[0] for x in recalcs], "recalc_mb": max(x[1] for x in recalcs),
        "employees_exported": len(ours)}
    against_engines(live, work, ours, with_formulas, result)
    return result


def report(rows: list[dict[str, object]], info: dict[str, str]) -> list[str]:
    lines = header(info, "liven")
    checks = []
    for r in rows:
        lines.append(row(r, "liven"))
        checks.append((f"all {r['employees']:,} employees exported",
                       r["employees_exported"] == r["employees"]))
        if "employees_differing_from_libreoffice" in r:
            checks.append((f"every employee's score, grade and rank equal in LibreOffice at "
                           f"{r['employees']:,}", r["employees_differing_from_libreoffice"] == 0))
    lines += ["", "liven and recalc: 3 runs each (best / median); LibreOffice and formulas: 1 run "
              "each; wall time of the whole command; peak MB = max RSS of its largest process."]
    lines += [f"{'PASS' if ok else 'MISS'}  {name}" for name, ok in checks]
    return lines


if __name__ == "__main__":
    main(__doc__, bench, report, "liven.json")
