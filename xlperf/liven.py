"""``xlperf liven``: a workbook HR made by hand, made to compute — without changing how it looks or
losing anything in it.

It finds the tables (recognize.py), lays the appraisal over each one's columns (placed.py), lists
the hand-typed results that differ from what the formulas give (crosscheck.py), and writes: the
方案 sheet added (addsheet.py), the formula cells with their cached values put into the result
columns and into columns added to the right of each table (sheetcells.py). Every other part of the
package is copied byte for byte. Ambiguity is never guessed silently: a header the vocabulary does
not know stays unplaced, and the user settles it with ``--map "列名=role"`` (or ``--map @FILE``).
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import live, package, scheme_sheet
from .a1 import column_index
from .addsheet import WORKBOOK, Cell, add_sheet
from .crosscheck import Difference, differences
from .errors import InputError
from .labels import text
from .live import FORMAT_VERSION
from .livened import (KIND, MAP_NAME, Livened, compute, label, map_cells, map_rows, quoted,
                      rates_of, summary_value, table_values, with_weights)
from .placed import RESULTS, Placed, added_letters, narrowed
from .ratios import KEYS as RATIO_KEYS, Ratios
from .recognize import Found, Sheet, find_tables, read_sheets
from .register import Record, gather
from .scheme import default_scheme
from .sheetcells import put_cells, styles_of
from .layout import rating_key, score_key
from .vocabulary import (FACTORS, IDENTITY, KPI, LEVELS, RATERS, RESULTS as RESULT_ROLES,
                         is_average)

#: Every role a column can be given with --map.
ROLES = sorted({*IDENTITY, *RESULT_ROLES, *KPI, "factor", "standard",
                *(f"score:{r}" for r in RATERS),
                *(f"standard:{lv}" for lv in LEVELS),
                *(f"rating:{r}:{f}" for r in RATERS for f in (*FACTORS, "overall", "row"))})
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Skipped:
    """A table found but not made live, and why."""

    found: Found
    zh: str
    en: str


@dataclass
class Report:
    """What liven found in one workbook, and what it makes live."""

    path: Path
    tables: list[Found] = field(default_factory=list)
    placed: list[tuple[Found, Placed | Ratios]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    register: list[Record] = field(default_factory=list)  # personal sheets, one per person
    lang: str = "zh"
    sheets: dict[str, Sheet] = field(default_factory=dict)
    cells: int = 0  # formula cells written


def parse_mapping(items: list[str]) -> dict[str, str]:
    """``列名=role`` pairs (``@FILE``: one pair per line); InputError on an unknown role."""
    pairs: list[tuple[str, str]] = []
    for item in items:
        lines = (Path(item[1:]).read_text(encoding="utf-8-sig").splitlines()
                 if item.startswith("@") else [item])
        for line in lines:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            header, sep, role = line.rpartition("=")
            if not sep or not header.strip():
                raise InputError("映射须写成 列名=角色", "a mapping is written header=role",
                                 item if item.startswith("@") else None, "--map", line,
                                 "如 考核分=total", "e.g. Score=total")
            pairs.append((header.strip(), role.strip()))
    unknown = [role for _h, role in pairs if role not in ROLES]
    if unknown:
        plain = ", ".join(r for r in ROLES if not r.startswith(("rating:", "standard:")))
        roles = (f"{plain}, rating:<{'|'.join(RATERS)}>:<{'|'.join(FACTORS)}|overall|row>, "
                 f"standard:<{'|'.join(LEVELS)}>")
        raise InputError("未知的角色", "unknown role", None, "--map", unknown, roles, roles)
    return dict(pairs)


def language(sheets: dict[str, Sheet], tables: list[Found]) -> str:
    """zh when the tables' headers are Chinese, else en (names in the rows do not count: an
    English form may well list Chinese names)."""
    for found in tables or []:
        sheet = sheets[found.sheet]
        for r in range(found.header[0], found.header[1] + 1):
            if any(isinstance(v, str) and _CJK.search(v) for v in sheet.rows[r - 1]):
                return "zh"
    return "zh" if not tables and any(isinstance(v, str) and _CJK.search(v) for s in
                                      sheets.values() for row in s.rows[:30] for v in row) \
        else "en"


def placed_inputs(rates: dict[str, list[str]]) -> set[str]:
    """The rating keys of a table's rater columns."""
    return {rating_key(rater, factor or None) for rater, factors in rates.items()
            for factor in factors}


