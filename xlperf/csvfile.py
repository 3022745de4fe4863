"""CSV input for every kind: UTF-8 (with or without BOM), headers in English keys or the sheet's
Chinese or English labels, refused with the line and column when anything is wrong.

Fields become what a typed cell would hold: blank -> None, a number -> float, else text. Control
characters no cell can hold, oversized files, fields or row counts are refused.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np

from .errors import InputError

MAX_BYTES = 200 << 20
#: Control characters no XML cell can hold (the ones openpyxl refuses).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
MAX_CELL_CHARS = 32_767  # Excel's limit for the text of one cell

Record = dict[str, object]


def cell_value(text: str) -> object:
    """A CSV field as the workbook will hold it: blank -> None, a number -> float, else text."""
    text = text.strip()
    if text == "":
        return None
    try:
        value = float(text)  # "8,5" is not 85: a rating or tenure has no thousands
    except ValueError:
        return text
    return value if np.isfinite(value) else text


def _decode(path: Path) -> str:
    file = str(path)
    if not path.is_file():
        raise InputError("文件不存在", "file not found", file)
    if path.stat().st_size > MAX_BYTES:
        raise InputError("CSV 文件过大", "CSV file too large", file, None, path.stat().st_size,
                         f"≤ {MAX_BYTES >> 20} MB", f"≤ {MAX_BYTES >> 20} MB")
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError("这是工作簿,不是 CSV", "this is a workbook, not a CSV", file, None,
                         path.suffix, "在 Excel/WPS 中“另存为 CSV UTF-8”",
                         "in Excel or WPS, 'Save As' CSV UTF-8")
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        data, at = exc.object, exc.start  # counted after the BOM, which the codec drops
        line = data.count(b"\n", 0, at) + 1
        raise InputError("CSV 不是 UTF-8 编码", "the CSV is not UTF-8", file,
                         f"行/row {line}", data[at:at + 4],
                         "另存为“CSV UTF-8”", "save as 'CSV UTF-8'") from exc
    bad = ILLEGAL_CHARACTERS_RE.search(content)  # no cell can hold them (XML forbids them)
    if bad:
        line = content.count("\n", 0, bad.start()) + 1
        raise InputError("含有控制字符", "contains a control character", file, f"行/row {line}",
                         bad.group(), "可打印的文本", "printable text")
    return content


def read_records(path: Path, aliases: dict[str, str], required: list[str], text_keys: set[str],
                 max_rows: int, columns_help: tuple[str, str]
                 ) -> tuple[list[Record], list[int], list[str]]:
    """(records keyed by column key, their CSV line numbers, the header as found).

    ``aliases``: accepted header (lower case) -> key; ``text_keys`` stay text even when they look
    like numbers (IDs, names); ``columns_help``: the accepted columns, zh and en, for the message.
    """
    path = Path(path)
    file = str(path)
    reader = csv.reader(io.StringIO(_decode(path), newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError("CSV 格式错误", "malformed CSV", file, f"行/row {reader.line_num}",
                         str(exc), "标准 CSV(RFC 4180)", "standard CSV (RFC 4180)") from exc
    if not rows:
        raise InputError("CSV 为空", "the CSV is empty", file)
    keys: list[str] = []
    for col, head in enumerate(rows[0], 1):
        key = aliases.get(head.strip().lower())
        if key is None:
            raise InputError("未知的列", "unknown column", file, f"列/column {col}", head,
                             *columns_help)
        if key in keys:
            raise InputError("列重复", "duplicate column", file, f"列/column {col}", head,
                             "每列只出现一次", "each column once")
        keys.append(key)
    missing = [k for k in required if k not in keys]
    if missing:
        raise InputError("缺少必需的列", "missing required columns", file, "header", missing,
                         *columns_help)
    body = [r for r in rows[1:] if any(f.strip() for f in r)]
    lines = [i + 2 for i, r in enumerate(rows[1:]) if any(f.strip() for f in r)]
    if len(body) > max_rows:
        raise InputError("行数过多", "too many rows", file, None, len(body),
                         f"≤ {max_rows}", f"≤ {max_rows}")
    records = []
    for line, row in zip(lines, body):
        if len(row) > len(keys):
            raise InputError("字段多于表头", "more fields than headers", file,
                             f"行/row {line}", row[len(keys):], len(keys), len(keys))
        rec: Record = {}
        for key, head, field in zip(keys, rows[0], row):
            if len(field) > MAX_CELL_CHARS:
                raise InputError("文本过长", "text too long", file,
                                 f"行/row {line}, 列/column {head}", f"{len(field)} 字符/characters",
                                 f"≤ {MAX_CELL_CHARS} 个字符", f"≤ {MAX_CELL_CHARS} characters")
            rec[key] = (field.strip() or None) if key in text_keys else cell_value(field)
        records.append(rec)
    return records, lines, rows[0]
