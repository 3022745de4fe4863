"""The ``xlperf`` command line: demo, new, recalc, export, templates.

Bad input ends with both a Chinese and an English message on stderr and exit status 2; no output
file is left behind (every write is atomic).
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from .errors import InputError, bilingual
from .kinds import KINDS
from .export import export as export_csv
from .labels import text
from .layout import DEFAULT_CAPACITY, MAX_CAPACITY
from .recalc import recalc as recalc_file
from .roster import read_roster
from .scheme import default_scheme, parse_budget
from .summary import GRADE_ROW
from .model import Appraisal, Computed
from .package import keep_backup

if TYPE_CHECKING:
    from datetime import date

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Live Excel templates for appraisal and performance pay. "
                       "考核表、绩效工资分配的活模板。")
new_app = typer.Typer(no_args_is_help=True, help="Create a live workbook. 新建活模板。")
app.add_typer(new_app, name="new")
out = Console()
err = Console(stderr=True)

Lang = Annotated[str, typer.Option("--lang", help="zh (default) or en")]


def build(app_: Appraisal, path: Path) -> Computed:
    """Write a workbook; openpyxl is imported only by the commands that write one."""
    from .workbook import build as write_workbook
    return write_workbook(app_, path)


def bad_input_exits_2(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn InputError into a bilingual message and exit status 2."""
    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            print(bilingual(exc), file=sys.stderr)
            raise typer.Exit(2) from None
    return run


def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise InputError("语言须为 zh 或 en", "language must be zh or en", None, "--lang", lang)
    return lang


def _output(path: Path, option: str, suffix: str, source: Path | None = None) -> Path:
    """An output path people can trust: the right file type, never the input itself."""
    if path.suffix.lower() != suffix:
        raise InputError(f"输出文件须以 {suffix} 结尾", f"the output must end in {suffix}",
                         str(path), option, path.suffix, suffix, suffix)
    if source is not None and path.resolve() == Path(source).resolve():
        raise InputError("输出文件不能是输入文件", "the output cannot be the input file", str(path),
                         option, str(path), "另一个文件名", "another file name")
    return path


def _summary(comp: Computed, lang: str, path: Path) -> None:
    cells = comp.cells["summary"]
    table = Table(title=text("summary.grades", lang))
    table.add_column(text("grade", lang))
    table.add_column(text("summary.count", lang), justify="right")
    row = GRADE_ROW
    while f"A{row}" in cells:
        table.add_row(str(cells[f"A{row}"][1]), str(cells[f"B{row}"][1]))
        row += 1
    out.print(table)
    s = comp.split
    status = "=" if s.cents.sum() == s.budget_cents else "≠"
    out.print(f"{text('summary.headcount', lang)}: {cells['B3'][1]}  "
              f"{text('summary.incomplete', lang)}: {cells['B5'][1]}")
    out.print(f"{text('summary.pay_total', lang)} {s.cents.sum() / 100:,.2f} {status} "
              f"{text('summary.budget', lang)} {s.budget_cents / 100:,.2f}")
    out.print(f"→ {path}")


