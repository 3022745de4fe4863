"""The 方案 (Scheme) sheet: the scheme as readable tables behind defined names, written and read back.

HR edits the white cells; every formula in the workbook refers to these names, and ``recalc``
reads the scheme back from the same cells, so the workbook and Python never disagree on the rules.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from collections.abc import Callable
from typing import TYPE_CHECKING

from .a1 import column_letter as get_column_letter
from .a1 import split_cell
from .grid import Grid
from .labels import text
from .scheme import (MAX_BUDGET_CENTS, MAX_COEF, Factor, Grade, Level, Rater, Scheme,
                     TenureBand, budget_cents_of, default_scheme)

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

CHECK = "✓"
WEIGHT_NAMES = ("FactorWeight", "RaterWeight")


@dataclass(frozen=True)
class Column:
    """A column of an input table: its header label, defined name, format and allowed range."""

    header: str
    name: str
    fmt: str | None = None
    limits: tuple[float, float] | None = None


@dataclass
class SheetCells:
    """What a sheet writer produced: defined names and the formula cells with their values."""

    names: dict[str, str] = field(default_factory=dict)  # name -> 'A1:B2' on this sheet
    formulas: dict[str, tuple[str, object]] = field(default_factory=dict)  # cell -> (formula, value)


def _weights(scheme: Scheme, name: str) -> list[float]:
    return [x.weight for x in (scheme.factors if name == "FactorWeight" else scheme.raters)]


def weight_total(name: str, ref: str, weights: list[float], lang: str) -> dict[str, tuple[str, object]]:
    """The total under a weights column and its ✓ cell beside it: (formula, value) by cell."""
    (col, _), (_, last) = Grid.corners(ref)
    total = sum(weights)
    ok, bad = text("ok", lang), text("weights_bad", lang)
    return {f"{get_column_letter(col)}{last + 1}": (f"SUM({name})", total),
            f"{get_column_letter(col + 1)}{last + 1}": (
                f'IF(ROUND(SUM({name}),6)=1,"{ok}","{bad}")', ok if round(total, 6) == 1 else bad)}


def weight_totals(scheme: Scheme, names: dict[str, str]) -> dict[str, tuple[str, object]]:
    """Both weight totals of the 方案 sheet, where ``names`` put the weights."""
    out: dict[str, tuple[str, object]] = {}
    for name in WEIGHT_NAMES:
        out.update(weight_total(name, names[name], _weights(scheme, name), scheme.lang))
    return out


def write(ws: "Worksheet", scheme: Scheme) -> SheetCells:
    from . import styles  # openpyxl, loaded only when a workbook is written
    lang, out = scheme.lang, SheetCells()
    t = lambda key: text(key, lang)  # noqa: E731
    ws["A1"].value, ws["A1"].font = t("scheme.title"), styles.TITLE
    row = 3

    def section(key: str) -> None:
        nonlocal row
        ws.cell(row, 1, t(key)).font = styles.SECTION
        row += 1

    def name(n: str, *cells: str) -> None:
        out.names[n] = ":".join("${}${}".format(*split_cell(c)) for c in cells)

    def check_row(name: str) -> None:
        nonlocal row
        styles.label_cell(ws.cell(row, 2), t("scheme.sum"), styles.HEADER)
        cells = weight_total(name, out.names[name], _weights(scheme, name), lang)
        for (ref, (formula, value)), fmt in zip(cells.items(), (styles.PERCENT, None)):
            styles.formula_cell(ws[ref], formula, fmt)
            out.formulas[ref] = (formula, value)
        row += 2

    def weighted_table(section_key: str, prefix: str, heads: list[str],
                       items: list[tuple[str, str, float]], extras: list[list[object]],
                       extra_style: Callable[["Cell", object], None],
                       extras_name: str | None = None) -> None:
        """Key, name and weight of each factor or rater, more columns after, the weights' total."""
        nonlocal row
        section(section_key)
        for c, h in enumerate([t("scheme.key"), t(f"scheme.{prefix.lower()}"), t("scheme.weight"),
                               *heads], 1):
            styles.header(ws.cell(row, c), h)
        row += 1
        first = row
        for (key, label, weight), extra in zip(items, extras):
            styles.label_cell(ws.cell(row, 1), key)
            styles.input_cell(ws.cell(row, 2), label)
            styles.input_cell(ws.cell(row, 3), weight, styles.PERCENT)
            for c, value in enumerate(extra, 4):
                extra_style(ws.cell(row, c), value)
            row += 1
        for letter, part in zip("ABC", ("Key", "Name", "Weight")):
            name(f"{prefix}{part}", f"{letter}{first}", f"{letter}{row - 1}")
        _decimal_validation(ws, f"C{first}:C{row - 1}", 0, 1, lang)
        if extras_name:
            name(extras_name, f"D{first}", f"{get_column_letter(3 + len(heads))}{row - 1}")
        check_row(f"{prefix}Weight")

    def standard(cell: "Cell", value: object) -> None:
        styles.input_cell(cell, value)
        cell.alignment = styles.WRAP

    def mark(cell: "Cell", value: object) -> None:
        styles.label_cell(cell, CHECK if value else None)
        cell.alignment = styles.CENTER

    # 1. factors with weights and the standard of each level
    weighted_table("scheme.factors", "Factor", [lv.label for lv in scheme.levels],
                   [(f.key, f.name, f.weight) for f in scheme.factors],
                   [list(f.standards) for f in scheme.factors], standard)

    def input_table(section_key: str, columns: list[Column], records: list[tuple]) -> None:
        """A titled table of input cells, one defined name and one validation per column."""
        nonlocal row
        section(section_key)
        for c, col in enumerate(columns, 1):
            styles.header(ws.cell(row, c), t(col.header))
        row += 1
        first = row
        for record in records:
            for c, (col, value) in enumerate(zip(columns, record), 1):
                styles.input_cell(ws.cell(row, c), value, col.fmt)
            row += 1
        for c, col in enumerate(columns, 1):
            letter = get_column_letter(c)
            name(col.name, f"{letter}{first}", f"{letter}{row - 1}")
            if col.limits:
                _decimal_validation(ws, f"{letter}{first}:{letter}{row - 1}", *col.limits, lang)
        row += 1

    # 2. rating levels
    input_table("scheme.levels", [Column("scheme.level", "LevelLabel"),
                                  Column("scheme.level_points", "LevelPoints", styles.SCORE,
                                         (0, 100))],
                [(lv.label, lv.points) for lv in scheme.levels])

    # 3. raters: weight and which factors each rates
    weighted_table("scheme.raters", "Rater",
                   [f.name for f in scheme.factors] + [t("scheme.overall")],
                   [(r.key, r.name, r.weight) for r in scheme.raters],
                   [[f.key in r.rates for f in scheme.factors] + [not r.rates]
                    for r in scheme.raters], mark, "RaterRates")
    ws.cell(row - 1, 1, t("scheme.rates_note")).font = styles.NOTE
    row += 1

    # 4. grade bands, ascending, with coefficients; 5. tenure bands
    input_table("scheme.grades", [Column("scheme.grade", "GradeLabel"),
                                  Column("scheme.min_score", "GradeMin", styles.SCORE, (0, 100)),
                                  Column("scheme.coef", "GradeCoef", "0.00", (0, MAX_COEF))],
                [(g.label, g.min_score, g.coef) for g in scheme.grades])
    input_table("scheme.tenure", [Column("scheme.min_years", "TenureMin", styles.YEARS, (0, 100)),
                                  Column("scheme.coef", "TenureCoef", "0.00", (0, MAX_COEF))],
                [(b.min_years, b.coef) for b in scheme.tenure])

    # 6. budget and parameters
    from openpyxl.worksheet.datavalidation import DataValidation
    section("scheme.params")
    styles.label_cell(ws.cell(row, 1), t("scheme.budget"), styles.HEADER)
    styles.input_cell(ws.cell(row, 2), scheme.budget_cents / 100, styles.MONEY)
    name("Budget", f"B{row}")
    budget = DataValidation(type="custom", showErrorMessage=True, formula1=(
        f"AND(ISNUMBER(B{row}),B{row}>=0,B{row}<={MAX_BUDGET_CENTS // 100},"
        f"ROUND(B{row},2)=B{row})"))
    budget.error = (f"0 至 {MAX_BUDGET_CENTS / 100:,.2f} 的金额,至多两位小数" if lang == "zh" else
                    f"An amount from 0 to {MAX_BUDGET_CENTS / 100:,.2f}, at most 2 decimals")
    budget.add(f"B{row}")
    ws.add_data_validation(budget)
    row += 1
    styles.label_cell(ws.cell(row, 1), t("scheme.full_months"), styles.HEADER)
    styles.input_cell(ws.cell(row, 2), scheme.full_months, styles.INTEGER)
    name("FullMonths", f"B{row}")
    dv = DataValidation(type="whole", operator="between", formula1="1", formula2="12",
                        showErrorMessage=True)
    dv.add(f"B{row}")
    ws.add_data_validation(dv)
    row += 2
    for key in ("scheme.points_rule", "scheme.pay_rule"):
        ws.cell(row, 1, t(key)).font = styles.NOTE
        row += 1

    widths = {"A": 16, "B": 18, "C": 10}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    for c in range(4, 4 + max(len(scheme.levels), len(scheme.factors) + 1)):
        ws.column_dimensions[get_column_letter(c)].width = 20
    ws.protection.sheet = True
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return out


