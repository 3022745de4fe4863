"""The 方案 (Scheme) sheet of the kinds: single parameters, tables of parameters and the lists of
labels formulas compare with, each behind a defined name — written, placed and read back.

A kind's formulas refer to these names only, and recalc reads the values back from the same cells,
so the numbers the seed gives are defaults that HR edits on the sheet, never constants in code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .a1 import column_letter
from .errors import InputError
from .fields import Field
from .grid import Grid
from .scheme_sheet import weight_total

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

from .live import Cells

Values = dict[str, object]  # defined name -> value (a parameter) or list (a table column)
#: What each list of labels is, shown beside it on the sheet (the name is what formulas use).
CAPTIONS = {
    "KindLabels": ("指标类型", "KPI kinds"), "DirectionLabels": ("指标方向", "Directions"),
    "LowerLabel": ("越低越好", "Lower is better"), "RuleLabels": ("计分规则", "Scoring rules"),
    "YesLabel": ("是", "Yes"), "YesNo": ("是/否", "Yes/No"), "BandLabels": ("档次", "Bands"),
    "ItemKinds": ("奖惩类别", "Kinds of item"),
}


@dataclass(frozen=True)
class Table:
    """A titled table of parameters, one defined name per column; ``total`` names a weights
    column whose sum must be 100% (a SUM and a ✓ cell under it)."""

    zh: str
    en: str
    fields: tuple[Field, ...]
    total: str | None = None


@dataclass
class Spec:
    """What a kind's 方案 sheet holds, in sheet order, and the notes printed under it."""

    title: tuple[str, str]
    scalars: tuple[Field, ...] = ()
    tables: tuple[Table, ...] = ()
    lists: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    notes: tuple[tuple[str, str], ...] = ()

    def labels(self, lang: str) -> dict[str, tuple[str, ...]]:
        return {n: zh if lang == "zh" else en for n, (zh, en) in self.lists.items()}

    def place(self, sizes: dict[str, int]) -> dict[str, str]:
        """Where a new sheet puts each name (``sizes``: rows of each table by its first field)."""
        names, row = {}, 3
        if self.scalars:
            row += 1
            for f in self.scalars:
                names[f.name] = f"$B${row}"
                row += 1
            row += 1
        for table in self.tables:
            first = row + 2
            last = first + sizes[table.fields[0].name] - 1
            for c, f in enumerate(table.fields, 1):
                letter = column_letter(c)
                names[f.name] = f"${letter}${first}:${letter}${last}"
            row = last + (3 if table.total else 2)
        row += 1
        for n, (zh, _en) in self.lists.items():
            names[n] = f"$B${row}:${column_letter(1 + len(zh))}${row}"
            row += 1
        return names

    def totals(self, names: dict[str, str], values: Values, lang: str) -> Cells:
        """The SUM and ✓ cells under each weights column, with their values."""
        out: Cells = {}
        for table in self.tables:
            if table.total:
                weights = [w for w in values[table.total] if w is not None]  # type: ignore[union-attr]
                out.update(weight_total(table.total, names[table.total], weights, lang))
        return out

    def write(self, ws: "Worksheet", values: Values, names: dict[str, str], lang: str,
              computed: Cells) -> None:
        """The sheet: inputs white and unlocked, labels and totals locked, validation per field."""
        from . import styles
        from .validation import add_validation
        labels = self.labels(lang)
        ws["A1"].value, ws["A1"].font = self.title[0 if lang == "zh" else 1], styles.TITLE
        for f in self.scalars:
            (col, row), _ = Grid.corners(names[f.name])
            styles.label_cell(ws.cell(row, 1), f.label(lang), styles.HEADER)
            styles.input_cell(ws.cell(row, 2), values[f.name], f.fmt)
            add_validation(ws, f, names[f.name].replace("$", ""), lang, labels)
        if self.scalars:
            (_, first), _ = Grid.corners(names[self.scalars[0].name])
            ws.cell(first - 1, 1, "参数" if lang == "zh" else "Parameters").font = styles.SECTION
        for table in self.tables:
            (_, first), (_, last) = Grid.corners(names[table.fields[0].name])
            ws.cell(first - 2, 1, table.zh if lang == "zh" else table.en).font = styles.SECTION
            for c, f in enumerate(table.fields, 1):
                styles.header(ws.cell(first - 1, c), f.label(lang))
                for i, value in enumerate(values[f.name]):  # type: ignore[arg-type]
                    cell = ws.cell(first + i, c)
                    styles.input_cell(cell, value, f.fmt)
                    if f.text:
                        cell.alignment = styles.WRAP
                ref = names[f.name].replace("$", "")
                add_validation(ws, f, ref, lang, labels)
                width = ws.column_dimensions[column_letter(c)].width or 0
                ws.column_dimensions[column_letter(c)].width = max(width, f.width)
            if table.total:
                styles.label_cell(ws.cell(last + 1, 1), "合计" if lang == "zh" else "Total",
                                  styles.HEADER)
        for ref, (formula, _v) in computed.items():
            styles.formula_cell(ws[ref], formula, styles.PERCENT if "SUM(" in formula[:4] else None)
        for n, labels_ in labels.items():
            (_, row), _ = Grid.corners(names[n])
            caption = CAPTIONS.get(n, (n, n))[0 if lang == "zh" else 1]
            styles.label_cell(ws.cell(row, 1), f"{caption} ({n})", styles.NOTE)
            for c, label in enumerate(labels_, 2):
                styles.label_cell(ws.cell(row, c), label)
        if labels:
            (_, top), _ = Grid.corners(names[next(iter(labels))])
            ws.cell(top - 1, 1, "选项(公式比较用,勿改)" if lang == "zh"
                    else "Choices (formulas compare with these; do not edit)").font = styles.SECTION
        last = max(Grid.corners(ref)[1][1] for ref in names.values())  # a total may follow
        for i, (zh, en) in enumerate(self.notes):
            ws.cell(last + 3 + i, 1, zh if lang == "zh" else en).font = styles.NOTE
        longest = max((styles.text_width(f.label(lang)) for f in self.scalars), default=0)
        ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 18,
                                              min(longest * 0.9, 40))
        styles.protect(ws)

    def read(self, grid: Grid, names: dict[str, str], lang: str, file: str) -> Values:
        """The values behind the names, each checked by its field (InputError names the cell)."""
        labels = self.labels(lang)
        missing = [f.name for f in self._fields() if f.name not in names]
        if missing:
            raise InputError("方案表缺少定义名称", "the scheme sheet lacks defined names", file,
                             grid.sheet, missing, "xlperf 写入的全部名称", "every name xlperf wrote")
        out: Values = {}
        for f in self.scalars:
            ref = names[f.name].replace("$", "")
            out[f.name] = f.check(grid.get(ref), f"{grid.sheet}!{ref}", file, labels)
        for table in self.tables:
            for f in table.fields:
                refs = Grid.cells(names[f.name])
                out[f.name] = [f.check(grid.get(ref), f"{grid.sheet}!{ref}", file, labels)
                               for ref in refs]
            if table.total:
                self._check_total(table, out, names, grid, file)
        return out

    def _fields(self) -> list[Field]:
        return [*self.scalars, *(f for t in self.tables for f in t.fields)]

    @staticmethod
    def _check_total(table: Table, values: Values, names: dict[str, str], grid: Grid,
                     file: str) -> None:
        from .scheme import check_weights
        weights = [w for w in values[table.total] if w is not None]  # type: ignore[union-attr]
        check_weights(weights, f"{table.zh}权重", f"{table.en} weights", file,
                      f"{grid.sheet}!{names[table.total].replace('$', '')}")
