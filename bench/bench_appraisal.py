"""Benchmark: build, xlperf recalc, LibreOffice and formulas on the same appraisal workbooks.

Each step runs as the user would run it (the CLI, soffice) in a child process, timed by wall clock,
with the child's peak memory (max RSS) read from wait4(). Build and recalc run three times (best and
median reported); LibreOffice and formulas once. Prints the ratios and the issue's targets.

    python bench/bench_appraisal.py [--sizes 1000 10000] [--formulas-at 1000] [--out bench/out]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from xlperf import engines
from xlperf.demo import sample_records
from xlperf.export import export
from xlperf.roster import write_roster
from xlperf.scheme import default_scheme
from xlperf.model import Appraisal

XLPERF = [sys.executable, "-m", "xlperf.cli"]
PER_EMPLOYEE_CENTS = 500_00


def run(cmd: list[str], timeout: float = 900) -> tuple[float, float]:
    """(wall seconds, peak MB of the largest process in the child's tree) of one command."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise RuntimeError(f"{cmd} failed after {seconds:.0f} s: "
                               f"{errors.read().decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def formulas_command(src: Path) -> list[str]:
    return [sys.executable, "-c", "import sys; from xlperf.engines import recalc_formulas; "
            "recalc_formulas(sys.argv[1])", str(src)]


def results(path: Path, work: Path) -> list[dict[str, str]]:
    """The per-employee results of a workbook's cached values (``xlperf export``)."""
    csv_path = work / (path.stem + ".csv")
    export(path, csv_path)
    return list(csv.DictReader(csv_path.open(encoding="utf-8-sig")))


def pay_cents(rows: list[dict[str, str]]) -> int:
    return sum(round(float(r["pay"]) * 100) for r in rows if r["pay"])


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "0")
    lo = subprocess.run([shutil.which("soffice") or "soffice", "--version"], capture_output=True,
                        text=True).stdout.strip() if engines.libreoffice_available() else "absent"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": f"{int(mem) / 1024**2:.0f} GiB",
            "python": platform.python_version(), "libreoffice": lo}


def bench(n: int, work: Path, with_formulas: bool) -> dict[str, object]:
    scheme = default_scheme("zh", n * PER_EMPLOYEE_CENTS)
    records = sample_records(scheme, n)
    for i, rec in enumerate(records):
        rec["employee_id"] = f"E{i:06d}"
    roster, book, out = work / f"roster{n}.csv", work / f"appraisal{n}.xlsx", work / f"re{n}.xlsx"
    write_roster(roster, Appraisal.from_records(scheme, records, n))
    budget = f"{n * PER_EMPLOYEE_CENTS / 100:.2f}"
    builds = [run([*XLPERF, "new", "appraisal", "--from", str(roster), "--budget", budget,
                   "-o", str(book), "--capacity", str(n)]) for _ in range(3)]
    recalcs = [run([*XLPERF, "recalc", str(book), "-o", str(out)]) for _ in range(3)]
    ours = results(out, work)
    result: dict[str, object] = {
        "employees": n,
        "build_s": [b[0] for b in builds], "build_mb": max(b[1] for b in builds),
        "recalc_s": [r[0] for r in recalcs], "recalc_mb": max(r[1] for r in recalcs),
        "xlperf_pay_sums_to_budget": pay_cents(ours) == n * PER_EMPLOYEE_CENTS,
    }
    theirs = against_engines(book, work, ours, with_formulas, result)
    if theirs is not None:
        result["libreoffice_pay_sums_to_budget"] = pay_cents(theirs) == n * PER_EMPLOYEE_CENTS
    return result


def against_engines(book: Path, work: Path, ours: list[dict[str, str]], with_formulas: bool,
                    result: dict[str, object]) -> list[dict[str, str]] | None:
    """Time LibreOffice (and formulas) on ``book`` into ``result``, with how many exported rows
    differ from ``ours``; LibreOffice's exported rows (None without LibreOffice)."""
    theirs = None
    if engines.libreoffice_available():
        lo_dir = work / f"lo-{book.stem}"
        with tempfile.TemporaryDirectory() as profile:
            seconds, mb = run(engines.libreoffice_command([book], lo_dir, Path(profile)))
        theirs = results(lo_dir / book.name, work / "lo")
        result.update(libreoffice_s=seconds, libreoffice_mb=mb,
                      employees_differing_from_libreoffice=sum(a != b for a, b in
                                                               zip(ours, theirs)))
    if with_formulas:
        seconds, mb = run(formulas_command(book))
        result.update(formulas_s=seconds, formulas_mb=mb)
    return theirs


