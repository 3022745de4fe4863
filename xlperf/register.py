"""Gathering one-sheet-per-employee appraisals (个人考核表) into a register: one record per person,
keyed like the roster CSV (``employee_id``, ``name``, ``department``, ``supervisor.knowledge`` …),
so the same appraisal computes them all.

A personal table has the factors as rows and the raters as columns; the labelled cells above it say
whose it is. A factor name the vocabulary does not know is reported, never guessed.
"""
from __future__ import annotations

from datetime import date, datetime

from .a1 import column_index, split_cell
from .errors import InputError
from .layout import IDENTITY, rating_key
from .recognize import Found, Sheet
from .vocabulary import FACTOR_INDEX, normalize

Record = dict[str, object]


def gather(tables: list[tuple[Sheet, Found]]) -> list[Record]:
    """One record per personal table, in workbook order."""
    records = []
    for sheet, found in tables:
        if found.kind != "personal":
            continue
        rec: Record = {}
        for role, ref in found.person.items():
            letters, row = split_cell(ref)
            rec[role] = sheet.get(row, column_index(letters))
        factor_col = next(c for c, r in found.roles.items() if r == "factor")
        raters = {letter: role.split(":")[1] for letter, role in found.roles.items()
                  if role.startswith("rating:")}
        for r in range(found.rows[0], found.rows[1] + 1):
            name = sheet.get(r, column_index(factor_col))
            if name is None:
                continue
            factor = FACTOR_INDEX.get(normalize(name))
            if factor is None:
                raise InputError("考核项目不是已知的要素", "the factor is not one xlperf knows",
                                 None, f"{sheet.name}!{factor_col}{r}", name,
                                 "业务知识能力、沟通能力、问题解决能力、人际关系协调、反馈与学习能力",
                                 "knowledge, communication, problem solving, interpersonal, "
                                 "learning")
            for letter, rater in raters.items():
                rec[rating_key(rater, factor)] = sheet.get(r, column_index(letter))
        records.append(rec)
    return records


def tenure_years(hired: object, as_of: date) -> float | None:
    """Completed years from a hire date to ``as_of`` (DATEDIF's "y"); None if not a date."""
    if isinstance(hired, datetime):
        hired = hired.date()
    if not isinstance(hired, date):
        return None
    years = as_of.year - hired.year - ((as_of.month, as_of.day) < (hired.month, hired.day))
    return float(max(years, 0))


def roster_records(records: list[Record], as_of: date) -> list[Record]:
    """The register as roster records: identity and ratings; tenure from 工龄, else from the hire
    date as of ``as_of`` (left blank when neither is there: the workbook then asks for it)."""
    out = []
    for rec in records:
        row = {k: v for k, v in rec.items() if k in IDENTITY or k.count(".") == 1}
        if row.get("tenure_years") is None and rec.get("hire_date") is not None:
            row["tenure_years"] = tenure_years(rec["hire_date"], as_of)
        out.append(row)
    return out
