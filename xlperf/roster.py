"""Roster CSV: the employees and their ratings, with English keys or the form's Chinese headers.

Columns: employee_id, name, department, tenure_years, optional months_worked, then one column per
rating (``self.knowledge`` … ``supervisor.learning``, ``peer.interpersonal``, ``customer``), or the
same in Chinese (工号, 姓名, 部门, 工龄, 出勤月数, 自评-业务知识能力, …, 同事评-人际关系协调, 客户评).
A blank cell is "not rated". UTF-8, with or without BOM.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from .appraisal import present_rows
from .csvfile import read_records
from typing import TYPE_CHECKING

from .layout import IDENTITY, MAX_CAPACITY, Layout, rating_key
from .scheme import Scheme, default_scheme
from .validate import check_inputs

if TYPE_CHECKING:
    from .model import Appraisal

OPTIONAL = {"months_worked"}
_IDENTITY_ALIASES = {
    "employee_id": ("工号", "员工编号", "id", "employee id"),
    "name": ("姓名", "员工姓名"),
    "department": ("部门",),
    "tenure_years": ("工龄", "工龄(年)", "工龄(年)", "tenure"),
    "months_worked": ("出勤月数", "months"),
}


def header_aliases(scheme: Scheme) -> dict[str, str]:
    """Every accepted header (lower case) -> column key, in both languages."""
    out: dict[str, str] = {}
    for key in IDENTITY:
        for alias in (key, *_IDENTITY_ALIASES[key]):
            out[alias.lower()] = key
    for lang in ("zh", "en"):
        named = default_scheme(lang)
        factor_names = {f.key: f.name for f in named.factors}
        rater_names = {r.key: r.name for r in named.raters}
        for rater, factor in scheme.rating_columns():
            key = rating_key(rater, factor)
            out[key.lower()] = key
            rname = rater_names.get(rater, rater)
            if factor:
                out[f"{rname}-{factor_names.get(factor, factor)}".lower()] = key
            else:
                out[rname.lower()] = key
    return out


def read_roster(path: Path, scheme: Scheme) -> list[dict[str, object]]:
    """The roster's employees as records keyed like the layout; InputError on anything wrong."""
    aliases = header_aliases(scheme)
    layout = Layout(scheme, 1)
    required = [k for k in (*IDENTITY, *layout.rating_keys) if k not in OPTIONAL]
    found, lines, header = read_records(
        path, aliases, required, {"employee_id", "name", "department"}, MAX_CAPACITY,
        ("employee_id, name, department, tenure_years, months_worked 或评分列",
         "employee_id, name, department, tenure_years, months_worked or a rating column such "
         "as supervisor.knowledge"))
    records = [{k: rec.get(k) for k in (*IDENTITY, *layout.rating_keys)} for rec in found]
    keys = [aliases[h.strip().lower()] for h in header]
    _check(scheme, records, keys, lines, str(path), header)
    return records


def _check(scheme: Scheme, records: list[dict[str, object]], keys: list[str], lines: list[int],
           file: str, header: list[str]) -> None:
    layout = Layout(scheme, max(len(records), 1))
    inputs = {k: np.array([r[k] for r in records] or [None], dtype=object)
              for k in (*IDENTITY, *layout.rating_keys)}
    heads = dict(zip(keys, header))

    def locate(key: str, i: int) -> str:
        return f"行/row {lines[i]}, 列/column {heads.get(key, key)}"

    check_inputs(layout, inputs, file, locate)


def write_roster(path: Path, app: "Appraisal") -> None:
    """The employees of ``app`` as a roster CSV with English keys (the documented format)."""
    from .export import csv_safe
    from .package import atomic_path
    keys = [*IDENTITY, *app.layout.rating_keys]
    present = present_rows(app.layout, app.inputs)
    with atomic_path(Path(path)) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(keys)
        for i in np.flatnonzero(present):
            writer.writerow([csv_safe(app.inputs[k][i]) for k in keys])
