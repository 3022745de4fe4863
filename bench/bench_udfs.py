"""Benchmark: xlperf's Excel functions on 10,000 rows — one array call per column against the same
work done one cell per call (what a UDF written per cell costs), and the time ``xlperf serve``
takes to answer one 10,000-row custom-function call over loopback (target: under 100 ms).

Python side, in this process (best of 5 for array calls, one pass for the per-cell loops); the
server runs as a child process, timed from the client (median and best of 20 calls).

    XLWINGS_LICENSE_KEY=noncommercial python bench/bench_udfs.py [--rows 10000]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import urllib.request
from pathlib import Path

from bench_appraisal import machine

from xlperf.serve import running

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "udfs"))
import xlperf_udfs as udf  # noqa: E402

WEIGHTS = [[0.25, 0.2, 0.25, 0.15, 0.15]]


def data(rows: int) -> dict[str, list[list[object]]]:
    rng = random.Random(rows)
    return {"ratings": [[rng.choice([rng.randint(50, 100), "优秀", "良好", None])
                         for _ in range(5)] for _ in range(rows)],
            "scores": [[round(rng.uniform(40, 100), 2)] for _ in range(rows)],
            "points": [[round(rng.uniform(0.5, 2.1), 4)] for _ in range(rows)]}


def best(f, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def python_side(d: dict[str, list[list[object]]]) -> list[tuple[str, float, float]]:
    """(function, array call s, per-cell calls s) for score, grade and split."""
    out = []
    array = best(lambda: udf.XLPERF_SCORE(d["ratings"], WEIGHTS))
    cells = best(lambda: [udf.XLPERF_SCORE([row], WEIGHTS) for row in d["ratings"]], 1)
    out.append(("SCORE", array, cells))
    array = best(lambda: udf.XLPERF_GRADE(d["scores"]))
    cells = best(lambda: [udf.XLPERF_GRADE(s[0]) for s in d["scores"]], 1)
    out.append(("GRADE", array, cells))
    budget = 1_000_000.0
    array = best(lambda: udf.XLPERF_SPLIT(budget, d["points"]))
    # a per-cell split has to see every row's points to give its own: n calls of n rows
    sample = 200
    start = time.perf_counter()
    for i in range(sample):
        udf.XLPERF_SPLIT(budget, d["points"])[i]
    cells = (time.perf_counter() - start) / sample * len(d["points"])
    out.append(("SPLIT", array, cells))
    return out


def server_side(d: dict[str, list[list[object]]], calls: int = 20) -> list[float]:
    """Seconds per 10,000-row XLPERF.SCORE call answered by xlperf serve, seen by the client."""
    env = {**os.environ, "XLWINGS_LICENSE_KEY": os.environ.get("XLWINGS_LICENSE_KEY",
                                                               "noncommercial")}
    with running(env) as base:
        body = json.dumps({"client": "Office.js", "func_name": "XLPERF_SCORE",
                           "args": [[["" if v is None else v for v in r] for r in d["ratings"]],
                                    WEIGHTS, None, None],
                           "version": "0.37.8", "runtime": "1.4", "caller_address": None,
                           "culture_info_name": "zh-CN", "date_format": None},
                          ensure_ascii=False).encode()
        times = []
        for _ in range(calls + 2):
            req = urllib.request.Request(base + "/xlwings/custom-functions-call", body,
                                         {"Content-Type": "application/json"})
            start = time.perf_counter()
            with urllib.request.urlopen(req, timeout=60) as r:
                answer = json.loads(r.read())
            times.append(time.perf_counter() - start)
            assert len(answer["result"]) == len(d["ratings"])
        return times[2:]  # the first calls warm the server up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    info = machine()
    d = data(args.rows)
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['ram']}, Python "
          f"{info['python']}\n")
    print(f"| function ({args.rows:,} rows) | one array call | one call per cell | "
          "per cell ÷ array |\n|---|---:|---:|---:|")
    for name, array, cells in python_side(d):
        print(f"| XLPERF.{name} | {array * 1000:.1f} ms | {cells:.2f} s | {cells / array:,.0f}× |")
    times = server_side(d)
    median = statistics.median(times)
    print(f"\nxlperf serve, one {args.rows:,}-row XLPERF.SCORE call over loopback: median "
          f"{median * 1000:.0f} ms, best {min(times) * 1000:.0f} ms ({len(times)} calls)")
    print(f"{'PASS' if median < 0.1 else 'MISS'}  under 100 ms")


if __name__ == "__main__":
    main()
