"""Nine-box grid (九宫格): the seed's 3×3 table of performance × potential — each person placed in
a box by formula from two scores and the 方案's cut points, then counted per box on a grid laid
out the usual way (potential rows, high on top; performance columns, high on the right: 明星/Star
top right, 待观察/Risk bottom left).

Sheets: 人才盘点 (one row per person: inputs, check, the two bands, box number and name),
九宫格 (per box its name, count and share; row and column totals; people not placed) and 方案.
Reference and formula side by side, column by column.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .. import styles
from ..cells import as_float, is_blank, is_number
from . import shared
from ..csvfile import read_records
from ..errors import InputError
from ..fields import Field
from ..grid import Grid
from ..groups import fold, group_ids, group_sum_formula
from ..live import Cells, Computed
from ..params import Spec, Values
from ..params import Table as ParamTable

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

KIND = "ninebox"
SHEETS = {"records": ("人才盘点", "Talent Review"), "grid": ("九宫格", "9-Box Grid"),
          "scheme": ("方案", "Scheme")}
DEFAULT_ROWS = 200
MAX_ROWS = 5_000
MAX_SCORE = 100.0

STATUS = {  # key -> (zh, en): what the check column says, in the order it is tested
    "ok": ("正常", "OK"),
    "no_id": ("缺工号", "No ID"),
    "duplicate": ("工号重复", "Duplicate ID"),
    "bad_score": ("得分须为0–100的数字", "Scores must be numbers 0–100"),
}
BANDS = {"zh": ("低", "中", "高"), "en": ("Low", "Medium", "High")}
#: Box n (1–9) = 3 × (potential band − 1) + performance band, bands 1 low … 3 high:
#: (zh name, en name, zh action, en action), the usual names of a 9-box talent grid.
BOXES = (
    ("待观察", "Risk", "制定绩效改进计划,必要时调岗", "Improvement plan; reassign if needed"),
    ("稳定贡献者", "Effective performer", "保持投入,帮助提升绩效", "Keep engaged; lift performance"),
    ("专业骨干", "Trusted professional", "非常适合当前职能:留任并发挥专长",
     "Fits the current role well: retain, use the expertise"),
    ("待提升", "Inconsistent player", "辅导,找出影响绩效的原因", "Coach; find what holds results back"),
    ("中坚力量", "Core player", "培养,逐步扩大职责", "Develop; widen responsibilities"),
    ("绩效之星", "High performer", "激励,培养潜力", "Reward; develop potential"),
    ("潜力股", "Rough diamond", "调整岗位或加强辅导,释放潜力", "Coach or move to a role that fits"),
    ("成长之星", "Growth employee", "重点培养,给予挑战性任务", "Stretch assignments"),
    ("明星", "Star", "迅速晋升,列为继任人选", "Fast-track promotion; successor"),
)
DEFAULT_CUTS = (70.0, 85.0)  # low → medium, medium → high, on both scores

SPEC = Spec(
    title=("九宫格人才盘点方案", "Nine-box talent review scheme"),
    scalars=(
        Field("PerfCutLow", "绩效:中档起点", "Performance: medium from", "0.00", 0, MAX_SCORE),
        Field("PerfCutHigh", "绩效:高档起点", "Performance: high from", "0.00", 0, MAX_SCORE),
        Field("PotCutLow", "潜力:中档起点", "Potential: medium from", "0.00", 0, MAX_SCORE),
        Field("PotCutHigh", "潜力:高档起点", "Potential: high from", "0.00", 0, MAX_SCORE),
    ),
    tables=(ParamTable("九宫格(格号 = 3 ×(潜力档 − 1)+ 绩效档)",
                       "The nine boxes (box = 3 × (potential band − 1) + performance band)", (
        Field("BoxNo", "格号", "Box", styles.INTEGER, 1, 9, width=8),
        Field("BoxPerf", "绩效档", "Performance", choices="BandLabels", width=10),
        Field("BoxPot", "潜力档", "Potential", choices="BandLabels", width=10),
        Field("BoxName", "名称", "Name", text=True, width=18),
        Field("BoxAction", "建议", "Suggested action", text=True, optional=True, width=36),
    )),),
    lists={"BandLabels": (BANDS["zh"], BANDS["en"])},
    notes=(("得分 0–100;得分恰好等于起点时归入较高一档(如绩效 85 为高档)。",
            "Scores 0–100; a score exactly at a cut point goes to the upper band (performance 85 "
            "is high)."),
           ("格号与档次固定(右上 9 = 高绩效、高潜力);名称与建议可以修改。",
            "Box numbers and bands are fixed (top right 9 = high performance, high potential); "
            "names and actions may be edited."),
           ),
)

RECORDS = (
    *shared.person(),
    Field("ColDept", "部门", "Department", "@", text=True, optional=True, width=12),
    Field("ColPerf", "绩效得分", "Performance score", "0.00", 0, MAX_SCORE, optional=True),
    Field("ColPot", "潜力得分", "Potential score", "0.00", 0, MAX_SCORE, optional=True),
    Field("ColStatus", "校验", "Check", formula=True, width=16),
    Field("ColPerfBand", "绩效档", "Performance band", formula=True, width=9),
    Field("ColPotBand", "潜力档", "Potential band", formula=True, width=9),
    Field("ColBox", "格号", "Box", styles.INTEGER, formula=True, width=7),
    Field("ColBoxName", "格名称", "Box name", formula=True, width=16),
)
INPUTS = ("ColId", "ColName", "ColDept", "ColPerf", "ColPot")
#: export: CSV column -> field
EXPORT = {"id": "ColId", "name": "ColName", "department": "ColDept", "performance": "ColPerf",
          "potential": "ColPot", "performance_band": "ColPerfBand",
          "potential_band": "ColPotBand", "box": "ColBox", "box_name": "ColBoxName",
          "status": "ColStatus"}
CSV_KEYS = {"ColId": "id", "ColName": "name", "ColDept": "department", "ColPerf": "performance",
            "ColPot": "potential"}
CSV_TEXT = {"ColId", "ColName", "ColDept"}

#: The grid sheet: per potential band (high first) three rows — names, counts, shares — from
#: GRID_TOP; performance bands in columns B–D, the row totals in E; column totals under them.
GRID_TOP = 5
GRID_COLS = "BCD"
TOTAL_COL = "E"


Form = shared.Form



def default_scheme(lang: str) -> Values:
    zh, bands = lang == "zh", BANDS[lang]
    return {"PerfCutLow": DEFAULT_CUTS[0], "PerfCutHigh": DEFAULT_CUTS[1],
            "PotCutLow": DEFAULT_CUTS[0], "PotCutHigh": DEFAULT_CUTS[1],
            "BoxNo": [float(n) for n in range(1, 10)],
            "BoxPerf": [bands[i % 3] for i in range(9)],
            "BoxPot": [bands[i // 3] for i in range(9)],
            "BoxName": [b[0 if zh else 1] for b in BOXES],
            "BoxAction": [b[2 if zh else 3] for b in BOXES]}


def blank(lang: str, rows: int = DEFAULT_ROWS) -> Form:
    return Form(lang, default_scheme(lang), shared.empty_inputs(RECORDS, rows), rows,
                SPEC.place({"BoxNo": len(BOXES)}), RECORDS)


with_records = shared.with_records

#: (performance, potential) of the demo's people: every box, and scores at the cut points.
DEMO_SCORES = ((93.5, 64.3), (80.2, 88.9), (85.8, 95.8), (85.0, 70.0), (51.3, 71.9), (74.2, 53.3),
               (50.3, 91.5), (99.2, 89.2), (78.0, 78.0), (70.0, 85.0), (64.0, 89.1), (77.5, 72.0),
               (94.1, 95.6), (85.4, 77.7), (96.2, 54.5), (68.5, 80.3), (73.9, 89.6), (59.8, 53.1),
               (80.0, 84.9), (56.6, 61.3), (68.9, 81.2), (89.1, 53.9), (96.6, 88.1), (66.0, 59.5))


def demo(lang: str) -> Form:
    """Three departments, 24 people in every box, some exactly at the cut points."""
    zh = lang == "zh"
    depts = ("客服部", "销售部", "技术部") if zh else ("Service", "Sales", "Engineering")
    records = []
    for i, (perf, pot) in enumerate(DEMO_SCORES):
        records.append({"ColId": f"T{201 + i}", "ColName": f"员工{i + 1}" if zh else f"Staff {i + 1}",
                        "ColDept": depts[i % 3], "ColPerf": perf, "ColPot": pot})
    return with_records(blank(lang), records)


def from_csv(path: Path, lang: str) -> Form:
    """People from a CSV: id, name, department, performance, potential (or the sheet's headers
    in either language); scores 0–100."""
    aliases = shared.csv_aliases(RECORDS, CSV_KEYS)
    file = str(path)
    records, lines, _ = read_records(
        path, aliases, ["ColId", "ColPerf", "ColPot"], CSV_TEXT, MAX_ROWS,
        ("id, name, department, performance, potential(或表头:工号、姓名、部门、绩效得分、潜力得分)",
         "id, name, department, performance, potential"))
    seen: dict[str, int] = {}
    for line, rec in zip(lines, records):
        ident = rec.get("ColId")
        if ident is None or fold(str(ident)) in seen:
            raise InputError("工号为空或重复", "the ID is blank or repeated", file,
                             f"行/row {line}, id", ident, "唯一的工号", "a unique ID")
        seen[fold(str(ident))] = line
        for key in ("ColPerf", "ColPot"):
            value = rec.get(key)
            if not (isinstance(value, float) and 0 <= value <= MAX_SCORE):
                raise InputError("须为 0–100 的数字", "must be a number 0–100", file,
                                 f"行/row {line}, {CSV_KEYS[key]}", value, "0–100", "0–100")
    return with_records(blank(lang), records)


# --- reference and formulas, column by column ---------------------------------------------------

def band(scores: np.ndarray, low: float, high: float) -> np.ndarray:
    """1 low, 2 medium, 3 high: a score at a cut point goes up."""
    return 1 + (scores >= low) + (scores >= high)


def box_of(perf_band: np.ndarray, pot_band: np.ndarray) -> np.ndarray:
    """The box 1–9: 1 low/low, 3 high performance and low potential, 9 high/high."""
    return 3 * (pot_band - 1) + perf_band


def compute(form: Form) -> Computed:
    t, lang, inp, s = form.table, form.lang, form.inputs, form.scheme
    c = t.cell
    out, column, ok, word = shared.begin(form, STATUS)

    ident, perf_raw, pot_raw = inp["ColId"], inp["ColPerf"], inp["ColPot"]
    A, D, E, F = c("ColId"), c("ColPerf"), c("ColPot"), c("ColStatus")

    # check
    present = ~np.logical_and.reduce([is_blank(inp[k]) for k in INPUTS])
    same_id = group_ids(ident)
    duplicate = np.bincount(same_id)[same_id] > 1
    perf, pot = as_float(perf_raw), as_float(pot_raw)
    bad = ~(is_number(perf_raw) & is_number(pot_raw) & (perf >= 0) & (perf <= MAX_SCORE)
            & (pot >= 0) & (pot <= MAX_SCORE))
    status_key = np.select([~present, is_blank(ident), duplicate, bad],
                           ["", "no_id", "duplicate", "bad_score"], "ok")
    status = shared.words_of(STATUS, lang, status_key)
    blank_row = ",".join(f'{c(k)}=""' for k in INPUTS)
    in_range = ",".join(f"{x}<0,{x}>{MAX_SCORE:g}" for x in (D, E))
    column("ColStatus", (
        f'IF(AND({blank_row}),"",IF({A}="",{word["no_id"]},'
        f'IF({group_sum_formula([("ColId", A)], "1")}>1,{word["duplicate"]},'
        f"IF(IF(AND(ISNUMBER({D}),ISNUMBER({E})),OR({in_range}),TRUE),{word['bad_score']},"
        f'"{ok}"))))'), status)
    good = status_key == "ok"

    perf_band = band(perf, float(s["PerfCutLow"]), float(s["PerfCutHigh"]))  # type: ignore[arg-type]
    pot_band = band(pot, float(s["PotCutLow"]), float(s["PotCutHigh"]))  # type: ignore[arg-type]
    perf_n, pot_n = f"(1+({D}>=PerfCutLow)+({D}>=PerfCutHigh))", f"(({E}>=PotCutLow)+({E}>=PotCutHigh))"
    labels = np.array(BANDS[lang], object)
    not_ok = f'IF({F}<>"{ok}","",'
    column("ColPerfBand", f"{not_ok}INDEX(BandLabels,{perf_n}))",
           np.where(good, labels[perf_band.astype(int) - 1], ""))
    column("ColPotBand", f"{not_ok}INDEX(BandLabels,1+{pot_n}))",
           np.where(good, labels[pot_band.astype(int) - 1], ""))
    box = np.where(good, box_of(perf_band, pot_band), np.nan).astype(float)
    column("ColBox", f"{not_ok}3*{pot_n}+{perf_n})", box)
    names = np.array([*map(str, s["BoxName"]), ""], object)  # type: ignore[arg-type]
    I = c("ColBox")
    column("ColBoxName", f'IF({I}="","",INDEX(BoxName,{I}))',
           names[np.where(good, np.nan_to_num(box) - 1, 9).astype(int)])
    out.add_cells("grid", _grid(s, box, status_key, lang))
    return out


def _grid(s: Values, box: np.ndarray, status_key: np.ndarray, lang: str) -> Cells:
    """The grid sheet's cells: each box's name, count and share of the people placed; the
    totals per potential row and per performance column; the people not placed."""
    counts = np.array([float(np.sum(box == n)) for n in range(1, 10)])
    placed = float(counts.sum())
    last = GRID_TOP + 9  # the column totals' row
    total_ref = f"${TOTAL_COL}${last}"
    cells: Cells = {}

    def share(count: float) -> float:
        return 0.0 if placed == 0 else count / placed

    for k in range(3):  # potential high, medium, low
        r = GRID_TOP + 3 * k
        pot = 2 - k
        for p, col in enumerate(GRID_COLS):
            n = 3 * pot + p + 1
            cells[f"{col}{r}"] = (f"INDEX(BoxName,{n})", str(s["BoxName"][n - 1]))  # type: ignore[index]
            cells[f"{col}{r + 1}"] = (f"COUNTIF(ColBox,{n})", float(counts[n - 1]))
            cells[f"{col}{r + 2}"] = (f"IF({total_ref}=0,0,{col}{r + 1}/{total_ref})",
                                      share(float(counts[n - 1])))
        row_count = float(counts[3 * pot:3 * pot + 3].sum())
        cells[f"{TOTAL_COL}{r + 1}"] = (f"SUM(B{r + 1}:D{r + 1})", row_count)
        cells[f"{TOTAL_COL}{r + 2}"] = (f"IF({total_ref}=0,0,{TOTAL_COL}{r + 1}/{total_ref})",
                                        share(row_count))
    for p, col in enumerate(GRID_COLS):
        rows = [GRID_TOP + 3 * k + 1 for k in range(3)]
        cells[f"{col}{last}"] = ("+".join(f"{col}{r}" for r in rows), float(counts[p::3].sum()))
    cells[f"{TOTAL_COL}{last}"] = (f"SUM(B{last}:D{last})", placed)
    ok = shared.word(STATUS, lang, "ok")
    flagged = float(np.sum((status_key != "") & (status_key != "ok")))
    cells[f"B{last + 2}"] = (f'SUMPRODUCT((ColStatus<>"")*(ColStatus<>"{ok}"))', flagged)
    return cells


# --- writing and reading the workbook ------------------------------------------------------------

def write(sheets: dict, form: Form, computed: Computed) -> dict[str, tuple[str, str]]:
    lang, zh = form.lang, form.lang == "zh"
    labels = SPEC.labels(lang)
    SPEC.write(sheets["scheme"], form.scheme, form.names, lang, computed.cells.get("scheme", {}))
    note = ("每行一人:白色单元格填写,灰色为公式。绩效与潜力得分 0–100,按方案的起点分为低/中/高三档"
            "(恰好等于起点归入较高一档),格号 1–9 见方案与九宫格表。" if zh else
            "One row per person: white cells are inputs, grey cells formulas. Performance and "
            "potential scores 0–100 fall in the low/medium/high bands of the scheme's cut points "
            "(a score at a cut point goes up); boxes 1–9: see the scheme and the grid.")
    form.table.write(sheets["records"], "人才盘点(绩效 × 潜力)" if zh else
                     "Talent review (performance × potential)", note,
                     {k: v.tolist() for k, v in form.inputs.items()}, computed, "records", lang,
                     labels)
    _write_grid(sheets["grid"], computed.cells["grid"], lang)
    names = {n: ("scheme", ref) for n, ref in form.names.items()}
    names.update({n: ("records", ref) for n, ref in form.table.names().items()})
    return names


def _write_grid(ws: Worksheet, cells: Cells, lang: str) -> None:
    zh, bands = lang == "zh", BANDS[lang]
    last = GRID_TOP + 9
    ws["A1"].value = "九宫格(绩效 × 潜力)" if zh else "Nine-box grid (performance × potential)"
    ws["A1"].font = styles.TITLE
    ws["A2"].value = ("每格:名称、人数、占已定位人数的比例;潜力高在上,绩效高在右。" if zh else
                      "Each box: name, people, share of those placed; high potential on top, "
                      "high performance on the right.")
    ws["A2"].font = styles.NOTE
    ws.merge_cells("B3:D3")
    styles.header(ws["B3"], "绩效 →" if zh else "Performance →")
    styles.header(ws["A4"], "潜力 ↓" if zh else "Potential ↓")
    for p, col in enumerate(GRID_COLS):
        styles.header(ws[f"{col}4"], bands[p])
    styles.header(ws[f"{TOTAL_COL}4"], "合计" if zh else "Total")
    for k in range(3):
        r = GRID_TOP + 3 * k
        ws.merge_cells(f"A{r}:A{r + 2}")
        styles.header(ws[f"A{r}"], bands[2 - k])
    styles.header(ws[f"A{last}"], "合计(已定位)" if zh else "Total placed")
    styles.label_cell(ws[f"A{last + 2}"], "待核人数(未定位)" if zh else "Flagged (not placed)",
                      styles.HEADER)
    block_formats = (None, styles.INTEGER, styles.PERCENT)  # name, count, share
    for ref, (formula, _value) in cells.items():
        row = int(ref.lstrip("ABCDE"))
        fmt = block_formats[(row - GRID_TOP) % 3] if row < last else styles.INTEGER
        styles.formula_cell(ws[ref], formula, fmt)
        ws[ref].alignment = styles.CENTER
    for col in "ABCDE":
        ws.column_dimensions[col].width = 18
    styles.protect(ws)


def read(grids: dict, names: dict[str, tuple[str, str]], lang: str, file: str) -> Form:
    scheme, scheme_names, grid = shared.read_scheme(SPEC, grids, names, lang, file)
    _check_scheme(scheme, grid, scheme_names, lang, file)
    form = Form(lang, scheme, {}, 0, scheme_names, RECORDS)
    return shared.read_inputs(form, grids, names, "records", file)


def _check_scheme(scheme: Values, grid: Grid, names: dict[str, str], lang: str,
                  file: str) -> None:
    """Cut points in order (low below high) and the boxes' numbers and bands where they were."""
    def where(name: str, i: int = 0) -> str:
        return f"{grid.sheet}!{Grid.cells(names[name])[i]}"

    for score in ("Perf", "Pot"):
        low, high = scheme[f"{score}CutLow"], scheme[f"{score}CutHigh"]
        if not low < high:  # type: ignore[operator]
            raise InputError("高档起点须大于中档起点", "the high band must start above the medium "
                             "band", file, where(f"{score}CutHigh"), high, f"> {low:g}",
                             f"> {low:g}")
    fixed = default_scheme(lang)
    for name in ("BoxNo", "BoxPerf", "BoxPot"):
        for i, (found, expected) in enumerate(zip(scheme[name], fixed[name])):  # type: ignore[arg-type]
            if found != expected:
                raise InputError("格号与档次是固定的,不能改动", "box numbers and bands are fixed",
                                 file, where(name, i), found, expected, expected)