def header(info: dict[str, str], step: str) -> list[str]:
    """The machine line and the table head of a report whose first step is ``step``."""
    return [f"machine: {info['cpu']}, {info['cores']} cores, {info['ram']}, Python "
            f"{info['python']}, {info['libreoffice']}", "",
            f"| employees | {step} (best / median) | xlperf recalc (best / median) | LibreOffice "
            f"recalc | formulas | LibreOffice ÷ xlperf | formulas ÷ xlperf | peak MB {step} / "
            "recalc / LO / formulas |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|"]


def row(r: dict[str, object], step: str) -> str:
    """One size's line: ``step`` and recalc (best / median), the engines, the ratios, memory."""
    first, recalc = r[f"{step}_s"], r["recalc_s"]
    best = min(recalc)
    lo, fo = r.get("libreoffice_s"), r.get("formulas_s")
    mb = [f"{r[k]:.0f}" if k in r else "—"
          for k in (f"{step}_mb", "recalc_mb", "libreoffice_mb", "formulas_mb")]
    return (f"| {r['employees']:,} | {min(first):.2f} s / {statistics.median(first):.2f} s "
            f"| {best:.2f} s / {statistics.median(recalc):.2f} s "
            f"| {f'{lo:.2f} s' if lo else '—'} | {f'{fo:.1f} s' if fo else '—'} "
            f"| {f'{lo / best:.1f}×' if lo else '—'} | {f'{fo / best:.0f}×' if fo else '—'} "
            f"| {' / '.join(mb)} |")


def report(results: list[dict[str, object]], info: dict[str, str]) -> list[str]:
    lines = header(info, "build")
    targets = []
    for r in results:
        lines.append(row(r, "build"))
        best = min(r["recalc_s"])
        lo, fo = r.get("libreoffice_s"), r.get("formulas_s")
        if r["employees"] == 10_000:
            targets += [("recalc of 10,000 under 1 s", best < 1.0),
                        ("peak memory under 500 MB at 10,000",
                         max(r["build_mb"], r["recalc_mb"]) < 500)]
            if lo:
                targets.append(("≥ 3× faster than LibreOffice at 10,000", lo / best >= 3))
        if fo:
            targets.append((f"≥ 100× faster than formulas at {r['employees']:,}", fo / best >= 100))
        targets.append((f"pay = budget to the cent at {r['employees']:,} (xlperf, LibreOffice)",
                        bool(r["xlperf_pay_sums_to_budget"])
                        and r.get("libreoffice_pay_sums_to_budget", True)))
        if "employees_differing_from_libreoffice" in r:
            targets.append((f"every employee's score, grade, points and pay equal in LibreOffice "
                            f"at {r['employees']:,}", r["employees_differing_from_libreoffice"] == 0))
    lines.append("")
    lines.append("build and recalc: 3 runs each (best / median); LibreOffice and formulas: 1 run "
                 "each; wall time of the whole command; peak MB = max RSS of its largest process.")
    lines += [f"{'PASS' if ok else 'MISS'}  {name}" for name, ok in targets]
    return lines


def main(doc: str | None = None, bench_one: Callable[[int, Path, bool], dict[str, object]] = bench,
         lines_of: Callable[[list[dict[str, object]], dict[str, str]], list[str]] = report,
         name: str = "results.json") -> None:
    """Parse the sizes, run ``bench_one`` at each in a fresh folder, print ``lines_of`` them and
    keep the results in ``--out``/``name`` (every benchmark script runs this way)."""
    parser = argparse.ArgumentParser(description=doc or __doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--formulas-at", type=int, nargs="*", default=[1000])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    info = machine()
    with tempfile.TemporaryDirectory(prefix="xlperf-bench-") as tmp:
        results = [bench_one(n, Path(tmp), n in args.formulas_at) for n in args.sizes]
    print("\n".join(lines_of(results, info)))
    (args.out / name).write_text(json.dumps({"machine": info, "results": results}, indent=2,
                                            ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
