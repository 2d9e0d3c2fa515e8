"""Speed and memory of `fwlint scan` over real applications.

Usage:
    ../shared/corpora/get-corpora.sh ~/.cache/fwlint-corpora    # or any folder
    python benchmarks/run.py ~/.cache/fwlint-corpora [--corpus flaskbb django ...] [--repeat 3]

For each corpus, in one run over the same files, whole-process wall times
(minimum of --repeat runs) of:

* floor  - one process running bare ``libcst.parse_module`` on every Python file
           fwlint would analyse (the cost of parsing alone);
* cold   - ``fwlint scan DIR --no-cache`` (all cores);
* warm   - ``fwlint scan DIR`` again with the cache filled by a previous run;
* five   - ``fwlint scan F1..F5 --root DIR`` on the corpus's five largest files, facts
           cache warm but no saved report for this selection (what a pre-commit hook does);

plus the peak resident memory of the largest process of the cold scan (the main
process or one worker; getrusage's RUSAGE_CHILDREN) and the number of worker
processes. Results are printed as a Markdown table and written as JSON to
benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fwlint.config import Settings
from fwlint.discovery import discover

FLOOR_SCRIPT = """
import sys, libcst
for name in sys.argv[1:]:
    try:
        libcst.parse_module(open(name, "rb").read())
    except Exception:
        pass
"""


# Runs one command and prints its wall time and the peak RSS of its process tree. getrusage's
# RUSAGE_CHILDREN only ever grows within a process, so each measurement needs a fresh parent.
MEASURE_SCRIPT = """
import resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds of one process tree, and the peak RSS (KiB) of its largest process."""
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE_SCRIPT, *command], cwd=cwd, check=True, capture_output=True, text=True
    )
    elapsed, peak = measured.stdout.split()
    return float(elapsed), int(peak)


def best(command: list[str], repeat: int, prepare: Callable[[], None] | None = None) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(repeat):
        if prepare:
            prepare()
        elapsed, peak = timed(command)
        times.append(elapsed)
        peaks.append(peak)
    return min(times), max(peaks)


def measure(corpus: Path, repeat: int, label: str) -> dict[str, object]:
    files = discover(corpus, Settings().exclude).python
    paths = [f.abspath for f in files]
    fwlint = [sys.executable, "-m", "fwlint", "scan"]
    cache = Path(tempfile.mkdtemp(prefix="fwlint-bench-cache-"))
    try:
        floor, _ = best([sys.executable, "-c", FLOOR_SCRIPT, *paths], repeat)
        cold, peak = best([*fwlint, str(corpus), "--no-cache", "--format", "json", "-o", os.devnull], repeat)
        fill = [*fwlint, str(corpus), "--cache-dir", str(cache), "--format", "json", "-o", os.devnull]
        subprocess.run(fill, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        warm, _ = best(fill, repeat)
        largest = sorted(files, key=lambda f: os.path.getsize(f.abspath), reverse=True)[:5]
        five_command = [
            *fwlint,
            *[f.abspath for f in largest],
            "--root",
            str(corpus),
            "--cache-dir",
            str(cache),
            "--format",
            "json",
            "-o",
            os.devnull,
        ]
        # A pre-commit run sees files it has not reported before: drop the reports fwlint keeps
        # for unchanged trees, so only the per-file facts are warm.
        five, _ = best(five_command, repeat, lambda: shutil.rmtree(cache / "reports", ignore_errors=True))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    lines = sum(Path(p).read_bytes().count(b"\n") for p in paths)
    return {
        "corpus": label,
        "files": len(paths),
        "lines": lines,
        "floor_s": round(floor, 2),
        "cold_s": round(cold, 2),
        "cold_over_floor": round(cold / floor, 2) if floor else None,
        "warm_s": round(warm, 2),
        "warm_over_cold": round(warm / cold, 3) if cold else None,
        "five_files_warm_s": round(five, 2),
        "peak_rss_mib": round(peak / 1024),
        "jobs": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", type=Path)
    parser.add_argument(
        "--corpus", nargs="*", help="corpora to run, as folders below CORPORA (e.g. django/django); default: all"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    names = args.corpus or sorted(p.name for p in args.corpora.iterdir() if p.is_dir() and not p.name.startswith("_"))
    rows = [measure(args.corpora / name, args.repeat, name) for name in names]
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"Machine: {machine}\n")
    header = (
        "| corpus | files | lines | floor (parse) | cold | cold/floor | warm | warm/cold | 5 files, warm | peak RSS |"
    )
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['corpus']} | {row['files']} | {row['lines']:,} | {row['floor_s']} s | {row['cold_s']} s | "
            f"{row['cold_over_floor']} | {row['warm_s']} s | {row['warm_over_cold']} | {row['five_files_warm_s']} s | "
            f"{row['peak_rss_mib']} MiB |"
        )
    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (results / f"{stamp}.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
