"""The desktop add-in's texts (udfs/desktop) and the one build step that needs no Excel: the
ribbon XML is well-formed, each button calls a VBA callback that exists, each callback runs a
macro of udfs/xlperf_ribbon.py that exists, in the ribbon's order; and the ribbon part is put into
a package with nothing else changed. (Compiling the VBA needs Excel on Windows: not tested here.)"""
from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
from typer.testing import CliRunner

from xlperf.addin import RIBBON_PART, RIBBON_TYPE, add_ribbon, desktop_text
from xlperf.cli import app as cli

from .gallery import FORMS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "udfs"))
import xlperf_ribbon  # noqa: E402

CUI = "{http://schemas.microsoft.com/office/2009/07/customui}"


def test_every_button_runs_a_macro_that_exists() -> None:
    ribbon = ET.fromstring(desktop_text("customUI14.xml").encode())
    buttons = ribbon.findall(f".//{CUI}button")
    vba = desktop_text("xlperf_ribbon.bas")
    subs = dict(re.findall(r'Sub (\w+)\(control As IRibbonControl\)\s+RunPython "from udfs '
                           r'import xlperf_ribbon; xlperf_ribbon\.(\w+)\(\)"', vba))
    assert [subs[b.get("onAction")] for b in buttons] == [b[0] for b in xlperf_ribbon.BUTTONS]
    assert [b.get("id") for b in buttons] == [f"xlperf.{b[0]}" for b in xlperf_ribbon.BUTTONS]
    assert all(callable(getattr(xlperf_ribbon, m)) for m in subs.values())
    assert len(re.findall(r"^Sub ", vba, re.M)) == len(subs)  # no callback left unparsed


def test_the_ribbon_part_goes_in_and_nothing_else_changes(tmp_path: Path) -> None:
    src, dest = tmp_path / "form.xlsx", tmp_path / "with_ribbon.xlsx"
    FORMS["zh_typed_errors"](src)
    xml = desktop_text("customUI14.xml").encode()
    add_ribbon(src, dest, xml)
    add_ribbon(dest, tmp_path / "twice.xlsx", xml)  # a second build replaces, never doubles
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(tmp_path / "twice.xlsx") as b:
        assert set(b.namelist()) == set(a.namelist()) | {RIBBON_PART}
        assert b.read(RIBBON_PART) == xml
        rels = b.read("_rels/.rels")
        assert rels.count(RIBBON_TYPE.encode()) == 1
        ET.fromstring(rels)
        assert all(a.read(n) == b.read(n) for n in a.namelist() if n != "_rels/.rels")
    openpyxl.load_workbook(tmp_path / "twice.xlsx")


def test_the_build_command_says_plainly_where_it_runs(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["addin", "-o", str(tmp_path / "xlperf.xlam")])
    if sys.platform != "win32":
        assert done.exit_code == 2 and "Windows" in done.output
        assert not (tmp_path / "xlperf.xlam").exists()
