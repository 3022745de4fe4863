"""The ribbon's macros run against workbook payloads of xlwings' Office.js route — the JSON a real
client sends, built here from forms of the gallery — asserting the actions they return; the same
actions carried out on the file with openpyxl and recalculated by LibreOffice give the reference."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import numpy as np
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from xlperf import engines, liven
from xlperf.grid import Grid

from .bookjson import book_json
from .departments import same
from .gallery import FORMS

ROOT = Path(__file__).resolve().parents[1]
MACROS = ("liven_sheet", "check_workbook", "export_results", "new_template", "rerender")
RUN = r'''
import asyncio, json, sys
sys.path.insert(0, sys.argv[1])
import xlwings as xw
import xlperf_ribbon as ribbon
from xlwings.server import custom_scripts_call, custom_scripts_meta
payload = json.loads(sys.stdin.read())
book = xw.Book(json=payload)
book = asyncio.run(custom_scripts_call(ribbon, sys.argv[2], typehint_to_value={xw.Book: book}))
print(json.dumps({"meta": custom_scripts_meta(ribbon), "actions": book.json()["actions"]},
                 ensure_ascii=False))
'''


def run_macro(name: str, payload: dict) -> dict:
    """A macro called as xlperf serve calls it: its metadata and the actions it returns."""
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run([sys.executable, "-c", RUN, str(ROOT / "udfs"), name],
                          input=json.dumps(payload, ensure_ascii=False), capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def carry_out(path: Path, actions: list[dict], dest: Path) -> None:
    """The actions, as Excel would carry them out, done to the file with openpyxl."""
    wb = openpyxl.load_workbook(path)
    for a in actions:
        ws = wb.worksheets[a["sheet_position"]] if a["sheet_position"] is not None else None
        if a["func"] == "addSheet":
            wb.create_sheet(a["args"][1], a["args"][0])
        elif a["func"] in ("setValues", "setFormula"):
            for i, row in enumerate(a["values"]):
                for j, value in enumerate(row):
                    ws.cell(a["start_row"] + i + 1, a["start_column"] + j + 1, value)
        elif a["func"] == "nameDelete":
            del wb.defined_names[a["args"][0]]
        elif a["func"] == "namesAdd":
            name, refers_to = a["args"][:2]
            wb.defined_names[name] = DefinedName(name, attr_text=refers_to.lstrip("="))
        elif a["func"] == "rangeUnmerge":
            for merged in list(ws.merged_cells.ranges):
                ws.unmerge_cells(str(merged))
        elif a["func"] == "rangeMerge":
            ws.merge_cells(start_row=a["start_row"] + 1, start_column=a["start_column"] + 1,
                           end_row=a["start_row"] + a["row_count"],
                           end_column=a["start_column"] + a["column_count"])
        elif a["func"] in ("sheetProtect", "sheetUnprotect"):
            ws.protection.sheet = a["func"] == "sheetProtect"
        elif a["func"] == "setRangeColor":
            from openpyxl.styles import PatternFill
            fill = a["args"][0].lstrip("#") if a["args"] and a["args"][0] else None
            for row in ws.iter_rows(min_row=a["start_row"] + 1, max_row=a["start_row"]
                                    + a["row_count"], min_col=a["start_column"] + 1,
                                    max_col=a["start_column"] + a["column_count"]):
                for c in row:
                    c.fill = PatternFill("solid", fgColor=fill) if fill else PatternFill()
        elif a["func"] == "sheetClearContents":
            for row in ws.iter_rows():
                for c in row:
                    if type(c).__name__ != "MergedCell":
                        c.value = None
        elif a["func"] == "setColumnWidth":
            ws.column_dimensions[get_column_letter(a["start_column"] + 1)].width = a["args"][0]
        else:
            assert a["func"] in ("alert", "setStatusBar"), a["func"]
    wb.save(dest)


@pytest.mark.parametrize("form", ["zh_typed_errors", "en_summary_average", "zh_kpi_tracking"])
def test_liven_sheet_returns_the_plans_actions(tmp_path: Path, form: str) -> None:
    src = tmp_path / f"{form}.xlsx"
    FORMS[form](src)
    out = run_macro("liven_sheet", book_json(src))
    assert {m["function_name"] for m in out["meta"]} == set(MACROS)
    actions = out["actions"]
    report = liven.dry_run(src)
    plan = liven.plan(report, list(openpyxl.load_workbook(src, read_only=True).sheetnames))
    assert [a["args"][1] for a in actions if a["func"] == "addSheet"] == [plan.sheet]
    names = {a["args"][0]: a["args"][1] for a in actions if a["func"] == "namesAdd"}
    assert names == {n: "=" + r for n, r in plan.names.items()}
    written = {(a["sheet_position"], a["start_row"] + i + 1, a["start_column"] + 1): row[0]
               for a in actions if a["func"] == "setFormula" for i, row in enumerate(a["values"])}
    formulas = {f"={f}" for cells in plan.computed.cells.values() for f, _v in cells.values()}
    assert formulas <= set(written.values())
    assert len([a for a in actions if a["func"] == "setFormula"]) < len(written) / 2 + 20  # runs
    if engines.libreoffice_available():
        live = tmp_path / "applied.xlsx"
        carry_out(src, actions, live)
        lo = engines.recalc_libreoffice(live, tmp_path / "lo")
        wrong = []
        expected = {**plan.computed.values(),
                    plan.sheet: {ref: c.value for ref, c in plan.scheme_cells.items()
                                 if c.formula is not None}}
        for sheet, cells in expected.items():
            grid = Grid(engines.read_values(lo, sheet), str(lo), sheet)
            wrong += [(sheet, ref, v, grid.get(ref)) for ref, v in cells.items()
                      if not same(v, "" if grid.get(ref) is None else grid.get(ref))]
        assert wrong == []


def test_liven_sheet_on_a_sheet_without_a_table_says_so(tmp_path: Path) -> None:
    src = tmp_path / "memo.xlsx"
    FORMS["zh_memo_and_table"](src)
    payload = book_json(src, active=0)  # the memo sheet is first
    out = run_macro("liven_sheet", payload)
    alerts = [a for a in out["actions"] if a["func"] == "alert"]
    assert alerts and "no table to make live" in json.dumps(alerts, ensure_ascii=False)
    assert not [a for a in out["actions"] if a["func"] in ("addSheet", "setFormula")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo appraisal workbook as xlperf builds it (cached values written)."""
    from typer.testing import CliRunner

    from xlperf.cli import app as cli
    out = tmp_path_factory.mktemp("demo")
    done = CliRunner().invoke(cli, ["demo", "--out", str(out)])
    assert done.exit_code == 0, done.output
    return out / "appraisal.xlsx"