def refuse_uncached(found: Found, sheet: Sheet, letters: dict[str, str]) -> None:
    """Input cells holding formulas that were never calculated: their values are unknown."""
    unknown = sorted(f"{c}{r}" for c in letters.values() for r in range(found.rows[0],
                                                                       found.rows[1] + 1)
                     if f"{c}{r}" in sheet.uncached)
    if unknown:
        raise InputError("评分或工号单元格的公式没有计算结果", "rating or ID cells hold formulas "
                         "that were never calculated", None, f"{found.sheet}!{unknown[0]}",
                         unknown[:5], "先在 Excel 或 WPS 中打开并保存", "open and save it in "
                         "Excel or WPS first")


def refuse_mixed_ids(found: Found, sheet: Sheet, letters: dict[str, str]) -> None:
    """The same ID typed once as a number (1001) and once as text ("1001"): spreadsheets differ
    on whether COUNTIF finds them equal, so the check would differ between Excel and LibreOffice."""
    letter = letters.get("employee_id")
    if letter is None:
        return
    col = column_index(letter)
    seen: dict[str, tuple[type, int]] = {}
    for r in range(found.rows[0], found.rows[1] + 1):
        v = sheet.get(r, col)
        if v is None:
            continue
        key = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip().lower()
        kind = str if isinstance(v, str) else float
        if key in seen and seen[key][0] is not kind:
            raise InputError("同一工号既有数字又有文本格式,各软件判断是否重复的结果不同",
                             "the same ID is typed once as a number and once as text; "
                             "spreadsheets disagree on whether they are duplicates", None,
                             f"{found.sheet}!{letter}{seen[key][1]}、{letter}{r}", v,
                             "统一为文本或数字", "the same type for every ID")
        seen.setdefault(key, (kind, r))


def place(found: Found, sheet: Sheet, lang: str, width: int | None = None) -> Placed | Skipped:
    """The appraisal over an appraisal table's columns, or why it cannot be laid there."""
    def key_of(role: str) -> str | None:
        if role in ("employee_id", "name", "total", "grade", "rank"):
            return role
        if role.startswith("score:"):
            return score_key(role.partition(":")[2])
        if role.startswith("rating:"):
            _, rater, factor = role.split(":")
            return rating_key(rater, None if factor == "overall" else factor)
        return None

    letters = _letters(found, key_of)
    rates = rates_of(letters)
    if "supervisor" not in rates:
        return Skipped(found, "没有主管评分列:无法计算综合得分", "no supervisor ratings: there "
                       "is no total to compute")
    if "name" not in letters and "employee_id" not in letters:
        return Skipped(found, "没有工号或姓名列", "no ID or name column")
    scheme = narrowed(default_scheme(lang), rates)
    results = [score_key(r.key) for r in scheme.raters] + list(RESULTS)
    letters.update(added_letters(sheet.width if width is None else width,
                                 [k for k in results if k not in letters]))
    refuse_mixed_ids(found, sheet, letters)
    refuse_uncached(found, sheet, {k: c for k, c in letters.items()
                                   if k in ("employee_id", "name") or k in placed_inputs(rates)})
    summary = None  # a typed average under one block only: several blocks' rows say subtotals
    if found.totals_row and "total" in found.roles.values() and found.part == (1, 1):
        letter = next(c for c, r in found.roles.items() if r == "total")
        lead = next((v for c in range(1, sheet.width + 1)
                     if (v := sheet.get(found.totals_row, c)) is not None), None)
        if isinstance(sheet.get(found.totals_row, column_index(letter)), (int, float)):
            how = "average" if is_average(lead) else "sum"
            summary = (how, letter, found.totals_row)
    return Placed(scheme, found.sheet, found.rows[0], found.rows[1], letters, summary=summary)


