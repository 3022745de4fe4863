"""Writing a new live appraisal workbook (openpyxl), the structure around the model's formulas.

Building is a plan applied in two steps: openpyxl writes the structure (inputs, formulas, styles,
validation, protection, names, chart), then :func:`model.write_values` patches the cached value of
every formula cell into the package — the same step ``recalc`` uses on an existing file.
"""
from __future__ import annotations

from copy import copy
from pathlib import Path

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import appraisal, scheme_sheet, styles, summary
from .cells import wildcard_test
from .labels import text
from .layout import (COLUMN_NAMES, FIRST_ROW, GROUP_ROW, HEADER_ROW, IDENTITY, KEY_ROW,
                     NOTE_ROW, TITLE_ROW, WEIGHT_ROW, Layout, score_key)
from .live import new_workbook, save
from .model import KIND, Appraisal, Computed, compute, plan, sheet_names



# --- the build ---------------------------------------------------------------------------------

def build(app: Appraisal, dest: Path) -> Computed:
    """Write the live workbook to ``dest`` (atomically) and return what it computes."""
    lang = app.scheme.lang
    names = sheet_names(lang)
    wb = new_workbook()
    ws = wb.active
    ws.title = names["appraisal"]
    scheme_out = scheme_sheet.write(wb.create_sheet(names["scheme"]), app.scheme)
    comp = compute(app, scheme_out.names)
    _write_appraisal(ws, app, comp)
    summary_ws = wb.create_sheet(names["summary"])
    summary.write(summary_ws, app.layout, app.departments, comp.cells["summary"])
    defined = {n: (names["scheme"], ref) for n, ref in scheme_out.names.items()}
    defined.update({n: (names["summary"], ref)
                    for n, ref in summary.names(app.layout, len(app.departments)).items()})
    for key, name in COLUMN_NAMES.items():
        defined[name] = (names["appraisal"], app.layout.column_range(key))
    save(wb, dest, KIND, lang, names, defined, plan(app, comp))
    return comp


def _write_appraisal(ws: Worksheet, app: Appraisal, comp: Computed) -> None:
    layout, sch, lang = app.layout, app.scheme, app.scheme.lang
    t = lambda key: text(key, lang)  # noqa: E731
    keys = layout.keys
    ws["A1"].value, ws["A1"].font = sch.title, styles.TITLE
    ws.merge_cells(f"A{TITLE_ROW}:{layout.col('status')}{TITLE_ROW}")
    ws[f"A{NOTE_ROW}"].value, ws[f"A{NOTE_ROW}"].font = t("note"), styles.NOTE
    ws.merge_cells(f"A{NOTE_ROW}:{layout.col('status')}{NOTE_ROW}")
    ws.row_dimensions[NOTE_ROW].height = 28
    ws[f"A{NOTE_ROW}"].alignment = styles.WRAP

    # group row (merged), header row, weights row, hidden key row
    groups = [(t("group.info"), IDENTITY[0], IDENTITY[-1])]
    for r in sch.raters:
        rk = layout.rater_keys(r.key)
        groups.append((r.name, rk[0], rk[-1]))
    groups.append((t("group.result"), score_key(sch.raters[0].key), "status"))
    groups.append((t("group.alloc"), "units", "key"))
    for label, first, last in groups:
        styles.header(ws[layout.cell(first, GROUP_ROW)], label, styles.GROUP_FILL)
        if first != last:
            ws.merge_cells(f"{layout.cell(first, GROUP_ROW)}:{layout.cell(last, GROUP_ROW)}")
    factor_names = {f.key: f.name for f in sch.factors}
    rater_names = {r.key: r.name for r in sch.raters}
    for key in keys:
        if key.startswith("score."):
            label = rater_names[key.removeprefix("score.")] + t("score")
        elif key in IDENTITY or key in comp.templates:
            label = t(key)
        else:
            factor = key.partition(".")[2]
            label = factor_names[factor] if factor else t("overall")
        styles.header(ws[layout.cell(key, HEADER_ROW)], label)
        ws[layout.cell(key, KEY_ROW)].value = key
    ws[f"A{WEIGHT_ROW}"].value, ws[f"A{WEIGHT_ROW}"].font = t("weights_row"), styles.HEADER
    for key in layout.rating_keys:
        cell = ws[layout.cell(key, WEIGHT_ROW)]
        formula = appraisal.column_weight_formula(layout, key)
        if isinstance(formula, str):
            styles.formula_cell(cell, formula, styles.PERCENT)
        else:
            styles.label_cell(cell, formula)
            cell.number_format = styles.PERCENT
    for r in sch.raters:
        styles.formula_cell(ws[layout.cell(score_key(r.key), WEIGHT_ROW)],
                            appraisal.rater_weight_formula(layout, r.key), styles.PERCENT)
    ws.row_dimensions[KEY_ROW].hidden = True
    ws.row_dimensions[HEADER_ROW].height = 30

    # data rows: inputs then formulas, styles copied from one prototype per column
    formats = {"tenure_years": styles.YEARS, "months_worked": styles.INTEGER, "total": styles.SCORE,
               "gap": styles.SCORE, "points": styles.POINTS, "pay": styles.MONEY,
               "rank": styles.INTEGER, "units": styles.INTEGER, "floor_cents": styles.INTEGER,
               "remainder": styles.INTEGER, "key": styles.INTEGER}
    protos = {}
    for key in keys:
        proto = ws.cell(FIRST_ROW, keys.index(key) + 1)
        fmt = formats.get(key, styles.SCORE if key.startswith("score.") else None)
        if key in comp.templates:
            fill = styles.HELPER_FILL if key in ("units", "floor_cents", "remainder", "key") \
                else styles.FORMULA_FILL
            styles.formula_cell(proto, None, fmt, fill)
        else:
            styles.input_cell(proto, None, fmt)
            if key in layout.rating_keys:
                proto.alignment = styles.CENTER  # scores and level words line up
        protos[key] = proto._style
    input_cols = [(keys.index(k) + 1, k) for k in (*IDENTITY, *layout.rating_keys)]
    formula_cols = [(keys.index(k) + 1, k, "=" + comp.templates[k]) for k in keys
                    if k in comp.templates]
    for i, row in enumerate(layout.rows):
        for col, key in input_cols:
            value = app.inputs[key][i]
            c = ws.cell(row, col, value)
            if isinstance(value, str) and value.startswith("="):
                c.data_type = "s"  # typed text such as "=HYPERLINK(...)" stays text
            c._style = copy(protos[key])
        r = str(row)
        for col, key, template in formula_cols:
            c = ws.cell(row, col, template.replace("{r}", r))
            c._style = copy(protos[key])

    _validation(ws, layout)
    _conditional_formats(ws, layout)
    widths = {"employee_id": 10, "name": 10, "department": 12, "status": 14, "pay": 12,
              "key": 16, "remainder": 12}
    for key in keys:
        ws.column_dimensions[layout.col(key)].width = widths.get(key, 9)
    ws.column_dimensions.group(layout.col("units"), layout.col("key"), outline_level=1)
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.print_title_rows = f"{GROUP_ROW}:{WEIGHT_ROW}"
    ws.print_area = f"A1:{layout.col('status')}{layout.last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False
    ws.protection.autoFilter = False