def test_check_workbook_marks_and_lists_the_cells_that_differ(built: Path) -> None:
    """A total someone typed over in Excel (and one Excel computed differently) is coloured and
    listed with the value xlperf computes; nothing else is."""
    payload = book_json(built)
    sheet = next(s for s in payload["sheets"] if s["name"] == "考核表")
    header = sheet["values"][5]  # the hidden key row names every column
    col = header.index("total")
    wanted = sheet["values"][6][col]
    sheet["values"][6][col] = 12.5
    out = run_macro("check_workbook", payload)
    actions = out["actions"]
    colored = [a for a in actions if a["func"] == "setRangeColor"]
    assert [(a["sheet_position"], a["start_row"], a["start_column"]) for a in colored] == \
        [(0, 6, col)]
    around = [a["func"] for a in actions if a["func"] in ("sheetUnprotect", "setRangeColor",
                                                         "sheetProtect")]
    assert around == ["sheetUnprotect", "setRangeColor", "sheetProtect"]  # xlperf protects them
    listed = [a["values"] for a in actions if a["func"] == "setValues"]
    assert any(row == [12.5] for block in listed for row in block)
    assert any(row == [wanted] for block in listed for row in block)


def test_export_results_writes_what_xlperf_export_writes(built: Path, tmp_path: Path) -> None:
    import csv

    from xlperf.csvfile import cell_value
    from xlperf.export import export
    export(built, tmp_path / "results.csv")
    with open(tmp_path / "results.csv", encoding="utf-8-sig", newline="") as fh:
        want = [[cell_value(v) for v in row] for row in csv.reader(fh)]
    out = run_macro("export_results", book_json(built))
    added = [a for a in out["actions"] if a["func"] == "addSheet"]
    assert [a["args"][1] for a in added] == ["导出"]
    written = [a for a in out["actions"] if a["func"] == "setValues"]
    assert len(written) == 1 and written[0]["values"] == [
        ["" if v is None else v for v in row] for row in want]