@app.command()
@bad_input_exits_2
def demo(out_dir: Annotated[Path, typer.Option("--out", help="folder")] = Path("xlperf-demo"),
         lang: Lang = "zh") -> None:
    """Build the sample department's workbooks into ./xlperf-demo/. 生成示例部门工作簿。"""
    from . import demo as demo_data
    from .export import export as export_results
    from .roster import write_roster
    lang = _lang(lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    for code in dict.fromkeys((lang, "en" if lang == "zh" else "zh")):
        scheme = default_scheme(code, demo_data.DEMO_BUDGET_CENTS)
        records = demo_data.sample_records(scheme)
        app_ = demo_data.with_deciding_tie(Appraisal.from_records(scheme, records,
                                                                  DEFAULT_CAPACITY))
        suffix = "" if code == lang else f"_{code}"
        book = out_dir / f"appraisal{suffix}.xlsx"
        comp = build(app_, book)
        write_roster(out_dir / f"roster{suffix}.csv", app_)
        export_results(book, out_dir / f"results{suffix}.csv")
        if code == lang:
            _summary(comp, lang, book)
    from .kinds import build as build_kind, kind_module
    for kind in KINDS:
        module = kind_module(kind)
        for code in dict.fromkeys((lang, "en" if lang == "zh" else "zh")):
            suffix = "" if code == lang else f"_{code}"
            book = out_dir / f"{kind}{suffix}.xlsx"
            build_kind(module, module.demo(code), book)
            export_results(book, out_dir / f"{kind}_results{suffix}.csv")
        out.print(f"→ {out_dir / kind}.xlsx")
    out.print(f"→ {out_dir}/ (roster*.csv, results*.csv, *.xlsx)")


@new_app.command("appraisal")
@bad_input_exits_2
def new_appraisal(
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.xlsx to write")],
    roster: Annotated[Optional[Path], typer.Option("--from", help="roster CSV")] = None,
    budget: Annotated[Optional[str], typer.Option("--budget", help="amount, e.g. 120000")] = None,
    lang: Lang = "zh",
    capacity: Annotated[int, typer.Option(help="employee rows")] = DEFAULT_CAPACITY,
) -> None:
    """A live appraisal workbook, empty or from a roster CSV. 新建考核表。"""
    lang = _lang(lang)
    _output(output, "-o", ".xlsx")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise InputError("员工行数超出范围", "capacity out of range", None, "--capacity", capacity,
                         f"1–{MAX_CAPACITY}", f"1–{MAX_CAPACITY}")
    scheme = default_scheme(lang)
    if budget is not None:
        scheme = scheme.with_budget(parse_budget(budget, None, "--budget"))
    records = read_roster(roster, scheme) if roster else []
    start = time.perf_counter()
    app_ = Appraisal.from_records(scheme, records, capacity)
    backup = keep_backup(output)
    comp = build(app_, output)
    if backup:
        out.print(f"backup → {backup}")
    _summary(comp, lang, output)
    err.print(f"{time.perf_counter() - start:.2f} s", style="dim")


def _new_kind(kind: str) -> None:
    @new_app.command(kind, help=KINDS[kind])
    @bad_input_exits_2
    def command(
        output: Annotated[Path, typer.Option("-o", "--output", help="FILE.xlsx to write")],
        source: Annotated[Optional[Path], typer.Option("--from", help="CSV (see README)")] = None,
        lang: Lang = "zh",
    ) -> None:
        from .kinds import build as build_kind, kind_module
        lang_ = _lang(lang)
        _output(output, "-o", ".xlsx", source)
        module = kind_module(kind)
        form = module.from_csv(source, lang_) if source else module.blank(lang_)
        backup = keep_backup(output)
        build_kind(module, form, output)
        if backup:
            out.print(f"backup → {backup}")
        out.print(f"→ {output}")


for _kind in KINDS:
    _new_kind(_kind)


@app.command()
@bad_input_exits_2
def recalc(
    file: Annotated[Path, typer.Argument(help="workbook to recompute")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output")] = None,
    restore_formulas: Annotated[bool, typer.Option(
        "--restore-formulas", help="put back formulas someone typed over")] = False,
) -> None:
    """Recompute every cached value from the workbook's own scheme and inputs. 重算。"""
    if output is not None and file.suffix.lower() in (".xlsx", ".xlsm"):
        _output(output, "-o", file.suffix.lower())  # same type: the package is copied as is
    start = time.perf_counter()
    report = recalc_file(file, output, restore_formulas)
    seconds = time.perf_counter() - start
    for m in report.mismatches:
        err.print(f"restored {m.sheet}!{m.cell}: {m.found!r} → ={m.expected}", markup=False)
    if report.backup:
        out.print(f"backup → {report.backup}")
    out.print(f"{report.cells} formula cells recalculated in {seconds:.2f} s → {output or file}")


@app.command()
@bad_input_exits_2
def export(
    file: Annotated[Path, typer.Argument(help="workbook")],
    output: Annotated[Path, typer.Option("-o", "--output", help="RESULTS.csv")],
) -> None:
    """Results per employee or record from the cached values (not recomputed). 导出结果。"""
    n = export_csv(file, _output(output, "-o", ".csv", file))
    out.print(f"{n} rows → {output}")


@app.command()
def liven(
    files: Annotated[list[Path], typer.Argument(help="workbooks HR made by hand (.xlsx, .xlsm)")],
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="the live workbook to write (one input)")] = None,
    out_dir: Annotated[Optional[Path], typer.Option(
        "--out-dir", help="folder for the live workbooks (several inputs)")] = None,
    in_place: Annotated[bool, typer.Option(
        "--in-place", help="replace each input, keeping <name>.bak.xlsx")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="print what it finds and would change; write nothing")] = False,
    mapping: Annotated[Optional[list[str]], typer.Option(
        "--map", help='settle a column: "列名=role", or @FILE with one per line')] = None,
    report_csv: Annotated[Optional[Path], typer.Option(
        "--report", help="CSV of the typed results that differ (for finance)")] = None,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="date for tenure from hire dates in a register (default: today)")] = None,
    lang: Annotated[Optional[str], typer.Option(
        "--lang", help="zh or en (default: the form's language)")] = None,
) -> None:
    """Make hand-made appraisal workbooks live: 方案 sheet, formulas, cached values; nothing else
    changed. 让手工考核表"活"起来。"""
    from .liven import parse_mapping
    try:
        settled = parse_mapping(mapping or [])
        lang = _lang(lang) if lang is not None else None
        targets = _liven_targets(files, output, out_dir, in_place, dry_run)
        day = _date(as_of)
    except InputError as exc:
        print(bilingual(exc), file=sys.stderr)
        raise typer.Exit(2) from None
    if dry_run:
        failed = 0
        for file in files:
            try:
                _print_dry_run(file, settled, lang)
            except InputError as exc:
                print(bilingual(exc), file=sys.stderr)
                failed += 1
        raise typer.Exit(2 if failed else 0)
    results = _liven_all(targets, settled, lang, day, len(files) > 1)
    differences = [(src, d) for src, _dest, rep, _e in results if rep for d in rep.differences]
    if differences and len(files) > 1:  # one file: listed before it was written
        _print_differences(differences)
    if report_csv is not None:
        from .export import csv_safe, write_csv
        write_csv(report_csv, ["file", "sheet", "cell", "typed", "computed", "why"],
                  [[str(src), d.sheet, d.cell, csv_safe(d.typed), csv_safe(d.computed), d.why]
                   for src, d in differences])
    if len(files) > 1 or any(e for *_x, e in results):
        _print_liven_summary(results)
    raise typer.Exit(2 if any(e for *_x, e in results) else 0)


