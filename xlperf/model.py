"""The appraisal model: one department's inputs, every formula cell with its reference value, and
the plan of cached values that a build or a recalc writes into the package.

Nothing here loads openpyxl, so ``recalc`` starts fast; writing a new workbook is ``workbook.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import allocation, appraisal, live, package, scheme_sheet, summary
from .labels import text
from .layout import IDENTITY, WEIGHT_ROW, Layout, score_key
from .scheme import Scheme

KIND = "appraisal"
#: Empty rows always left below a roster, so the next employee has a row with formulas.
HEADROOM = 50

Cells = dict[str, tuple[str, object]]


@dataclass
class Appraisal:
    """One department's appraisal: the layout, the raw input cells, the summary's departments."""

    layout: Layout
    inputs: appraisal.Inputs
    departments: list[str | None] = field(default_factory=list)

    @classmethod
    def blank(cls, scheme: Scheme, capacity: int) -> "Appraisal":
        layout = Layout(scheme, capacity)
        inputs = {k: np.full(capacity, None, dtype=object)
                  for k in (*IDENTITY, *layout.rating_keys)}
        return cls(layout, inputs, [None] * summary.DEPT_SLOTS)

    @classmethod
    def from_records(cls, scheme: Scheme, records: list[dict[str, object]],
                     capacity: int) -> "Appraisal":
        """Employees in sheet order; the departments as they first appear fill the summary."""
        app = cls.blank(scheme, max(capacity, len(records) + HEADROOM))
        for i, rec in enumerate(records):
            for key, value in rec.items():
                app.inputs[key][i] = value
        depts = list(dict.fromkeys(str(r["department"]) for r in records if r.get("department")))
        slots = max(summary.DEPT_SLOTS, len(depts))
        app.departments = depts + [None] * (slots - len(depts))
        return app

    @property
    def scheme(self) -> Scheme:
        return self.layout.scheme


@dataclass
class Computed:
    """Reference values of every formula cell: the data columns and the single cells per sheet."""

    columns: dict[str, np.ndarray]
    templates: dict[str, str]
    cells: dict[str, Cells]  # sheet key -> cell -> (formula, value)
    split: allocation.Split


def compute(app: Appraisal, scheme_names: dict[str, str] | None = None) -> Computed:
    """Reference values of every formula cell; ``scheme_names`` locate the 方案 tables (read from
    the workbook by recalc; by default, where a new workbook puts them)."""
    layout = app.layout
    columns = appraisal.compute(layout, app.inputs)
    split = allocation.split(app.scheme.budget_cents, columns["points"])
    columns.update(split.columns())
    templates = {**appraisal.formulas(layout), **allocation.row_formulas(layout)}
    weights: Cells = {}
    for key in layout.rating_keys:
        formula = appraisal.column_weight_formula(layout, key)
        if isinstance(formula, str):
            weights[layout.cell(key, WEIGHT_ROW)] = (formula, appraisal.column_weight(layout, key))
    for r in app.scheme.raters:
        weights[layout.cell(score_key(r.key), WEIGHT_ROW)] = (
            appraisal.rater_weight_formula(layout, r.key), r.weight)
    cells = {
        "appraisal": weights,
        "scheme": scheme_sheet.weight_totals(app.scheme, scheme_names or
                                             scheme_layout(app.scheme)),
        "summary": summary.compute(layout, columns, split, app.departments,
                                   app.inputs["department"]),
    }
    return Computed(columns, templates, cells, split)


def scheme_layout(scheme: Scheme) -> dict[str, str]:
    """Where a new workbook puts the 方案 tables: laid out once on a scratch sheet."""
    from openpyxl import Workbook  # only builds and tests get here; recalc reads the names
    return scheme_sheet.write(Workbook().active, scheme).names


def sheet_names(lang: str) -> dict[str, str]:
    return {k: text(f"sheet.{k}", lang) for k in ("appraisal", "scheme", "summary")}


def as_live(app: Appraisal, comp: Computed) -> live.Computed:
    """The appraisal's formula cells in the form every kind shares."""
    out = live.Computed(cells=dict(comp.cells))
    for key, template in comp.templates.items():
        out.add_column("appraisal", live.Column(app.layout.col(key), app.layout.rows[0], template,
                                                comp.columns[key]))
    return out


def plan(app: Appraisal, comp: Computed) -> dict[str, dict[bytes, package.Planned]]:
    """Sheet key -> cell -> (expected <f>, t attribute, <v>) of every formula cell xlperf owns."""
    return as_live(app, comp).plan()
