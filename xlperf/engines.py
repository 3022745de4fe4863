"""Independent recalculation engines for verifying formulas written by xlperf.

openpyxl writes formulas without cached values, so a workbook's numbers can only
be checked by recalculating it elsewhere.  Two engines that share no code with
xlperf (nor with each other) are offered:

* LibreOffice headless (``recalc_libreoffice``) — closest to Excel, slow start.
* the pure-Python ``formulas`` package (``recalc_formulas``) — no external
  binary, but it has gaps (see the xlperf verification notes).

``read_values`` reads the cached values LibreOffice writes back, via calamine.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = [
    "libreoffice_available",
    "recalc_libreoffice",
    "recalc_libreoffice_many",
    "libreoffice_command",
    "recalc_formulas",
    "read_values",
]

# Calc's "recalculation on file load" settings: 0 = always, 1 = never, 2 = prompt.
# Without this LibreOffice may trust cached values it finds in the file.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

_XLSX_FILTER = 'xlsx:Calc MS Excel 2007 XML'


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_available() -> bool:
    """True if a ``soffice`` binary is on PATH (tests skip LO checks otherwise)."""
    return _soffice() is not None


def recalc_libreoffice(src: Path, out_dir: Path, timeout: float = 600) -> Path:
    """Recalculate ``src`` in LibreOffice and return the re-saved .xlsx in ``out_dir``.

    The output carries LibreOffice's freshly computed cached values, so it can be
    read back with :func:`read_values`.
    """
    return recalc_libreoffice_many([src], out_dir, timeout=timeout)[0]


def recalc_libreoffice_many(
    paths: Iterable[Path], out_dir: Path, timeout: float = 600
) -> list[Path]:
    """Like :func:`recalc_libreoffice` for several files in ONE soffice run.

    LibreOffice start-up dominates small conversions, so batching amortizes it.
    Returns the output paths in input order.
    """
    exe = _soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) not found on PATH")
    srcs = [Path(p).resolve() for p in paths]
    if not srcs:
        return []
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    outs = [out_dir / (s.stem + ".xlsx") for s in srcs]
    if len(set(outs)) != len(outs):
        raise ValueError("input files must have distinct stems (outputs would collide)")
    for s, o in zip(srcs, outs):
        if not s.is_file():
            raise FileNotFoundError(s)
        if o == s:
            raise ValueError(f"out_dir must differ from the directory of {s}")
        o.unlink(missing_ok=True)  # never mistake a stale file for fresh output

    # A private profile per call: parallel calls don't fight over one profile
    # lock, and the recalc-on-load setting never leaks into the user's profile.
    profile = Path(tempfile.mkdtemp(prefix="xlperf-lo-"))
    try:
        stdout, stderr, rc = _run(libreoffice_command(srcs, out_dir, profile), timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)

    missing = [s for s, o in zip(srcs, outs) if not o.is_file()]
    if missing:
        raise RuntimeError(
            f"LibreOffice produced no output for {', '.join(map(str, missing))} "
            f"(exit code {rc}).\nstderr:\n{stderr.strip()}\nstdout:\n{stdout.strip()}"
        )
    return outs


def libreoffice_command(srcs: Sequence[Path], out_dir: Path, profile: Path) -> list[str]:
    """The soffice command that recalculates ``srcs`` into ``out_dir``, with a fresh profile in
    ``profile`` (an empty folder) set to recalculate every formula on load."""
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
    return [_soffice() or "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
            "--norestore", "--convert-to", _XLSX_FILTER, "--outdir", str(out_dir),
            *map(str, srcs)]


def _run(cmd: Sequence[str], timeout: float) -> tuple[str, str, int]:
    """Run in a new session so a timeout kills soffice.bin too, not just the wrapper."""
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        raise RuntimeError(
            f"LibreOffice timed out after {timeout}s.\nstderr:\n{err.strip()}"
        ) from None
    return out, err, proc.returncode


# Solution keys look like "'[book.xlsx]SHEET'!A1" or "'[book.xlsx]SHEET'!A1:C3";
# defined names appear as "'[book.xlsx]'!NAME" (empty sheet) and are skipped.
# formulas 1.3.4 does not double a quote inside a sheet name ("'[b.xlsx]BOB'S'!A1"),
# so the sheet part is matched greedily and un-doubled only if that is needed.
_KEY = re.compile(r"^'\[(?P<book>[^\]]*)\](?P<sheet>.*)'!(?P<ref>[A-Z]+\d+(?::[A-Z]+\d+)?)$")


def recalc_formulas(src: Path) -> dict[tuple[str, str], object]:
    """Recalculate ``src`` with the ``formulas`` package.

    Returns ``{(sheet, "A1"): value}`` for every cell in the solution, including
    cells of ranges formulas referenced (blank ones map to None).  Values are
    float, str, bool, None, or Excel error strings such as "#DIV/0!".
    Sheet names are the workbook's real ones (``formulas`` upper-cases them).
    """
    import formulas
    import schedula as sh
    from formulas.tokens.operand import XlError
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter, range_boundaries

    src = Path(src).resolve()
    wb = load_workbook(src, read_only=True)
    try:
        real = {n.upper(): n for n in wb.sheetnames}
    finally:
        wb.close()

    def scalar(v: object) -> object:
        # EMPTY and XlError are str subclasses, so test them before str.
        if v is sh.EMPTY:
            return None
        if isinstance(v, XlError):
            return str(v)
        if isinstance(v, str):
            return str(v)
        if hasattr(v, "item"):  # numpy scalar
            v = v.item()
        if isinstance(v, bool):
            return v
        if isinstance(v, (int, float)):
            return float(v)
        return v

    model = formulas.ExcelModel().loads(str(src)).finish()
    sol = model.calculate()
    single: dict[tuple[str, str], object] = {}
    ranged: dict[tuple[str, str], object] = {}
    for key, rng in sol.items():
        m = _KEY.match(key) if isinstance(key, str) else None
        if m is None or not m["sheet"] or not hasattr(rng, "value"):
            continue
        up = m["sheet"]
        sheet = real.get(up) or real.get(up.replace("''", "'"), up)
        ref = m["ref"]
        values = rng.value
        if ":" not in ref:
            single[(sheet, ref)] = scalar(values[0][0])
            continue
        c1, r1, c2, r2 = range_boundaries(ref)
        rows = min(r2 - r1 + 1, len(values))
        for i in range(rows):
            row = values[i]
            for j in range(min(c2 - c1 + 1, len(row))):
                ranged[(sheet, f"{get_column_letter(c1 + j)}{r1 + i}")] = scalar(row[j])
    ranged.update(single)  # a cell's own node wins over its copy inside a range
    return ranged


def read_values(path: Path, sheet: str) -> list[list[object]]:
    """Cached values of ``sheet`` as rows; ``[r-1][c-1]`` is cell (r, c).

    Uses calamine (Rust) because openpyxl is far slower on large sheets.
    Empty cells read as "" (calamine's convention).  calamine also reads error
    cells as "", which would hide "#DIV/0!" etc., so those are patched back in
    from the sheet XML.
    """
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    try:
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    finally:
        wb.close()
    for (r, c), err in _error_cells(Path(path), sheet).items():
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        row.extend([""] * (c + 1 - len(row)))
        row[c] = err
    return rows


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ERR_CELL = re.compile(rb'<c\b([^>/]*\bt="e"[^>/]*)>(.*?)</c>', re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]+)(\d+)"')
_V = re.compile(rb"<v>([^<]*)</v>")


def _error_cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """{(row0, col0): "#DIV/0!"} for error-typed cells of ``sheet`` in an .xlsx."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree as ET

    from openpyxl.utils import column_index_from_string

    if not zipfile.is_zipfile(path):
        return {}
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rid = next(
            (s.get(_NS_REL + "id") for s in book.iter(_NS_MAIN + "sheet")
             if s.get("name") == sheet),
            None,
        )
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = next(
            (r.get("Target") for r in rels.iter(_NS_PKG + "Relationship")
             if r.get("Id") == rid),
            None,
        )
        if target is None:
            return {}
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target)
        )
        data = z.read(name)
    if b't="e"' not in data:  # the common case: skip the scan
        return {}
    out: dict[tuple[int, int], str] = {}
    for m in _ERR_CELL.finditer(data):
        ref, v = _ATTR_R.search(m[1]), _V.search(m[2])
        if ref and v:
            col = column_index_from_string(ref[1].decode()) - 1
            out[(int(ref[2]) - 1, col)] = v[1].decode()
    return out
