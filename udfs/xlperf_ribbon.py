"""The xlperf ribbon's macros: each reads the workbook once, computes a plan of edits with xlperf
and applies it through xlwings' Book API — so the same code runs in desktop Excel (RunPython from
the add-in's buttons; ``book`` is the calling workbook) and in Excel on the web or desktop through
the Office.js add-in (``xlperf serve``; xlwings passes the book).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import xlwings as xw

from xlperf import liven, xlbook
from xlperf.errors import InputError

#: The ribbon's buttons, left to right: (macro, label zh, label en, what it does zh, en). The
#: Office.js manifest and the desktop add-in's ribbon XML and VBA are made from this list.
BUTTONS = (
    ("new_template", "新建模板", "New template",
     "在当前工作簿中新建考核表模板(方案、考核表、汇总)",
     "Build the appraisal template (scheme, appraisal, summary) into this workbook"),
    ("liven_sheet", "让表格活起来", "Make live",
     "为当前工作表的手工表格加上方案与公式,并列出手填不符之处",
     "Add the scheme and formulas to this sheet's hand-made table; list typed results that "
     "differ"),
    ("rerender", "重新生成", "Re-render",
     "方案中要素或评价范围改动后,按新方案重新生成考核表",
     "Lay the appraisal out again after factors or what raters rate changed on the scheme"),
    ("check_workbook", "核对", "Check",
     "按工作簿自己的方案与数据重算,标出并列出不符的单元格",
     "Recompute from the workbook's own scheme and inputs; mark and list the cells that differ"),
    ("export_results", "导出", "Export",
     "把每位员工(或每条记录)的结果写到“导出”工作表",
     "Write one row per employee or record to an Export sheet"),
)

#: xlwings' Office.js decorator, present when xlwings runs as a server; a no-op otherwise.
script = getattr(xw, "script", None) or (lambda f=None, **_kw: f if f else (lambda g: g))


def _book(book: Any) -> Any:
    """The workbook to work on: the one passed (Office.js), else the one the user is in — not
    the add-in, when RunPython was called from xlperf.xlam's ribbon."""
    if book is not None:
        return book
    caller = xw.Book.caller()
    return xw.books.active if caller.name.lower().endswith(".xlam") else caller


def _tell(book: Any, zh: str, en: str) -> None:
    """A short message where the user is looking: the status bar (desktop) or an alert (web)."""
    try:
        book.app.status_bar = f"xlperf: {zh} / {en}"
    except Exception:  # noqa: BLE001 - the Office.js engine has no status bar
        try:
            book.app.alert(f"{zh}\n{en}", title="xlperf")
        except Exception:  # noqa: BLE001 - nothing to show it on: the result speaks
            pass


@script
def liven_sheet(book: xw.Book = None) -> None:
    """让当前表格"活"起来 — make the active sheet's table live: the 方案 sheet, the formulas."""
    book = _book(book)
    active = book.sheets.active.name
    try:
        sheets = xlbook.sheets_of(book)
        if any(n.name == "XLPERF_KIND" for n in book.names):
            raise InputError("已是 xlperf 工作簿", "already an xlperf workbook")
        report = liven.report_of(sheets, Path(book.name))
        report.placed = [(f, t) for f, t in report.placed if t.sheet == active]
        if not report.placed:
            raise InputError("当前工作表没有可计算的表格", "no table to make live on this sheet",
                             None, active)
        cells = xlbook.apply(book, liven.plan(report, [s.name for s in sheets]))
    except InputError as err:
        _tell(book, err.message("zh"), err.message("en"))
        return
    _tell(book, f"已写入 {cells} 个公式单元格,手填不符 {len(report.differences)} 处",
          f"{cells} formula cells written; {len(report.differences)} typed results differed")


def _opened(book: Any, tmp: Path) -> Any:
    """The open workbook read as xlperf reads a file (values and names, once)."""
    from xlperf.kinds import open_workbook
    opened = open_workbook(xlbook.snapshot(book, tmp / "book.xlsx"))
    opened.close()
    return opened


MARK = (255, 199, 206)  # the light red of Excel's "bad" cell style