def _date(text_: str | None) -> "date":
    from datetime import date
    if text_ is None:
        return date.today()
    try:
        return date.fromisoformat(text_)
    except ValueError:
        raise InputError("日期须写成 YYYY-MM-DD", "a date is written YYYY-MM-DD", None, "--as-of",
                         text_, "2024-12-31", "2024-12-31") from None


def _liven_targets(files: list[Path], output: Path | None, out_dir: Path | None,
                   in_place: bool, dry_run: bool) -> list[tuple[Path, Path]]:
    """(input, output) of each file; the options must say where every output goes."""
    chosen = [o for o, given in (("-o", output), ("--out-dir", out_dir), ("--in-place", in_place))
              if given]
    if dry_run:
        return []
    if len(chosen) != 1:
        raise InputError("须且只须指定 -o、--out-dir、--in-place 之一(或 --dry-run)",
                         "give exactly one of -o, --out-dir, --in-place (or --dry-run)", None,
                         None, chosen or None)
    if output is not None:
        if len(files) != 1:
            raise InputError("多个文件须用 --out-dir", "several files need --out-dir", None, "-o",
                             len(files))
        return [(files[0], _output(output, "-o", files[0].suffix.lower(), files[0]))]
    if in_place:
        return [(f, f) for f in files]
    assert out_dir is not None
    targets = [(f, out_dir / f.name) for f in files]
    same = [str(f) for f, dest in targets if dest.resolve() == f.resolve()]
    names = [dest.name for _f, dest in targets]
    if same or len(set(names)) != len(names):
        raise InputError("输出会覆盖输入或彼此重名", "outputs would overwrite inputs or each other",
                         None, "--out-dir", same or sorted({n for n in names if names.count(n) > 1}),
                         "另一个文件夹、不重名的文件", "another folder, distinct file names")
    return targets


