"""The .xlsx package: opened safely, read without a full load, patched part by part, written atomically.

openpyxl never writes cached values and a load-and-save of a workbook Excel wrote can lose parts, so
xlperf writes cached values by patching the sheet XML of the formula cells it owns and copies every
other part of the package byte for byte.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from .errors import InputError

MAX_UNCOMPRESSED = 1 << 30  # 1 GiB: far above a 100,000-row appraisal, far below a zip bomb
MAX_RATIO = 1000  # deflate tops out near 1000:1; more means a bomb
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PROLOG_BYTES = 4096  # a DOCTYPE can only come before the root element, near the start of a part
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pr": "http://schemas.openxmlformats.org/package/2006/relationships"}
_UNESCAPE = re.compile(r"&(lt|gt|amp|quot|apos|#x?[0-9A-Fa-f]+);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def xml_escape(text: str) -> str:
    """Text for an XML element (what openpyxl and Excel escape in a formula)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        e = m.group(1)
        if e[0] != "#":
            return _ENTITIES[e]
        return chr(int(e[2:], 16) if e[1] in "xX" else int(e[1:]))
    return _UNESCAPE.sub(one, text) if "&" in text else text


def _refuse(path: Path, zh: str, en: str, found: object = None) -> InputError:
    return InputError(zh, en, str(path), None, found, "未加密的 .xlsx 或 .xlsm 工作簿",
                      "an unencrypted .xlsx or .xlsm workbook")


def open_package(path: Path) -> zipfile.ZipFile:
    """Open a workbook package, refusing what is not one, encrypted, legacy or a zip bomb."""
    path = Path(path)
    if not path.is_file():
        raise InputError("文件不存在", "file not found", str(path))
    suffix = path.suffix.lower()
    if suffix in (".xls", ".xlsb"):
        raise _refuse(path, f"不支持 {suffix} 格式,请另存为 .xlsx", f"{suffix} is not supported; "
                      "save it as .xlsx", suffix)
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise _refuse(path, "工作簿已加密(设有打开密码)或为旧版 .xls 格式",
                      "the workbook is password-protected (encrypted) or a legacy .xls file", head)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, "不是有效的工作簿文件", "not a workbook file", head) from exc
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (info.file_size > 1 << 20 and ratio > MAX_RATIO):
            zf.close()
            raise _refuse(path, "压缩包解压后过大(疑似 zip 炸弹)", "uncompressed size too large "
                          "(a zip bomb?)", f"{info.filename}: {info.file_size} bytes")
    if "xl/workbook.xml" not in zf.namelist():
        zf.close()
        raise _refuse(path, "不是有效的工作簿文件(缺少 xl/workbook.xml)",
                      "not a workbook (no xl/workbook.xml)")
    try:
        for info in zf.infolist():
            if info.filename.endswith((".xml", ".rels")):
                _check_prolog(zf, info, path)
    except InputError:
        zf.close()
        raise
    return zf


def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    """Refuse a part that cannot be inflated or declares a DOCTYPE: Office never writes a DTD
    (OPC forbids them) and calamine reads sheets without defusedxml, so no reader may see one."""
    try:
        with zf.open(info) as fh:
            head = fh.read(PROLOG_BYTES)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as exc:
        raise _refuse(path, "工作簿部件损坏", "a workbook part is damaged",
                      f"{info.filename}: {exc}") from exc
    if b"<!DOCTYPE" in head:
        raise _refuse(path, "工作簿部件含 DOCTYPE 声明(疑似 XML 炸弹)",
                      "a part declares a DOCTYPE (an XML bomb?)", info.filename)


def read_xml(zf: zipfile.ZipFile, part: str):
    """Parse a small XML part with defusedxml (no entity expansion, no external entities)."""
    try:
        return SafeET.fromstring(zf.read(part))
    except (KeyError, zipfile.BadZipFile, zlib.error, SafeET.ParseError,
            DefusedXmlException) as exc:
        raise _refuse(Path(zf.filename or ""), "工作簿部件缺失或损坏", "a workbook part is missing "
                      "or damaged", f"{part}: {type(exc).__name__}") from exc