def _validation(ws: Worksheet, layout: Layout) -> None:
    lang = layout.scheme.lang
    labels = "/".join(lv.label for lv in layout.scheme.levels)
    first = layout.rating_keys[0]
    ratings = f"{layout.cell(first, FIRST_ROW)}:{layout.cell(layout.rating_keys[-1], layout.last_row)}"
    top = layout.cell(first, FIRST_ROW)
    dv = DataValidation(type="custom", showErrorMessage=True, showInputMessage=True,
                        formula1=f"OR(AND(ISNUMBER({top}),{top}>=0,{top}<=100),"
                                 f"AND(COUNTIF(LevelLabel,{top})=1,"
                                 f"NOT({wildcard_test(top)})))")
    dv.promptTitle = text("rating.prompt", lang)
    dv.prompt = text("rating.help", lang).format(labels=labels)
    dv.errorTitle = text("rating.prompt", lang)
    dv.error = text("rating.error", lang).format(labels=labels)
    dv.add(ratings)
    ws.add_data_validation(dv)

    def column(key: str) -> str:
        return f"{layout.cell(key, FIRST_ROW)}:{layout.cell(key, layout.last_row)}"

    tenure = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                            showErrorMessage=True, showInputMessage=True)
    tenure.prompt = text("tenure.help", lang)
    tenure.add(column("tenure_years"))
    months = DataValidation(type="decimal", operator="between", formula1="0",
                            formula2="FullMonths", showErrorMessage=True, showInputMessage=True)
    months.prompt = text("months.help", lang).format(full=layout.scheme.full_months)
    months.add(column("months_worked"))
    top_id = layout.cell("employee_id", FIRST_ROW)
    ids = DataValidation(type="custom", showErrorMessage=True, formula1=(
        f"AND(COUNTIF(ColID,{top_id})=1,NOT({wildcard_test(top_id)}))"))
    ids.error = f'{text("status.duplicate", lang)} / {text("status.bad_id", lang)}'
    ids.add(column("employee_id"))
    for dv in (tenure, months, ids):
        ws.add_data_validation(dv)


def _conditional_formats(ws: Worksheet, layout: Layout) -> None:
    grades = layout.scheme.grades
    g = layout.col("grade")
    rng = f"{g}{FIRST_ROW}:{g}{layout.last_row}"
    for i, color in enumerate(styles.GRADE_FILLS[:len(grades)]):
        index = len(grades) - i  # best grade first
        ws.conditional_formatting.add(rng, FormulaRule(
            formula=[f"${g}{FIRST_ROW}=INDEX(GradeLabel,{index})"],
            fill=PatternFill("solid", fgColor=color, bgColor=color)))
    s = layout.col("status")
    ok = text("status.ok", layout.scheme.lang)
    ws.conditional_formatting.add(f"{s}{FIRST_ROW}:{s}{layout.last_row}", FormulaRule(
        formula=[f'AND(${s}{FIRST_ROW}<>"",${s}{FIRST_ROW}<>"{ok}")'],
        font=Font(color="C00000", bold=True)))