def _liven_all(targets: list[tuple[Path, Path]], settled: dict[str, str], lang: str | None,
               as_of: "date", progress: bool) -> list[tuple[Path, Path, Any, str]]:
    """Each file made live; a bad file is reported and skipped, the others still done."""
    from rich.progress import Progress

    from .liven import write
    results: list[tuple[Path, Path, Any, str]] = []
    with Progress(console=err, disable=not progress, transient=True) as bar:
        task = bar.add_task("liven", total=len(targets))
        for src, dest in targets:
            bar.update(task, description=src.name)
            try:
                report = write(src, dest, settled, lang,
                               None if progress else _listed_first(src))
                if report.register:
                    _write_register(report, src, dest, as_of)
                results.append((src, dest, report, ""))
            except InputError as exc:
                print(bilingual(exc), file=sys.stderr)
                results.append((src, dest, None, exc.en))
            bar.advance(task)
    for src, dest, report, error in results:
        if report is not None and len(targets) == 1:
            out.print(f"{len(report.placed)} tables, {report.cells} formula cells → {dest}")
    return results


def _listed_first(src: Path) -> Callable[[Any], None]:
    """Print a file's typed results that differ before liven replaces them."""
    def show(report: Any) -> None:
        if report.differences:
            _print_differences([(src, d) for d in report.differences])
    return show


def _write_register(report: Any, src: Path, dest: Path, as_of: "date") -> None:
    """The personal sheets gathered into a live appraisal workbook: ``dest`` itself when the
    workbook has nothing else to make live (the input is then left as it is), else beside it."""
    from .register import roster_records
    records = roster_records(report.register, as_of)
    alone = not report.placed and dest.resolve() != src.resolve()
    path = dest if alone else dest.with_name(f"{dest.stem}_register.xlsx")
    app_ = Appraisal.from_records(default_scheme(report.lang), records, len(records))
    build(app_, path)
    out.print(f"register (花名册): {len(records)} personal sheets → {path} "
              f"(tenure as of {as_of.isoformat()})")


def _print_differences(differences: list[tuple[Path, Any]]) -> None:
    table = Table(title="typed ≠ computed, replaced by formulas (手填与公式不符,已改为公式)")
    for head in ("file", "sheet", "cell", "typed", "computed"):
        table.add_column(head)
    for src, d in differences:
        computed = str(d.computed) if d.computed != "" else (
            f"(blank: {d.why})" if d.why else "(blank)")
        table.add_row(src.name, d.sheet, d.cell, str(d.typed), computed)
    out.print(table)


def _print_liven_summary(results: list[tuple[Path, Path, Any, str]]) -> None:
    table = Table(title="liven")
    for head in ("file", "tables", "formula cells", "typed ≠ computed", "result"):
        table.add_column(head)
    for src, dest, report, error in results:
        if report is None:
            table.add_row(src.name, "", "", "", f"[red]skipped: {error}[/]")
        else:
            made = f"→ {dest}" if report.placed else "register"
            table.add_row(src.name, str(len(report.placed)), str(report.cells),
                          str(len(report.differences)), made)
    out.print(table)
    done = sum(1 for *_x, e in results if not e)
    out.print(f"{done} of {len(results)} files made live")


def _scheme_line(scheme: Any) -> str:
    """The scheme liven infers for a table: its raters' weights (as a share of the raters it has)
    and the factors each rater's columns rate."""
    total = sum(r.weight for r in scheme.raters) or 1
    raters = ", ".join(f"{r.name} {r.weight:.0%}" + (f" → {r.weight / total:.0%}"
                                                       if total != 1 else "")
                       for r in scheme.raters)
    rated = {f for r in scheme.raters for f in r.rates}
    factors = ", ".join(f"{f.name} {f.weight:.0%}" for f in scheme.factors if f.key in rated)
    return f"scheme: raters {raters}" + (f"; factors {factors}" if factors else "")


