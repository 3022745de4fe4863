"""``xlperf liven --dry-run``: what a hand-made workbook holds, as liven reads it — each table's
range and kind, the role of every column, the raters and factors it rates, the columns it could not
place, and the hand-typed results that differ from what the formulas will compute.

Ambiguity is never guessed silently: a header the vocabulary does not know stays unplaced, and the
user settles it with ``--map "列名=role"`` (or ``--map @FILE`` with one such line per header).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .crosscheck import Difference, differences
from .errors import InputError
from .recognize import Found, find_tables, read_sheets
from .register import Record, gather
from .vocabulary import FACTORS, IDENTITY, KPI, LEVELS, RATERS, RESULTS

#: Every role a column can be given with --map.
ROLES = sorted({*IDENTITY, *RESULTS, *KPI, "factor", "standard",
                *(f"standard:{lv}" for lv in LEVELS),
                *(f"rating:{r}:{f}" for r in RATERS for f in (*FACTORS, "overall", "row"))})


@dataclass
class Report:
    """What a dry run found in one workbook."""

    path: Path
    tables: list[Found] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    register: list[Record] = field(default_factory=list)  # personal sheets, one per person


def parse_mapping(items: list[str]) -> dict[str, str]:
    """``列名=role`` pairs (``@FILE``: one pair per line); InputError on an unknown role."""
    pairs: list[tuple[str, str]] = []
    for item in items:
        lines = (Path(item[1:]).read_text(encoding="utf-8-sig").splitlines()
                 if item.startswith("@") else [item])
        for line in lines:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            header, sep, role = line.rpartition("=")
            if not sep or not header.strip():
                raise InputError("映射须写成 列名=角色", "a mapping is written header=role",
                                 item if item.startswith("@") else None, "--map", line,
                                 "如 考核分=total", "e.g. Score=total")
            pairs.append((header.strip(), role.strip()))
    unknown = [role for _h, role in pairs if role not in ROLES]
    if unknown:
        plain = ", ".join(r for r in ROLES if not r.startswith(("rating:", "standard:")))
        roles = (f"{plain}, rating:<{'|'.join(RATERS)}>:<{'|'.join(FACTORS)}|overall|row>, "
                 f"standard:<{'|'.join(LEVELS)}>")
        raise InputError("未知的角色", "unknown role", None, "--map", unknown, roles, roles)
    return dict(pairs)


def dry_run(path: Path, mapping: dict[str, str] | None = None, lang: str = "zh") -> Report:
    report = Report(Path(path))
    personal = []
    for sheet in read_sheets(path):
        for found in find_tables(sheet, mapping):
            report.tables.append(found)
            report.differences += differences(sheet, found, lang)
            personal.append((sheet, found))
    report.register = gather(personal)
    return report


def raters_of(found: Found) -> dict[str, list[str]]:
    """Rater -> the factors it rates in this table ("overall" for one score)."""
    out: dict[str, list[str]] = {}
    for role in found.roles.values():
        if role.startswith("rating:"):
            _, rater, factor = role.split(":")
            out.setdefault(rater, []).append(factor)
    return out
