"""Files that are not safe or not a workbook are refused before anything reads them.

``xlperf recalc`` and ``xlperf export`` refuse a text file named .xlsx, a password-protected
workbook, a .xls file, a zip bomb, an XML bomb and a damaged package with exit status 2 and a
message in Chinese and English; the output folder stays empty. No LibreOffice: these tests are fast.
"""
from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from click.testing import Result

from xlperf import package

from .test_bad_input import book, out_dir, refused, run_on  # noqa: F401 (fixtures)

Run = Callable[[Path], Result]
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
NOT_A_WORKBOOK = ("应为 未加密的 .xlsx 或 .xlsm 工作簿", "expected an unencrypted .xlsx or .xlsm workbook")
BOMB_DTD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n')


def repack(src: Path, dest: Path, parts: Mapping[str, bytes | None]) -> Path:
    """A copy of the package ``src`` with ``parts`` replaced (None: left out)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = parts.get(name, zin.read(name))
            if data is not None:
                zout.writestr(name, data)
    return dest


def part(src: Path, name: str) -> bytes:
    with zipfile.ZipFile(src) as zf:
        return zf.read(name)


def test_text_file_named_xlsx(tmp_path: Path, out_dir: Path, run_on: Run) -> None:
    bad = tmp_path / "notes.xlsx"
    bad.write_text("hello, this is not a workbook\n")
    refused(run_on(bad), out_dir, ["不是有效的工作簿文件", NOT_A_WORKBOOK[0]],
            ["not a workbook file", NOT_A_WORKBOOK[1]], [str(bad), "b'hello, t'"])


def test_ole_file_named_xlsx_is_refused_as_encrypted(tmp_path: Path, out_dir: Path,
                                                     run_on: Run) -> None:
    bad = tmp_path / "locked.xlsx"
    bad.write_bytes(OLE_MAGIC + bytes(504))
    refused(run_on(bad), out_dir, ["工作簿已加密(设有打开密码)", NOT_A_WORKBOOK[0]],
            ["password-protected (encrypted)", NOT_A_WORKBOOK[1]], [str(bad), repr(OLE_MAGIC)])


def test_password_protected_workbook(book: Path, tmp_path: Path, out_dir: Path,
                                     run_on: Run) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    bad = tmp_path / "locked.xlsx"
    with open(book, "rb") as src, open(bad, "wb") as dest:
        ooxml.OOXMLFile(src).encrypt("secret", dest)
    refused(run_on(bad), out_dir, ["工作簿已加密"], ["password-protected"], [str(bad)])


def test_xls_file(tmp_path: Path, out_dir: Path, run_on: Run) -> None:
    bad = tmp_path / "old.xls"
    bad.write_bytes(OLE_MAGIC + bytes(504))
    refused(run_on(bad), out_dir, ["不支持 .xls 格式,请另存为 .xlsx", NOT_A_WORKBOOK[0]],
            [".xls is not supported; save it as .xlsx", NOT_A_WORKBOOK[1]], [str(bad), "'.xls'"])


def zeros_member(dest: Path, size: int) -> Path:
    """A zip whose one member is ``size`` zero bytes, streamed (it compresses about 1000:1)."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("xl/workbook.xml", b"<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            chunk = bytes(1 << 20)
            for _ in range(size >> 20):
                fh.write(chunk)
    return dest


def test_zip_bomb_too_large_uncompressed(tmp_path: Path, out_dir: Path, run_on: Run,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "MAX_UNCOMPRESSED", 2 << 20)  # stands in for 1 GiB
    bad = zeros_member(tmp_path / "bomb.xlsx", 3 << 20)
    refused(run_on(bad), out_dir, ["压缩包解压后过大(疑似 zip 炸弹)"],
            ["uncompressed size too large (a zip bomb?)"],
            [str(bad), f"'xl/worksheets/sheet1.xml: {3 << 20} bytes'"])


def test_zip_bomb_compression_ratio(tmp_path: Path, out_dir: Path, run_on: Run,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "MAX_RATIO", 100)  # zeros compress far beyond 100:1
    bad = zeros_member(tmp_path / "bomb.xlsx", 2 << 20)
    refused(run_on(bad), out_dir, ["疑似 zip 炸弹"], ["a zip bomb?"],
            [str(bad), "xl/worksheets/sheet1.xml"])