def _letters(found: Found, key_of: Callable[[str], str | None]) -> dict[str, str]:
    """Key -> column letter of the columns whose role ``key_of`` names; two columns for one key
    are refused, naming both: which one counts is the user's to settle."""
    letters: dict[str, str] = {}
    for letter, role in found.roles.items():
        key = key_of(role)
        if key is None:
            continue
        if key in letters:
            raise InputError("两列的含义相同,无法确定用哪一列", "two columns hold the same thing; "
                             "xlperf will not guess which", None,
                             f"{found.sheet}!{letters[key]}{found.header[1]}、{letter}"
                             f"{found.header[1]}", key, "用 --map \"列名=角色\" 指定其中一列",
                             "settle one of them with --map \"header=role\"")
        letters[key] = letter
    return letters


def place_ratios(found: Found) -> Ratios | Skipped:
    """The ratios of a KPI table, computed where they were typed, or why there are none."""
    t = Ratios(found.sheet, found.rows[0], found.rows[1], _letters(
        found, lambda role: role if role in (*RATIO_KEYS, "department", "kpi_name") else None))
    if not t.computed:
        return Skipped(found, "没有可计算的比率(需分子和分母,或实际值和目标值)",
                       "no ratio to compute (it needs numerator and denominator, or actual and "
                       "target)")
    return t


def dry_run(path: Path, mapping: dict[str, str] | None = None, lang: str | None = None
            ) -> Report:
    """Everything liven would do to the workbook at ``path``, nothing written."""
    return report_of(read_sheets(path), Path(path), mapping, lang)


def report_of(sheets: list[Sheet], path: Path, mapping: dict[str, str] | None = None,
              lang: str | None = None) -> Report:
    """What liven finds in ``sheets`` (a file's, or a workbook's open in Excel) and makes live."""
    report = Report(Path(path), sheets={s.name: s for s in sheets})
    found_in = [(sheet, found) for sheet in sheets for found in find_tables(sheet, mapping)]
    report.tables = [found for _s, found in found_in]
    report.lang = lang or language(report.sheets, report.tables)
    for sheet, found in found_in:
        if found.kind in ("personal", "standards"):
            continue
        beside = [t for f, t in report.placed if t.sheet == found.sheet
                  and f.rows[0] <= found.rows[1] and found.rows[0] <= f.rows[1]]
        width = max([sheet.width, *(column_index(c) for t in beside for c in t.letters.values())])
        placed = (place_ratios(found) if found.kind == "kpi"
                  else place(found, sheet, report.lang, width))
        if isinstance(placed, Skipped):
            report.skipped.append(placed)
        else:
            report.placed.append((found, placed))
    report.register = gather(found_in)
    rows = {name: s.rows for name, s in report.sheets.items()}
    for found, t in report.placed:
        values = table_values(t, rows[t.sheet])
        typed = [k for k in t.result_keys if t.letters[k] in found.roles]
        summary = summary_value(t.summary[0], values["total"]) if t.summary else None
        report.differences += differences(t, typed, rows[t.sheet], values, summary)
    return report


def raters_of(found: Found) -> dict[str, list[str]]:
    """Rater -> the factors it rates in this table ("overall" for one score)."""
    out: dict[str, list[str]] = {}
    for role in found.roles.values():
        if role.startswith("rating:"):
            _, rater, factor = role.split(":")
            out.setdefault(rater, []).append(factor)
    return out


# --- writing ------------------------------------------------------------------------------------

