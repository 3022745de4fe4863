"""``xlperf addin``: the desktop add-in (xlperf.xlam) made from the texts in udfs/desktop — the
ribbon's XML (customUI14.xml) and the VBA callbacks (xlperf_ribbon.bas) — plus xlwings' own VBA
(RunPython and its settings, which read %USERPROFILE%\\.xlperf\\xlperf.conf).

VBA can only be compiled into an add-in by Excel itself: the command drives Excel on Windows
through xlwings (Excel's "Trust access to the VBA project object model" must be on), then puts the
ribbon part into the saved package — the one step that needs no Excel, and the one tested here.
"""
from __future__ import annotations

import re
import sys
import tempfile
from importlib import resources
from pathlib import Path

from . import package
from .errors import InputError

RIBBON_PART = "customUI/customUI14.xml"
RIBBON_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
ROOT_RELS = "_rels/.rels"
XL_OPEN_XML_ADDIN = 55  # Excel's FileFormat for .xlam


def desktop_text(name: str) -> str:
    return resources.files("udfs").joinpath("desktop", name).read_text(encoding="utf-8")


def add_ribbon(src: Path, dest: Path, xml: bytes) -> None:
    """``src`` with the ribbon part ``xml`` and its relationship added (any previous custom
    ribbon of the same kind replaced); every other part copied as it was."""
    with package.open_package(Path(src)) as zf:
        rels = zf.read(ROOT_RELS)
        rels = re.sub(rb'<Relationship\b[^>]*Type="' + re.escape(RIBBON_TYPE.encode())
                      + rb'"[^>]*/>', b"", rels)
        ids = [int(x) for x in re.findall(rb'\sId="rId(\d+)"', rels)]
        entry = (f'<Relationship Id="rId{max(ids, default=0) + 1}" Type="{RIBBON_TYPE}" '
                 f'Target="{RIBBON_PART}"/>').encode()
        rels = rels.replace(b"</Relationships>", entry + b"</Relationships>")
        package.rewrite(zf, Path(dest), {ROOT_RELS: rels, RIBBON_PART: xml})


def build(dest: Path) -> None:
    """Build xlperf.xlam at ``dest`` with Excel (Windows)."""
    if sys.platform != "win32":
        raise InputError("生成桌面加载项需要 Windows 上的 Excel(VBA 只能由 Excel 编译);"
                         "生成的 xlperf.xlam 也可在 macOS 的 Excel 中使用",
                         "building the desktop add-in needs Excel on Windows (only Excel compiles "
                         "VBA); the xlperf.xlam it builds works in Excel for macOS too", None,
                         "xlperf addin", sys.platform, "Windows", "Windows")
    import xlwings as xw
    xlwings_vba = (Path(xw.__file__).parent / "xlwings_custom_addin.bas").read_text(
        encoding="utf-8").replace('PROJECT_NAME As String = "myaddin"',
                                  'PROJECT_NAME As String = "xlperf"')
    with tempfile.TemporaryDirectory(prefix="xlperf-") as tmp:
        sources = {"xlwings.bas": xlwings_vba,
                   "xlperf_ribbon.bas": desktop_text("xlperf_ribbon.bas")}
        for name, text in sources.items():
            (Path(tmp) / name).write_text(text.replace("\n", "\r\n"), encoding="cp1252",
                                          errors="replace")
        dictionary = Path(xw.__file__).parent / "addin" / "Dictionary.cls"
        saved = Path(tmp) / "xlperf.xlam"
        app = xw.App(visible=False, add_book=False)
        try:
            book = app.books.add()
            for path in (*(Path(tmp) / n for n in sources), dictionary):
                book.api.VBProject.VBComponents.Import(str(path))
            book.api.SaveAs(str(saved), FileFormat=XL_OPEN_XML_ADDIN)
            book.close()
        finally:
            app.quit()
        add_ribbon(saved, dest, desktop_text("customUI14.xml").encode("utf-8"))