def test_xml_bomb_in_workbook_xml(book: Path, tmp_path: Path, out_dir: Path,
                                  run_on: Run) -> None:
    xml = part(book, "xl/workbook.xml")
    bad = repack(book, tmp_path / "bomb.xlsx", {"xl/workbook.xml": BOMB_DTD + xml})
    refused(run_on(bad), out_dir, ["含 DOCTYPE 声明(疑似 XML 炸弹)"],
            ["declares a DOCTYPE (an XML bomb?)"], [str(bad), "'xl/workbook.xml'"])


def test_xml_bomb_in_a_sheet_calamine_reads(book: Path, tmp_path: Path, out_dir: Path,
                                            run_on: Run) -> None:
    sheet = "xl/worksheets/sheet1.xml"
    xml = part(book, sheet).replace(b"<sheetData>", b"<sheetData>&lol3;", 1)
    bad = repack(book, tmp_path / "bomb.xlsx", {sheet: BOMB_DTD + xml})
    refused(run_on(bad), out_dir, ["疑似 XML 炸弹"], ["an XML bomb?"], [str(bad), repr(sheet)])


def test_xml_bomb_after_a_long_prolog_is_stopped_by_defusedxml(
        book: Path, tmp_path: Path, out_dir: Path, run_on: Run) -> None:
    padding = b"<!--" + b" " * package.PROLOG_BYTES + b"-->"
    xml = part(book, "xl/workbook.xml")
    bad = repack(book, tmp_path / "bomb.xlsx",
                 {"xl/workbook.xml": padding + BOMB_DTD.split(b"\n", 1)[1] + xml})
    refused(run_on(bad), out_dir, ["工作簿部件缺失或损坏"], ["a workbook part is missing or damaged"],
            [str(bad), "'xl/workbook.xml: EntitiesForbidden'"])


def test_workbook_xml_not_xml(book: Path, tmp_path: Path, out_dir: Path, run_on: Run) -> None:
    bad = repack(book, tmp_path / "bad.xlsx", {"xl/workbook.xml": b"<workbook><sheets>"})
    refused(run_on(bad), out_dir, ["工作簿部件缺失或损坏"], ["a workbook part is missing or damaged"],
            [str(bad), "'xl/workbook.xml: ParseError'"])


def test_workbook_relationships_missing(book: Path, tmp_path: Path, out_dir: Path,
                                        run_on: Run) -> None:
    rels = "xl/_rels/workbook.xml.rels"
    bad = repack(book, tmp_path / "bad.xlsx", {rels: None})
    refused(run_on(bad), out_dir, ["工作簿部件缺失或损坏"], ["a workbook part is missing or damaged"],
            [str(bad), f"'{rels}: KeyError'"])


def test_sheet_without_a_part(book: Path, tmp_path: Path, out_dir: Path, run_on: Run) -> None:
    rels = "xl/_rels/workbook.xml.rels"
    xml = part(book, rels).replace(b'Id="rId1"', b'Id="rId99"', 1)
    bad = repack(book, tmp_path / "bad.xlsx", {rels: xml})
    refused(run_on(bad), out_dir, ["工作表在工作簿关系中没有对应部件"],
            ["a sheet has no part in the workbook's relationships"],
            [str(bad), "'xl/workbook.xml: 考核表'"])


def test_damaged_deflate_stream(book: Path, tmp_path: Path, out_dir: Path, run_on: Run) -> None:
    bad = repack(book, tmp_path / "bad.xlsx", {})
    with zipfile.ZipFile(bad) as zf:
        info = zf.getinfo("xl/workbook.xml")
    data = bytearray(bad.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + 16] = b"\xff" * 16  # an invalid deflate block type
    bad.write_bytes(bytes(data))
    refused(run_on(bad), out_dir, ["工作簿部件损坏"], ["a workbook part is damaged"],
            [str(bad), "xl/workbook.xml"])


def test_missing_file(tmp_path: Path, out_dir: Path, run_on: Run) -> None:
    refused(run_on(tmp_path / "nowhere.xlsx"), out_dir, ["文件不存在"], ["file not found"],
            [str(tmp_path / "nowhere.xlsx")])
