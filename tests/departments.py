"""Random departments for the cross-engine tests, with the cases that break naive formulas.

Each department mixes numbers and level labels, blank rows between employees, incomplete rows
(no supervisor), missing peer or customer scores, half-cent rounding ties (66.625 must round to
66.63, as Excel does), twins with equal points and so equal remainders, part-year
months, and tenure exactly on the band limits.
"""
from __future__ import annotations

import numpy as np

from xlperf.layout import IDENTITY, rating_key
from xlperf.scheme import Scheme
from xlperf.model import Appraisal, Computed


def random_records(scheme: Scheme, seed: int, size: int, tie: bool = True,
                   wildcards: bool = False) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    labels = [lv.label for lv in scheme.levels]
    cols = [rating_key(r, f) for r, f in scheme.rating_columns()]
    records: list[dict[str, object]] = []
    for i in range(size):
        rec: dict[str, object] = dict.fromkeys([*IDENTITY, *cols])
        rec.update(employee_id=f"S{seed}-{i}", name=f"N{i}", department=f"D{i % 3}",
                   tenure_years=float(rng.choice([0, 0.5, 1, 2.9, 3, 5, 9.99, 10, 25])),
                   months_worked=None if rng.random() < 0.7 else float(rng.integers(0, 13)))
        for key in cols:
            roll = rng.random()
            if roll < 0.12:
                rec[key] = labels[int(rng.integers(len(labels)))]
            elif roll < 0.2:
                rec[key] = None
            else:
                rec[key] = float(rng.integers(40, 101)) if rng.random() < 0.6 \
                    else float(np.round(rng.uniform(40, 100), 1))
        records.append(rec)
    # planted cases, in rows every department has
    if tie:
        records[1].update({k: 85.5 for k in cols if k.startswith("supervisor.")},
                          customer=None, **{"peer.interpersonal": 10.0})  # 66.625 -> 66.63
    twin = dict(records[2])
    twin.update(employee_id=records[3]["employee_id"], name="twin")
    records[3] = twin  # equal points, equal remainders: the earlier row wins the cent
    for k in cols:
        if k.startswith("supervisor."):
            records[4][k] = None  # incomplete
    records[5]["peer.interpersonal"] = None
    records[6]["customer"] = None
    records[7] = dict.fromkeys(records[7])  # a blank row between employees
    records[8]["supervisor.knowledge"] = labels[0].lower()  # COUNTIF/SUMIF ignore case
    records[8]["self.learning"] = labels[1].upper()
    if wildcards:  # entries Python refuses; the workbook flags them in its check column
        records[9]["employee_id"] = f"S{seed}-?"  # never matched loosely as an ID
        records[10]["customer"] = "*"  # COUNTIF matches every label: an invalid rating
        records[11]["supervisor.learning"] = labels[0][:-1] + "?"  # matches one label: invalid
    return records


def department(scheme: Scheme, seed: int, size: int = 30, capacity: int = 45,
               tie: bool = True, wildcards: bool = False) -> Appraisal:
    return Appraisal.from_records(scheme, random_records(scheme, seed, size, tie, wildcards),
                                  capacity)


def expected_values(app: Appraisal, comp: Computed) -> dict[str, dict[str, object]]:
    """Sheet key -> cell -> reference value of every formula cell ('' for blank)."""
    out = {sheet: {ref: ("" if v is None else v) for ref, (_f, v) in cells.items()}
           for sheet, cells in comp.cells.items()}
    for key in comp.templates:
        letter = app.layout.col(key)
        for row, value in zip(app.layout.rows, comp.columns[key].tolist()):
            out["appraisal"][f"{letter}{row}"] = "" if value != value else value
    return out


def same(expected: object, found: object) -> bool:
    """Equal as a spreadsheet shows it: text exactly, numbers to 1e-9 relative."""
    if isinstance(expected, bool) or isinstance(found, bool):
        return expected == found
    if isinstance(expected, (int, float)) and isinstance(found, (int, float)):
        return abs(expected - found) <= 1e-9 * max(1.0, abs(expected))
    return expected == found