def _decimal_validation(ws: "Worksheet", ref: str, low: float, high: float, lang: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation
    dv = DataValidation(type="decimal", operator="between", formula1=f"{low:g}",
                        formula2=f"{high:g}", showErrorMessage=True)
    dv.error = (f"须在 {low:g} 与 {high:g} 之间" if lang == "zh"
                else f"Must be between {low:g} and {high:g}")
    dv.add(ref)
    ws.add_data_validation(dv)


def read(grid: Grid, names: dict[str, str], lang: str, file: str) -> Scheme:
    """The scheme from the 方案 cells behind the defined names; InputError on any bad cell."""
    def col(n: str) -> list[object]:
        return [row[0] for row in grid.block(names[n])]

    def numbers(n: str) -> list[float]:
        return [grid.number(ref, v) for ref, v in zip(Grid.cells(names[n]), col(n))]

    keys, fnames, weights = col("FactorKey"), col("FactorName"), numbers("FactorWeight")
    level_texts = grid.block(_shift(names["FactorWeight"], 1, len(col("LevelLabel"))))
    factors = tuple(Factor(str(k), str(n), w, tuple(str(x or "") for x in stds))
                    for k, n, w, stds in zip(keys, fnames, weights, level_texts))
    levels = tuple(Level(str(lb), p) for lb, p in zip(col("LevelLabel"), numbers("LevelPoints")))
    factor_keys = [f.key for f in factors]
    raters = []
    for k, n, w, marks in zip(col("RaterKey"), col("RaterName"), numbers("RaterWeight"),
                              grid.block(names["RaterRates"])):
        rates = tuple(fk for fk, m in zip(factor_keys, marks) if m == CHECK)
        raters.append(Rater(str(k), str(n), w, rates))
    grades = tuple(Grade(str(lb), m, c) for lb, m, c in
                   zip(col("GradeLabel"), numbers("GradeMin"), numbers("GradeCoef")))
    tenure = tuple(TenureBand(m, c) for m, c in zip(numbers("TenureMin"), numbers("TenureCoef")))
    budget_ref = names["Budget"]
    cents = budget_cents_of(grid.number(budget_ref, grid.get(budget_ref)), file,
                            f"{grid.sheet}!{budget_ref}")
    full = int(grid.number(names["FullMonths"], grid.get(names["FullMonths"])))
    title = default_scheme(lang).title
    places = {n: f"{grid.sheet}!{ref}" for n, ref in names.items()}
    return Scheme(factors, levels, tuple(raters), grades, tenure, cents, full, lang,
                  title).validated(file, places)


def _shift(ref: str, right: int, width: int) -> str:
    """The block ``width`` columns wide starting ``right`` columns right of a one-column range."""
    (c1, r1), (_, r2) = Grid.corners(ref)
    return f"{get_column_letter(c1 + right)}{r1}:{get_column_letter(c1 + right + width - 1)}{r2}"