def _print_dry_run(file: Path, settled: dict[str, str], lang: str | None) -> None:
    from .liven import dry_run as inspect, raters_of
    report = inspect(file, settled, lang)
    if not report.tables:
        out.print(f"{file}: no table found (找不到表格); settle headers with --map")
    placed = {id(f): t for f, t in report.placed}
    skipped = {id(s.found): s for s in report.skipped}
    for found in report.tables:
        out.print(f"[bold]{found.sheet}[/] · {found.kind} · header rows {found.header[0]}–"
                  f"{found.header[1]} · records {found.rows[0]}–{found.rows[1]}"
                  + (f" · totals row {found.totals_row}" if found.totals_row else "")
                  + (f" · person {found.person}" if found.person else ""))
        table = Table(show_header=True)
        for head in ("column", "role"):
            table.add_column(head)
        for letter, role in found.roles.items():
            table.add_row(letter, role)
        for letter, header in found.unplaced.items():
            table.add_row(letter, f"[yellow]? {header} (unplaced: --map \"{header}=role\")[/]")
        out.print(table)
        for rater, factors in raters_of(found).items():
            out.print(f"  rater {rater}: {', '.join(factors)}")
        if id(found) in placed:
            t = placed[id(found)]
            adds = [f"{k}→{c}" for k, c in t.letters.items() if c not in found.roles]
            over = [f"{k}→{c}" for k, c in t.letters.items()
                    if c in found.roles and k in t.result_keys]
            if hasattr(t, "scheme"):
                out.print("  " + _scheme_line(t.scheme))
            said = ([f"would add: {', '.join(adds)}"] if adds else []) + (
                [f"formulas over typed {', '.join(over)}"] if over else [])
            out.print("  " + "; ".join(said or ["nothing to add"]))
        elif id(found) in skipped:
            s = skipped[id(found)]
            out.print(f"  [yellow]not made live: {s.en} ({s.zh})[/]")
    if report.register:
        out.print(f"register (花名册): {len(report.register)} personal sheets gathered — "
                  + ", ".join(str(r.get("name") or r.get("employee_id")) for r in report.register))
    if report.differences:
        _print_differences([(Path(file), d) for d in report.differences])


@app.command()
@bad_input_exits_2
def serve(
    port: Annotated[int, typer.Option(help="port on 127.0.0.1")] = 8000,
    host: Annotated[str, typer.Option(help="interface (keep 127.0.0.1 unless you know why)")
                    ] = "127.0.0.1",
    cert: Annotated[Optional[str], typer.Option(help="TLS certificate (Excel wants HTTPS)")
                    ] = None,
    key: Annotated[Optional[str], typer.Option(help="its private key")] = None,
) -> None:
    """The Office.js add-in's server: manifest, XLPERF.* functions, ribbon macros (needs
    XLWINGS_LICENSE_KEY; pip install "xlperf[server]"). 加载项服务。"""
    from .serve import serve as run
    if (cert is None) != (key is None):
        raise InputError("--cert 与 --key 须同时给出", "give both --cert and --key", None,
                         "--cert/--key")
    out.print(f"manifest: {'https' if cert else 'http'}://localhost:{port}/manifest.xml")
    run(host, port, cert, key)


@app.command()
@bad_input_exits_2
def addin(output: Annotated[Path, typer.Option("-o", "--output", help="the .xlam to write")]
          = Path("xlperf.xlam")) -> None:
    """The desktop add-in xlperf.xlam (ribbon + RunPython), built with Excel on Windows.
    桌面加载项。"""
    from .addin import build as build_addin
    _output(output, "-o", ".xlam")
    build_addin(output)
    out.print(f"→ {output}")


@app.command()
@bad_input_exits_2
def templates(out_dir: Annotated[Path, typer.Option("--out")] = Path("workbooks")) -> None:
    """Regenerate the blank templates committed in workbooks/. 重新生成空白模板。"""
    from .kinds import build as build_kind, kind_module
    for lang in ("zh", "en"):
        path = out_dir / f"appraisal_{lang}.xlsx"
        build(Appraisal.blank(default_scheme(lang), DEFAULT_CAPACITY), path)
        out.print(f"→ {path}")
        for kind in KINDS:
            path = out_dir / f"{kind}_{lang}.xlsx"
            module = kind_module(kind)
            build_kind(module, module.blank(lang), path)
            out.print(f"→ {path}")


def main() -> None:  # pragma: no cover - console entry for python -m
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