@dataclass(frozen=True)
class Book:
    """What a workbook's directory says: sheet name -> part, defined name -> (sheet, range)."""

    sheets: dict[str, str]
    names: dict[str, tuple[str | None, str]]

    def sheet_of(self, name: str) -> str:
        return self.names[name][0] or ""


def read_book(zf: zipfile.ZipFile) -> Book:
    wb = read_xml(zf, "xl/workbook.xml")
    rels = read_xml(zf, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("pr:Relationship", NS)}
    sheets = {}
    for s in wb.findall("m:sheets/m:sheet", NS):
        target = targets.get(s.get(f"{{{NS['r']}}}id"))
        if not target:
            raise _refuse(Path(zf.filename or ""), "工作表在工作簿关系中没有对应部件",
                          "a sheet has no part in the workbook's relationships",
                          f"xl/workbook.xml: {s.get('name')}")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        sheets[s.get("name")] = part
    names: dict[str, tuple[str | None, str]] = {}
    for d in wb.findall("m:definedNames/m:definedName", NS):
        if d.get("localSheetId") is None:
            names[d.get("name")] = split_ref(d.text or "")
    return Book(sheets, names)


def split_ref(ref: str) -> tuple[str | None, str]:
    """"'方案'!$C$5:$C$9" -> ('方案', 'C5:C9'); a constant keeps its text and no sheet."""
    if "!" not in ref:
        return None, ref
    sheet, _, cells = ref.rpartition("!")
    return sheet.strip("'").replace("''", "'"), cells.replace("$", "")


# --- formula cells in sheet XML ------------------------------------------------------------------

#: A formula cell: reference, other attributes, the <f> element, an optional cached value.
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]+)"([^>]*)>(<f(?:\s[^>]*)?/>|<f(?:\s[^>]*)?>[^<]*</f>)'
    rb"(?:<v>[^<]*</v>|<v\s*/>)?</c>")
#: Any cell, for restoring formulas over typed values.
_ANY_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_SHARED = re.compile(rb'<f\s[^>]*t="shared"[^>]*>')
_SI = re.compile(rb'si="(\d+)"')


def xml_value(value: object) -> tuple[bytes, bytes]:
    """(t attribute, <v> element) of a cached value."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return b' t="b"', b"<v>1</v>" if value else b"<v>0</v>"
    if isinstance(value, str):
        return b' t="str"', b"<v>" + xml_escape(value).encode() + b"</v>"
    return b"", b"<v>" + repr(float(value)).encode() + b"</v>"


def formula_xml(formula: str) -> bytes:
    return b"<f>" + xml_escape(formula).encode() + b"</f>"


def formula_text(f_element: bytes) -> str | None:
    """The formula of an <f> element; None for a shared-formula follower (no own text)."""
    if f_element.endswith(b"/>"):
        return None
    inner = f_element[f_element.index(b">") + 1:f_element.rindex(b"</f>")]
    return xml_unescape(inner.decode())


def scan_formulas(xml: bytes, only: set[str] | None = None) -> dict[str, str]:
    """Cell -> formula text of every formula cell (or of the cells in ``only``); shared formulas
    (as Excel writes a filled-down column) are expanded to each cell's own formula."""
    out: dict[str, str] = {}
    masters: dict[bytes, tuple[str, str]] = {}
    for m in _FORMULA_CELL.finditer(xml):
        ref, f = m.group(1).decode(), m.group(3)
        if only is not None and ref not in only and b'ref="' not in f:
            continue  # a master must be seen even when not asked for: followers need it
        formula = formula_text(f)
        if _SHARED.match(f):
            si = _SI.search(f).group(1)  # type: ignore[union-attr]
            if formula is not None:
                masters[si] = (ref, formula)
            elif si in masters:
                origin, text = masters[si]
                from openpyxl.formula.translate import Translator  # rare: keep startup light
                formula = Translator("=" + text, origin=origin).translate_formula(ref)[1:]
        if formula is not None:
            out[ref] = formula
    return out