@script
def check_workbook(book: xw.Book = None) -> None:
    """核对 — recompute every result from the workbook's own 方案 and inputs, list the cells
    whose values differ on a 核对 sheet, and colour them (the marks of the last check cleared)."""
    import tempfile
    book = _book(book)
    with tempfile.TemporaryDirectory(prefix="xlperf-") as tmp:
        try:
            opened = _opened(book, Path(tmp))
        except InputError as err:
            _tell(book, err.message("zh"), err.message("en"))
            return
    from xlperf.kinds import constant
    lang = constant(opened.book, "XLPERF_LANG") or "zh"
    title = "核对" if lang == "zh" else "Check"
    rows = [["工作表", "单元格", "工作簿中的值", "xlperf 计算的值"] if lang == "zh" else
            ["Sheet", "Cell", "In the workbook", "Computed by xlperf"]]
    marks: dict[str, list[str]] = {}
    for key, cells in opened.computed.values().items():
        name = opened.sheets[key]
        grid = opened.grids[key]
        for ref, want in cells.items():
            have = grid.get(ref)
            if not _same("" if have is None else have, want):
                rows.append([name, ref, have, want])
                marks.setdefault(name, []).append(ref)
    earlier: dict[str, list[str]] = {}
    if title in [s.name for s in book.sheets]:  # the cells the last check marked
        for row in xlbook.sheets_of(book, [title])[0].rows[1:]:
            if len(row) > 1 and row[0] in opened.sheets.values() and row[1]:
                earlier.setdefault(str(row[0]), []).append(str(row[1]))
    for name in sorted(set(marks) | set(earlier)):
        sheet = book.sheets[name]
        xlbook.set_protection(sheet, False)
        for ref in earlier.get(name, []):
            sheet.range(ref).color = None
        for ref in marks.get(name, []):
            sheet.range(ref).color = MARK
        xlbook.set_protection(sheet, True)
    sheet = _fresh_sheet(book, title)
    xlbook.write(sheet, {f"{c}{r}": v for r, row in enumerate(rows, 1)
                         for c, v in zip("ABCD", row) if v is not None}, {})
    _tell(book, f"{len(rows) - 1} 个单元格与计算结果不符", f"{len(rows) - 1} cells differ")


@script
def export_results(book: xw.Book = None) -> None:
    """导出 — one row per employee or record, as ``xlperf export`` writes it, on a sheet. Text
    stays text (an ID 00123, a period 2026-01): its columns are formatted as text first."""
    import csv
    import tempfile
    book = _book(book)
    with tempfile.TemporaryDirectory(prefix="xlperf-") as tmp:
        try:
            from xlperf.export import export
            path = xlbook.snapshot(book, Path(tmp) / "book.xlsx")
            count = export(path, Path(tmp) / "results.csv")
        except InputError as err:
            _tell(book, err.message("zh"), err.message("en"))
            return
        with open(Path(tmp) / "results.csv", encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    sheet = _fresh_sheet(book, "导出")
    cells = [[_number(v) for v in row] for row in rows]
    for j in range(len(rows[0]) if rows else 0):
        if any(isinstance(row[j], str) for row in cells[1:] if j < len(row)):
            column = sheet.range((1, j + 1), (len(rows), j + 1))
            column.number_format = "@"
    sheet.range("A1").value = cells
    _tell(book, f"已导出 {count} 行", f"{count} rows exported")


def _number(text: str) -> object:
    """A CSV field as a number when it is written as one plainly (85.5, -3, 0.25), else the text
    (00123 and 2026-01 stay as they were)."""
    import re
    if re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?", text):
        return float(text)
    return None if text == "" else text


def _write_sheet(sheet: Any, cells: tuple[dict[str, Any], dict[str, str], list[str]]) -> None:
    values, formulas, merged = cells
    xlbook.write(sheet, values, formulas)
    for address in merged:
        sheet.range(address).merge()


def _same(have: object, want: object) -> bool:
    if isinstance(have, (int, float)) and isinstance(want, (int, float)):
        return abs(have - want) <= 1e-9 * max(1.0, abs(want))
    return have == want


def _fresh_sheet(book: Any, name: str) -> Any:
    """The sheet ``name``, emptied, or a new one at the end."""
    if name in [s.name for s in book.sheets]:
        sheet = book.sheets[name]
        sheet.clear_contents()
        return sheet
    return book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])


@script
def new_template(book: xw.Book = None, kind: str = "appraisal", lang: str = "zh") -> None:
    """新建模板 — an xlperf template (the appraisal by default) built into the open workbook:
    its sheets, formulas and defined names, as ``xlperf new`` writes them."""
    import tempfile
    book = _book(book)
    with tempfile.TemporaryDirectory(prefix="xlperf-") as tmp:
        try:
            sheets, names = template_cells(kind, lang, Path(tmp) / "template.xlsx")
            taken = [s for s in sheets if s in [x.name for x in book.sheets]]
            taken += [n for n in names if n in {x.name for x in book.names}]
            if taken:
                raise InputError("工作簿已有同名的工作表或名称", "the workbook already has these "
                                 "sheets or names", None, None, taken, "另一个工作簿",
                                 "another workbook")
        except InputError as err:
            _tell(book, err.message("zh"), err.message("en"))
            return
    for name, cells in sheets.items():
        _write_sheet(book.sheets.add(name, after=book.sheets[len(book.sheets) - 1]), cells)
    for name, refers_to in names.items():
        book.names.add(name, "=" + refers_to)
    _tell(book, f"已新建 {kind} 模板", f"{kind} template added")


def template_cells(kind: str, lang: str, path: Path) -> tuple[Sheets, dict[str, str]]:
    """Each sheet's (values, formulas) and the defined names of a freshly built template."""
    from xlperf.cli import build as build_appraisal
    from xlperf.kinds import KINDS, build, kind_module
    from xlperf.layout import DEFAULT_CAPACITY
    from xlperf.model import Appraisal
    from xlperf.scheme import default_scheme
    if lang not in ("zh", "en") or (kind != "appraisal" and kind not in KINDS):
        raise InputError("未知的模板", "unknown template", None, "kind", f"{kind}/{lang}",
                         "appraisal, " + ", ".join(KINDS), "appraisal, " + ", ".join(KINDS))
    if kind == "appraisal":
        build_appraisal(Appraisal.blank(default_scheme(lang), DEFAULT_CAPACITY), path)
    else:
        module = kind_module(kind)
        build(module, module.blank(lang), path)
    return _cells_of(path)


