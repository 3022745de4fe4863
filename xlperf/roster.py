"""Roster CSV: the employees and their ratings, with English keys or the form's Chinese headers.

Columns: employee_id, name, department, tenure_years, optional months_worked, then one column per
rating (``self.knowledge`` … ``supervisor.learning``, ``peer.interpersonal``, ``customer``), or the
same in Chinese (工号, 姓名, 部门, 工龄, 出勤月数, 自评-业务知识能力, …, 同事评-人际关系协调, 客户评).
A blank cell is "not rated". UTF-8, with or without BOM.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np

from .appraisal import present_rows
from .errors import InputError
from typing import TYPE_CHECKING

from .layout import IDENTITY, MAX_CAPACITY, Layout, rating_key
from .scheme import Scheme, default_scheme
from .validate import check_inputs

if TYPE_CHECKING:
    from .model import Appraisal

MAX_BYTES = 200 << 20
#: Control characters no XML cell can hold (the ones openpyxl refuses).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
MAX_CELL_CHARS = 32_767  # Excel's limit for the text of one cell
OPTIONAL = {"months_worked"}
_IDENTITY_ALIASES = {
    "employee_id": ("工号", "员工编号", "id", "employee id"),
    "name": ("姓名", "员工姓名"),
    "department": ("部门",),
    "tenure_years": ("工龄", "工龄(年)", "工龄(年)", "tenure"),
    "months_worked": ("出勤月数", "months"),
}


def header_aliases(scheme: Scheme) -> dict[str, str]:
    """Every accepted header (lower case) -> column key, in both languages."""
    out: dict[str, str] = {}
    for key in IDENTITY:
        for alias in (key, *_IDENTITY_ALIASES[key]):
            out[alias.lower()] = key
    for lang in ("zh", "en"):
        named = default_scheme(lang)
        factor_names = {f.key: f.name for f in named.factors}
        rater_names = {r.key: r.name for r in named.raters}
        for rater, factor in scheme.rating_columns():
            key = rating_key(rater, factor)
            out[key.lower()] = key
            rname = rater_names.get(rater, rater)
            if factor:
                out[f"{rname}-{factor_names.get(factor, factor)}".lower()] = key
            else:
                out[rname.lower()] = key
    return out


def _cell(text: str) -> object:
    """A CSV field as the workbook will hold it: blank -> None, a number -> float, else text."""
    text = text.strip()
    if text == "":
        return None
    try:
        value = float(text)  # "8,5" is not 85: a rating or tenure has no thousands
    except ValueError:
        return text
    return value if np.isfinite(value) else text


def read_roster(path: Path, scheme: Scheme) -> list[dict[str, object]]:
    """The roster's employees as records keyed like the layout; InputError on anything wrong."""
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise InputError("文件不存在", "file not found", file)
    if path.stat().st_size > MAX_BYTES:
        raise InputError("CSV 文件过大", "CSV file too large", file, None, path.stat().st_size,
                         f"≤ {MAX_BYTES >> 20} MB", f"≤ {MAX_BYTES >> 20} MB")
    raw = path.read_bytes()
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
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError("CSV 格式错误", "malformed CSV", file, f"行/row {reader.line_num}",
                         str(exc), "标准 CSV(RFC 4180)", "standard CSV (RFC 4180)") from exc
    if not rows:
        raise InputError("CSV 为空", "the CSV is empty", file)
    aliases = header_aliases(scheme)
    keys = []
    for col, head in enumerate(rows[0], 1):
        key = aliases.get(head.strip().lower())
        if key is None:
            raise InputError("未知的列", "unknown column", file, f"列/column {col}", head,
                             "employee_id, name, department, tenure_years, months_worked 或评分列",
                             "employee_id, name, department, tenure_years, months_worked or a "
                             "rating column such as supervisor.knowledge")
        if key in keys:
            raise InputError("列重复", "duplicate column", file, f"列/column {col}", head)
        keys.append(key)
    layout = Layout(scheme, 1)
    missing = [k for k in (*IDENTITY, *layout.rating_keys) if k not in keys and k not in OPTIONAL]
    if missing:
        raise InputError("缺少必需的列", "missing required columns", file, "header", missing)
    body = [r for r in rows[1:] if any(f.strip() for f in r)]
    lines = [i + 2 for i, r in enumerate(rows[1:]) if any(f.strip() for f in r)]
    if len(body) > MAX_CAPACITY:
        raise InputError("员工人数过多", "too many employees", file, None, len(body),
                         f"≤ {MAX_CAPACITY}", f"≤ {MAX_CAPACITY}")
    records = []
    for line, row in zip(lines, body):
        if len(row) > len(keys):
            raise InputError("字段多于表头", "more fields than headers", file,
                             f"行/row {line}", row[len(keys):], len(keys), len(keys))
        rec: dict[str, object] = {k: None for k in (*IDENTITY, *layout.rating_keys)}
        for key, head, field in zip(keys, rows[0], row):
            if len(field) > MAX_CELL_CHARS:
                raise InputError("文本过长", "text too long", file,
                                 f"行/row {line}, 列/column {head}", f"{len(field)} 字符/characters",
                                 f"≤ {MAX_CELL_CHARS} 个字符", f"≤ {MAX_CELL_CHARS} characters")
            rec[key] = field.strip() or None if key in ("employee_id", "name", "department") \
                else _cell(field)
        records.append(rec)
    _check(scheme, records, keys, lines, file, rows[0])
    return records


def _check(scheme: Scheme, records: list[dict[str, object]], keys: list[str], lines: list[int],
           file: str, header: list[str]) -> None:
    layout = Layout(scheme, max(len(records), 1))
    inputs = {k: np.array([r[k] for r in records] or [None], dtype=object)
              for k in (*IDENTITY, *layout.rating_keys)}
    heads = dict(zip(keys, header))

    def locate(key: str, i: int) -> str:
        return f"行/row {lines[i]}, 列/column {heads.get(key, key)}"

    check_inputs(layout, inputs, file, locate)


def write_roster(path: Path, app: "Appraisal") -> None:
    """The employees of ``app`` as a roster CSV with English keys (the documented format)."""
    from .export import csv_safe
    from .package import atomic_path
    keys = [*IDENTITY, *app.layout.rating_keys]
    present = present_rows(app.layout, app.inputs)
    with atomic_path(Path(path)) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(keys)
        for i in np.flatnonzero(present):
            writer.writerow([csv_safe(app.inputs[k][i]) for k in keys])