#: What to write into one formula cell: the <f> element expected there, the t attribute, the <v>.
Planned = tuple[bytes, bytes, bytes]


def plan_cell(formula: str, value: object) -> Planned:
    t, v = xml_value(value)
    return formula_xml(formula), t, v


def patch_values(xml: bytes, plan: Mapping[bytes, Planned], write_formulas: bool = False
                 ) -> tuple[bytes, set[bytes], list[bytes]]:
    """Write the planned cached values into their formula cells, in one pass over the sheet.

    Returns the XML, the cells done, and the cells whose <f> element is not byte-for-byte the
    planned one (to be compared as text by the caller: another writer may spell it differently).
    Every byte outside the planned cells' values stays as it was, unless ``write_formulas`` also
    puts the planned <f> elements in (the build turns columns into shared formulas that way).
    """
    done: set[bytes] = set()
    differ: list[bytes] = []

    get, add, join = plan.get, done.add, b"".join

    def sub(m: re.Match[bytes]) -> bytes:  # runs once per formula cell: kept lean
        ref, attrs, f = m.groups()
        planned = get(ref)
        if planned is None:
            return m.group(0)
        add(ref)
        f_expected, t, v = planned
        if write_formulas:
            f = f_expected
        elif f != f_expected:
            differ.append(ref)
        return join((b'<c r="', ref, b'"', _without_t(attrs), t, b">", f, v, b"</c>"))

    return _FORMULA_CELL.sub(sub, xml), done, differ


def _without_t(attrs: bytes) -> bytes:
    """The cell's attributes less its type (t="..."), which the new value decides."""
    i = attrs.find(b' t="')
    return attrs if i < 0 else attrs[:i] + attrs[attrs.index(b'"', i + 4) + 1:]


def restore_formulas(xml: bytes, plan: Mapping[bytes, Planned]) -> tuple[bytes, set[bytes]]:
    """Put planned formulas and values back into cells someone typed over, keeping each style."""
    done: set[bytes] = set()

    def sub(m: re.Match[bytes]) -> bytes:
        ref = m.group(1)
        if ref not in plan:
            return m.group(0)
        done.add(ref)
        f, t, v = plan[ref]
        return b"".join((b'<c r="', ref, b'"', _without_t(m.group(2)), t, b">", f, v, b"</c>"))

    return _ANY_CELL.sub(sub, xml), done


# --- writing ------------------------------------------------------------------------------------

@contextlib.contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """A temporary path beside ``dest`` that replaces it only when the block succeeds."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.stem}.", suffix=dest.suffix, dir=dest.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # an ordinary file's mode, not mkstemp's private 0600
    try:
        yield Path(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def keep_backup(path: Path) -> Path | None:
    """Copy an existing file to ``<name>.bak<suffix>`` before it is replaced; None if absent."""
    path = Path(path)
    if not path.exists():
        return None
    backup = path.with_name(path.stem + ".bak" + path.suffix)
    shutil.copy2(path, backup)
    return backup


def rewrite(zf: zipfile.ZipFile, dest: Path, parts: Mapping[str, bytes],
            date_time: tuple[int, int, int, int, int, int] | None = None) -> None:
    """Write ``zf`` to ``dest`` atomically with ``parts`` replaced or added; every other part is
    copied (dated ``date_time`` when given, else as it was)."""
    with atomic_path(dest) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED,
                                                   compresslevel=1) as out:
        for info in zf.infolist():
            data = parts[info.filename] if info.filename in parts else zf.read(info)
            new = zipfile.ZipInfo(info.filename, date_time or info.date_time)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = info.external_attr
            out.writestr(new, data, compresslevel=1 if len(data) > 1 << 20 else 6)
        for name in sorted(set(parts) - set(zf.namelist())):  # parts added, after the others
            new = zipfile.ZipInfo(name, date_time or zf.infolist()[0].date_time)
            new.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(new, parts[name], compresslevel=6)