def write(path: Path, dest: Path, mapping: dict[str, str] | None = None,
          lang: str | None = None, before: Callable[[Report], None] | None = None) -> Report:
    """Make the workbook at ``path`` live into ``dest`` (atomically; ``dest`` may be ``path``,
    whose old version is then kept as ``<name>.bak.xlsx``); ``before`` sees the report — the
    typed results that differ — before anything is replaced."""
    path, dest = Path(path), Path(dest)
    zf = package.open_package(path)
    try:
        book = package.read_book(zf)
        if "XLPERF_KIND" in book.names:
            raise InputError("已是 xlperf 工作簿:用 xlperf recalc 重算", "already an xlperf "
                             "workbook: use xlperf recalc", str(path))
        report = dry_run(path, mapping, lang)
        if not report.placed and report.register:
            zf.close()
            return report  # personal sheets only: the register is the live workbook
        if not report.placed:
            found = [f"{f.sheet}: {f.kind}" for f in report.tables]
            raise InputError("找不到可计算的表格(考核表需有工号或姓名列及主管评分列;KPI 表需有"
                             "分子和分母,或实际值和目标值)",
                             "no table to make live (an appraisal needs an ID or name column and "
                             "supervisor ratings; a KPI table numerator and denominator, or "
                             "actual and target)", str(path), None, found or None,
                             "用 --dry-run 查看识别结果,用 --map 指定列的含义",
                             "see --dry-run, settle columns with --map")
        parts = _parts(zf, book, report)
        if before is not None:
            before(report)
    except InputError as err:
        zf.close()
        raise err.located(str(path))
    except Exception:
        zf.close()
        raise
    if dest.resolve() == path.resolve():
        zf.close()  # Windows cannot replace a file that is still open
        backup = package.keep_backup(path)
        with package.open_package(backup) as src:  # type: ignore[arg-type]
            package.rewrite(src, dest, parts)
    else:
        with zf:
            package.rewrite(zf, dest, parts)
    return report


def _scheme_name(sheets: Iterable[str], lang: str) -> str:
    taken = {s.lower() for s in sheets}
    base = text("sheet.scheme", lang)
    return next(n for n in (base, f"{base} (xlperf)", "xlperf") if n.lower() not in taken)


@dataclass
class Plan:
    """Every edit liven makes, whoever applies it (the package for a file, xlwings' Book API for
    a workbook open in Excel): the 方案 sheet — its cells, defined names and column widths — and
    the formula cells and added columns' headers it puts into the form's sheets."""

    sheet: str
    scheme_cells: dict[str, Cell]
    names: dict[str, str]  # name -> what it refers to ('方案'!$C$5:$C$9, or "livened")
    hidden: frozenset[str]
    widths: dict[str, float]
    computed: live.Computed  # the form sheets' formula cells, with their values
    headers: dict[str, dict[str, str]]  # sheet -> cell -> header of an added column


def plan(report: Report, taken: Iterable[str]) -> Plan:
    """The edits that make ``report``'s tables live; ``taken``: the workbook's sheet names."""
    from openpyxl import Workbook  # the 方案 sheet is laid out as a build lays it out
    lang = report.lang
    scheme = default_scheme(lang)
    ws = Workbook().active
    laid = scheme_sheet.write(ws, scheme)
    sheet = _scheme_name(taken, lang)
    cells = {c.coordinate: Cell(c.value) for row in ws.iter_rows() for c in row
             if c.value is not None and c.coordinate not in laid.formulas}
    map_first = ws.max_row + 2
    livened = with_weights(Livened(scheme, sheet, laid.names,
                                   [t for _f, t in report.placed], map_first))
    cells.update({ref: Cell(value) for ref, value in map_cells(livened).items()})
    computed = compute(livened, {name: s.rows for name, s in report.sheets.items()})
    for ref, (formula, value) in computed.cells.pop(sheet).items():
        cells[ref] = Cell(value, formula)
    names = {n: f"{quoted(sheet)}!{ref}" for n, ref in laid.names.items()}
    names[MAP_NAME] = (f"{quoted(sheet)}!$A${map_first + 1}:"
                       f"$F${map_first + len(map_rows(livened.tables))}")
    constants = {"XLPERF_KIND": KIND, "XLPERF_LANG": lang, "XLPERF_VERSION": FORMAT_VERSION}
    names.update({n: f'"{v}"' for n, v in constants.items()})
    headers: dict[str, dict[str, str]] = {}
    for found, t in report.placed:
        if isinstance(t, Placed):
            headers.setdefault(t.sheet, {}).update(
                {f"{letter}{found.header[1]}": label(key, t.scheme)
                 for key, letter in t.letters.items() if letter not in found.roles})
    widths = {c: d.width for c, d in ws.column_dimensions.items() if d.width}
    return Plan(sheet, cells, names, frozenset(constants), widths, computed, headers)