def test_new_template_builds_the_appraisal_into_an_empty_workbook(tmp_path: Path) -> None:
    """Its actions carried out on an empty workbook give a workbook LibreOffice computes exactly
    as the template xlperf writes."""
    empty = tmp_path / "empty.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(empty)
    out = run_macro("new_template", book_json(empty))
    assert [a["args"][1] for a in out["actions"] if a["func"] == "addSheet"] == \
        ["考核表", "方案", "汇总"]
    names = {a["args"][0] for a in out["actions"] if a["func"] == "namesAdd"}
    assert {"FactorWeight", "Budget", "XLPERF_KIND"} <= names
    if engines.libreoffice_available():
        live = tmp_path / "applied.xlsx"
        carry_out(empty, out["actions"], live)
        lo = engines.recalc_libreoffice(live, tmp_path / "lo")
        template = ROOT / "workbooks" / "appraisal_zh.xlsx"
        lo_template = engines.recalc_libreoffice(template, tmp_path / "lo_template")
        for sheet in ("考核表", "方案", "汇总"):
            assert engines.read_values(lo, sheet) == engines.read_values(lo_template, sheet)


def test_rerender_lays_the_appraisal_out_for_a_changed_scheme(built: Path, tmp_path: Path
                                                               ) -> None:
    """方案 says peers now also rate 沟通能力: the appraisal gets that column, every employee's
    inputs move with their keys, and LibreOffice computes what a fresh build of the new scheme
    computes."""
    from xlperf.kinds import open_workbook
    from xlperf.model import Appraisal, compute
    from xlperf.scheme_sheet import CHECK
    payload = book_json(built)
    scheme = next(s for s in payload["sheets"] if s["name"] == "方案")
    keys = [row[0] for row in scheme["values"]]
    peer = keys.index("peer")
    factors = scheme["values"][keys.index("self") - 1]  # the raters table's header row
    scheme["values"][peer][factors.index("沟通能力")] = CHECK
    out = run_macro("rerender", payload)
    funcs = [a["func"] for a in out["actions"]]
    assert funcs.count("sheetClearContents") == 3 and "addSheet" not in funcs
    opened = open_workbook(built)
    opened.close()
    old = opened.form
    rates = {r.key: r.rates for r in old.scheme.raters}
    rates["peer"] = ("communication", "interpersonal")
    from dataclasses import replace
    new_scheme = replace(old.scheme, raters=tuple(replace(r, rates=rates[r.key])
                                                  for r in old.scheme.raters))
    want = compute(Appraisal(replace(old.layout, scheme=new_scheme), {
        **{k: v for k, v in old.inputs.items()},
        "peer.communication": np.full(old.layout.capacity, None, object)}, old.departments))
    if engines.libreoffice_available():
        live = tmp_path / "applied.xlsx"
        carry_out(built, out["actions"], live)
        lo = engines.recalc_libreoffice(live, tmp_path / "lo")
        grid = Grid(engines.read_values(lo, "考核表"), str(lo), "考核表")
        layout = replace(old.layout, scheme=new_scheme)
        assert grid.get(layout.cell("peer.communication", 6)) == "peer.communication"
        for key in ("total", "grade", "pay"):
            got = [grid.get(layout.cell(key, r)) for r in layout.rows]
            exp = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else v
                   for v in want.columns[key]]
            bad = [(i, e, g) for i, (e, g) in enumerate(zip(exp, got)) if not same(e, "" if g is None else g)]
            assert not bad, (key, bad[:5])


def test_a_second_check_clears_the_marks_of_the_first(built: Path, tmp_path: Path) -> None:
    """The cell fixed since the last check loses its mark; a renamed sheet stops re-render
    before anything changes."""
    payload = book_json(built)
    payload["sheets"].append({**payload["sheets"][0], "name": "核对", "values": [
        ["工作表", "单元格", "工作簿中的值", "xlperf 计算的值"], ["考核表", "V9", 1, 2]]})
    out = run_macro("check_workbook", payload)
    cleared = [a for a in out["actions"] if a["func"] == "setRangeColor" and not a["args"][0]]
    assert [(a["sheet_position"], a["start_row"], a["start_column"]) for a in cleared] == \
        [(0, 8, 21)]
    renamed = book_json(built)
    renamed["sheets"][2]["name"] = "汇总2025"
    for n in renamed["names"]:
        n["refers_to"] = n["refers_to"].replace("'汇总'!", "'汇总2025'!")
    out = run_macro("rerender", renamed)
    assert [a["func"] for a in out["actions"]] == ["alert"]
    assert "rename them back" in json.dumps(out["actions"], ensure_ascii=False)