Sheets = dict[str, tuple[dict[str, Any], dict[str, str], list[str]]]


def _cells_of(path: Path) -> tuple[Sheets, dict[str, str]]:
    """Each sheet's (values, formulas, merged ranges) and the defined names of a workbook xlperf
    built."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    sheets = {}
    for ws in wb.worksheets:
        values: dict[str, Any] = {}
        formulas: dict[str, str] = {}
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    formulas[c.coordinate] = c.value[1:]
                elif c.value is not None:
                    values[c.coordinate] = c.value
        sheets[ws.title] = (values, formulas, [str(m) for m in ws.merged_cells.ranges])
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    return sheets, names


@script
def rerender(book: xw.Book = None) -> None:
    """重新生成 — after a factor was added or removed on 方案 (or what a rater rates changed):
    the appraisal's sheets laid out again for the new scheme, every employee's inputs carried
    over by column key, every formula and name written anew."""
    import tempfile

    from xlperf import scheme_sheet
    from xlperf.grid import read_grids
    from xlperf.layout import FIRST_ROW, IDENTITY, KEY_ROW
    from xlperf.grid import Grid
    from xlperf.model import Appraisal, sheet_names
    from xlperf.package import open_package, read_book
    from xlperf.readback import SCHEME_NAMES, locate_sheets
    book = _book(book)
    with tempfile.TemporaryDirectory(prefix="xlperf-") as tmp:
        try:
            path = xlbook.snapshot(book, Path(tmp) / "book.xlsx")
            with open_package(path) as zf:
                directory = read_book(zf)
            lang, sheets = locate_sheets(directory, path)
            grids = read_grids(path, list(sheets.values()))
            names = {n: ref for n, (s, ref) in directory.names.items()
                     if s == sheets["scheme"] and n in SCHEME_NAMES}
            scheme = scheme_sheet.read(grids[sheets["scheme"]], names, lang, str(path))
            grid = grids[sheets["appraisal"]]
            keys = grid.rows[KEY_ROW - 1] if len(grid.rows) >= KEY_ROW else []
            known = set(IDENTITY) | {f"{r}.{f}" if f else r for r, f in scheme.rating_columns()}
            records = [rec for row in grid.rows[FIRST_ROW - 1:]
                       if (rec := {k: v for k, v in zip(keys, row)
                                   if k in known and v not in (None, "")})]
            dropped = sorted({k for row in grid.rows[FIRST_ROW - 1:] for k, v in zip(keys, row)
                              if isinstance(k, str) and "." in k and not k.startswith("score.")
                              and k not in known and v not in (None, "")})
            (_, first), (_, last) = Grid.corners(directory.names["ColID"][1])
            capacity = last - first + 1  # the rows the workbook was built with, blank or not
            renamed = {k: n for k, n in sheets.items() if n != sheet_names(lang)[k]}
            if renamed:  # the new layout is written sheet by sheet, under xlperf's names
                raise InputError("重新生成需要 xlperf 写入的工作表名,请先改回",
                                 "re-render needs the sheet names xlperf wrote; rename them back "
                                 "first", None, None, list(renamed.values()),
                                 "、".join(sheet_names(lang).values()),
                                 ", ".join(sheet_names(lang).values()))
            from xlperf.cli import build as build_appraisal
            built = Path(tmp) / "new.xlsx"
            build_appraisal(Appraisal.from_records(scheme, records, capacity), built)
            new_sheets, new_names = _cells_of(built)
        except InputError as err:
            _tell(book, err.message("zh"), err.message("en"))
            return
    for name in sheets.values():
        # xlperf's sheets are protected, and which cells are locked belongs to the old layout:
        # they stay open (the message says so); xlperf recalc or a rebuild restores the rest
        xlbook.set_protection(book.sheets[name], False)
        book.sheets[name].used_range.unmerge()
        book.sheets[name].clear_contents()
    for name, cells in new_sheets.items():
        _write_sheet(book.sheets[name], cells)
    existing = {n.name for n in book.names}
    for name, refers_to in new_names.items():
        if name in existing:  # a name is replaced, not added twice (Office.js refuses that)
            book.names[name].delete()
        book.names.add(name, "=" + refers_to)
    _tell(book, f"已按新方案重新生成,{len(records)} 名员工;工作表保护已取消(格式仍为旧版式,"
          "可用 xlperf new 重新生成完整格式)"
          + (f";方案不再包含的评分列已移除:{', '.join(dropped)}" if dropped else ""),
          f"laid out again for the new scheme, {len(records)} employees; the sheets are left "
          "unprotected (their formats are the old layout's: xlperf new rebuilds them in full)"
          + (f"; rating columns no longer in the scheme removed: {', '.join(dropped)}"
             if dropped else ""))
