"""Benchmark crmctl against the baselines its targets are set by; prints figures.

    python bench/run.py [--customers 10000] [--runs 15]

Targets (issue 2), each measured against a baseline in the same run:
- `crmctl check` on N customers: at most 1.5x the time that merely parsing the
  same files with PyYAML's C loader takes;
- `crmctl --version`: within 1.2x of `python -c "import typer"`;
- `crmctl show ID` on examples/: within 2.5x of `python -c "import typer"`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PARSE_ONLY = """
import os, sys, yaml
root = sys.argv[1]
for folder, dirs, files in os.walk(root):
    dirs.sort()
    for name in sorted(files):
        if name.endswith('.yaml'):
            with open(os.path.join(folder, name), 'rb') as fh:
                yaml.load(fh.read().decode('utf-8'), Loader=yaml.CSafeLoader)
"""


def crmctl() -> str:
    exe = Path(sys.executable).with_name("crmctl")
    return str(exe) if exe.exists() else "crmctl"


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and the child's peak RSS in KiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def median_interleaved(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Run each command ``runs`` times, interleaved so drift hits all alike; medians."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd)[0])
    return {name: statistics.median(ts) for name, ts in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description="crmctl benchmark")
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15, help="runs of each start-up command")
    parser.add_argument("--check-runs", type=int, default=3, help="runs of each full check")
    args = parser.parse_args()

    # named by what generates it too: a changed generator never measures an old repository
    version = hashlib.sha1((HERE / "generate.py").read_bytes()).hexdigest()[:8]
    repo = HERE / "out" / f"repo-{args.customers}-{version}"
    if not (repo / "crm.yaml").exists():
        print(f"generating {args.customers} customers in {repo} ...", flush=True)
        generate(repo, args.customers)
    size = sum(p.stat().st_size for p in repo.rglob("*.yaml"))
    files = sum(1 for _ in repo.rglob("*.yaml"))
    env_note = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    print(f"repository: {args.customers} customers, {files} files, {size / 1e6:.1f} MB ({env_note})\n")

    exe = crmctl()
    parse = [sys.executable, "-c", PARSE_ONLY, str(repo)]
    check = [exe, "check", str(repo)]
    check_1 = [exe, "check", str(repo), "--jobs", "1"]
    results = {"parse": [], "check": [], "check_1": []}
    peak = {}
    for _ in range(args.check_runs):
        for name, cmd in (("parse", parse), ("check", check), ("check_1", check_1)):
            seconds, rss = timed(cmd)
            results[name].append(seconds)
            peak[name] = rss
    med = {k: statistics.median(v) for k, v in results.items()}
    rows = [
        ("parse only (yaml.load, CSafeLoader)", med["parse"], 1.0, ""),
        ("crmctl check (default processes)", med["check"], med["check"] / med["parse"], "<= 1.5"),
        ("crmctl check --jobs 1", med["check_1"], med["check_1"] / med["parse"], ""),
    ]
    print(f"{'full check':42} {'median s':>9} {'ratio':>7}  target")
    for label, seconds, ratio, target in rows:
        print(f"{label:42} {seconds:9.2f} {ratio:7.2f}  {target}")
    print(f"peak memory of crmctl check --jobs 1: {peak['check_1'] / 1024:.0f} MiB\n")

    startup = median_interleaved({
        "typer": [sys.executable, "-c", "import typer"],
        "version": [exe, "--version"],
        "show": [exe, "show", "bj-huanwei", "--repo", str(ROOT / "examples")],
        "check-examples": [exe, "check", str(ROOT / "examples")],
    }, args.runs)
    base = startup["typer"]
    print(f"{'start-up':42} {'median ms':>9} {'ratio':>7}  target")
    for label, key, target in (("python -c 'import typer'", "typer", ""),
                               ("crmctl --version", "version", "<= 1.2"),
                               ("crmctl show bj-huanwei (examples/)", "show", "<= 2.5"),
                               ("crmctl check examples/", "check-examples", "")):
        print(f"{label:42} {startup[key] * 1000:9.0f} {startup[key] / base:7.2f}  {target}")
    ok = (med["check"] / med["parse"] <= 1.5 and startup["version"] / base <= 1.2 and startup["show"] / base <= 2.5)
    print("\nall targets met" if ok else "\nTARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