def _parts(zf: "zipfile.ZipFile", book: package.Book, report: Report) -> dict[str, bytes]:
    """Every part liven changes or adds: the plan applied to the package."""
    p = plan(report, book.sheets)
    parts = add_sheet(zf, p.sheet, p.scheme_cells, p.names, p.hidden, p.widths)
    parts[WORKBOOK] = full_calc_on_load(parts[WORKBOOK])
    for name, planned in p.computed.plan().items():
        part = book.sheets[name]
        xml = zf.read(part)
        new = {ref.decode(): (t, f + v) for ref, (f, t, v) in planned.items()}
        _refuse_shared_masters(xml, set(new), name)
        new.update({ref: (b' t="inlineStr"', b"<is><t>" + package.xml_escape(head).encode()
                          + b"</t></is>") for ref, head in p.headers.get(name, {}).items()})
        for found, t in report.placed:
            if t.sheet == name and isinstance(t, Placed):
                _styled(xml, found, t, new)
        parts[part] = put_cells(xml, new, name)
        report.cells += len(planned)
    return parts


def _styled(xml: bytes, found: Found, t: Placed, new: dict[str, tuple[bytes, bytes]]) -> None:
    """Every cell of the columns added to a table styled like the table's last column in its row
    (borders, fonts, fills), so the table simply grows."""
    last = max((*found.roles, *found.unplaced), key=column_index)
    added = [letter for letter in t.letters.values() if letter not in found.roles]
    rows = [found.header[1], *t.rows]
    styles = styles_of(xml, {f"{last}{r}" for r in rows})
    for letter in added:
        for r in rows:
            ref = f"{letter}{r}"
            if ref in new and f"{last}{r}" in styles and b' s="' not in new[ref][0]:
                attrs, body = new[ref]
                new[ref] = (styles[f"{last}{r}"] + attrs, body)


_SHARED_MASTER = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*>\s*<f[^>]*t="shared"[^>]*ref="([^"]+)"')


def _refuse_shared_masters(xml: bytes, replaced: set[str], sheet: str) -> None:
    """A typed result that is the first cell of a filled-down formula reaching beyond the table
    cannot be replaced alone: the cells below it would lose their formula."""
    from .grid import Grid
    for m in _SHARED_MASTER.finditer(xml):
        if m.group(1).decode() in replaced and not set(Grid.cells(m.group(2).decode())) <= replaced:
            raise InputError("结果列的公式向下填充超出表格,无法只替换表内部分",
                             "a result column's filled-down formula reaches beyond the table; "
                             "its cells cannot be replaced alone", None,
                             f"{sheet}!{m.group(2).decode()}", None,
                             "先删除表格以外的填充公式", "clear the fill below the table first")


_CALC_PR = re.compile(rb"<(\w+:)?calcPr\b([^>]*?)(/?)>")
_FULL_CALC = re.compile(rb'\sfullCalcOnLoad="[^"]*"')


def full_calc_on_load(workbook: bytes) -> bytes:
    """The workbook asks its application to recalculate when opened: formulas of the form itself
    that refer to a cell liven replaced then show the new value, not the one cached before."""
    m = _CALC_PR.search(workbook)
    if m is None:
        end = re.search(rb"</(\w+:)?workbook>", workbook)
        if end is None:
            return workbook
        prefix = end.group(1) or b""
        at = re.search(rb"<(\w+:)?(?:oleSize|customWorkbookViews|pivotCaches|smartTagPr|"
                       rb"smartTagTypes|webPublishing|fileRecoveryPr|webPublishObjects|extLst)\b",
                       workbook)
        pos = at.start() if at else end.start()
        return workbook[:pos] + b"<" + prefix + b'calcPr fullCalcOnLoad="1"/>' + workbook[pos:]
    attrs = _FULL_CALC.sub(b"", m.group(2))
    return (workbook[:m.start()] + b"<" + (m.group(1) or b"") + b"calcPr" + attrs
            + b' fullCalcOnLoad="1"' + m.group(3) + b">" + workbook[m.end():])
