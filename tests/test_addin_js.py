"""The add-in's client script (udfs/addin/xlperf-addin.js), run by node against a stand-in for the
Excel JavaScript API: the actions a macro returns, carried out by the script, leave every cell,
sheet and name as carrying them out on the file does (tests/test_ribbon.py::carry_out)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from .bookjson import book_json
from .gallery import FORMS
from .test_ribbon import ROOT, carry_out, run_macro

sys.path.insert(0, str(ROOT / "udfs"))
import xlperf_ribbon  # noqa: E402

NODE = shutil.which("node") or shutil.which("nodejs")
HARNESS = r"""
const { XLPERF } = require(process.argv[2]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const cells = {}, names = {}, widths = {}, colors = {}, protected_ = {};
const order = input.sheets.slice();
function letters(c) { let s = ""; c += 1; while (c) { const m = (c - 1) % 26; s = String.fromCharCode(65 + m) + s; c = (c - m - 1) / 26; } return s; }
function sheetProxy(name) {
  return {
    getRangeByIndexes(r, c, nr, nc) {
      const each = (f) => { for (let i = 0; i < nr; i++) for (let j = 0; j < nc; j++) f(i, j, `${name}!${letters(c + j)}${r + i + 1}`); };
      return {
        set values(v) { each((i, j, k) => { cells[k] = v[i][j] === "" ? null : v[i][j]; }); },
        set formulas(v) { each((i, j, k) => { cells[k] = v[i][j]; }); },
        format: { set columnWidth(w) { widths[`${name}!${letters(c)}`] = w; },
                  fill: { set color(x) { if (typeof x !== "string") throw new Error("color " + x);
                                         each((i, j, k) => { colors[k] = x; }); },
                          clear() { each((i, j, k) => { delete colors[k]; }); } } },
        unmerge() {},
        merge(across) { if (typeof across !== "boolean") throw new Error("merge " + across); },
      };
    },
    getRange() { return { clear() { for (const k of Object.keys(cells)) if (k.startsWith(name + "!")) delete cells[k]; } }; },
    protection: { protect() { protected_[name] = true; }, unprotect() { protected_[name] = false; } },
  };
}
const context = {
  workbook: {
    worksheets: {
      getItem: (name) => sheetProxy(name),
      add: (name) => { return { set position(p) {} }; },
    },
    names: { add: (n, f) => { names[n] = f; }, getItem: (n) => ({ delete() { delete names[n]; } }) },
  },
  sync: async () => {},
};
XLPERF.order = order;
XLPERF.apply(context, input.actions).then(() => {
  process.stdout.write(JSON.stringify({ cells, names, colors, protected: protected_,
                                        order: XLPERF.order, message: XLPERF.message || "" }));
});
"""


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("form", ["zh_typed_errors", "zh_kpi_tracking"])
def test_the_client_carries_out_the_actions_as_the_file_applier_does(tmp_path: Path,
                                                                      form: str) -> None:
    src = tmp_path / f"{form}.xlsx"
    FORMS[form](src)
    actions = run_macro("liven_sheet", book_json(src))["actions"]
    sheets = openpyxl.load_workbook(src).sheetnames
    (tmp_path / "harness.js").write_text(HARNESS, encoding="utf-8")
    done = subprocess.run([NODE, str(tmp_path / "harness.js"),
                           str(ROOT / "udfs" / "addin" / "xlperf-addin.js")],
                          input=json.dumps({"sheets": sheets, "actions": actions}),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    js = json.loads(done.stdout)
    applied = tmp_path / "applied.xlsx"
    carry_out(src, actions, applied)
    wb = openpyxl.load_workbook(applied)
    assert js["order"] == wb.sheetnames
    original = openpyxl.load_workbook(src)
    for key, value in js["cells"].items():
        sheet, ref = key.split("!")
        assert wb[sheet][ref].value == value, key
    changed = {f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows()
               for c in row if c.value is not None and (
                   ws.title not in original.sheetnames
                   or original[ws.title][c.coordinate].value != c.value)}
    assert changed <= set(js["cells"])
    assert js["names"] == {n: "=" + d.attr_text for n, d in wb.defined_names.items()}


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_check_marks_through_the_client(tmp_path: Path) -> None:
    """Check's actions on a protected xlperf workbook: unprotect, colour, protect again — with
    the arguments the Excel JavaScript API takes (a colour string, a boolean for merges)."""
    from typer.testing import CliRunner

    from xlperf.cli import app as cli
    CliRunner().invoke(cli, ["demo", "--out", str(tmp_path)])
    payload = book_json(tmp_path / "appraisal.xlsx")
    sheet = payload["sheets"][0]
    col = sheet["values"][5].index("total")
    sheet["values"][6][col] = 1.0
    actions = run_macro("check_workbook", payload)["actions"]
    (tmp_path / "harness.js").write_text(HARNESS, encoding="utf-8")
    done = subprocess.run([NODE, str(tmp_path / "harness.js"),
                           str(ROOT / "udfs" / "addin" / "xlperf-addin.js")],
                          input=json.dumps({"sheets": [s["name"] for s in payload["sheets"]],
                                            "actions": actions}),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    js = json.loads(done.stdout)
    assert list(js["colors"].values()) == ["#ffc7ce"]
    assert js["protected"] == {"考核表": True}


PAGE = r"""
const vm = require("vm");
const scripts = JSON.parse(require("fs").readFileSync(0, "utf8"));
const associated = [], actions = [];
const context = vm.createContext({
  Office: { onReady: (f) => setTimeout(f, 0), actions: { associate: (n) => actions.push(n) },
            context: { displayLanguage: "zh-CN" } },
  CustomFunctions: { associate: (id) => associated.push(id), Error: Error, ErrorCode: {} },
  fetch: () => { throw new Error("no network"); },
});
context.setTimeout = setTimeout;
for (const code of scripts) vm.runInContext(code, context);  // one page: one global scope
setTimeout(() => process.stdout.write(JSON.stringify({ associated, actions })), 10);
"""


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_page_registers_every_function_and_command(tmp_path: Path) -> None:
    """The page's own scripts, run one after another in one global scope as the browser runs
    them: every custom function and every ribbon command is registered (a script loaded twice
    would stop at its second declaration and register nothing)."""
    import os
    import re
    import urllib.request

    from xlperf.serve import running

    with running({**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}) as base:
        page = urllib.request.urlopen(base + "/taskpane.html").read().decode()
        meta = json.loads(urllib.request.urlopen(base + "/functions.json").read())
        sources = [src.replace("http://localhost", "http://127.0.0.1")
                   for src in re.findall(r'<script src="([^"]+)"', page)
                   if "localhost" in src]
        scripts = [urllib.request.urlopen(src).read().decode() for src in sources]
    (tmp_path / "page.js").write_text(PAGE, encoding="utf-8")
    done = subprocess.run([NODE, str(tmp_path / "page.js")], input=json.dumps(scripts),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert sorted(got["associated"]) == sorted(f["id"] for f in meta["functions"])
    assert got["actions"] == [b[0] for b in xlperf_ribbon.BUTTONS]
