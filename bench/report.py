"""The benchmark's report: one table on the terminal and the same as JSON."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.results import CaseResult
from graders.paths import REPO_ROOT


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                      if line.startswith("MemTotal:")), 0)
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(memory_kb / 2**20, 1),
            "platform": platform.platform(terse=True), "python": platform.python_version()}


def commit() -> str:
    """The checkout's commit, with "+changes" when its files differ from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True).stdout.strip()
    head = git("rev-parse", "--short", "HEAD")
    if not head:
        return "unknown (not a git checkout)"
    return f"{head}+changes" if git("status", "--porcelain", "--untracked-files=no") else head


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def print_report(results: Sequence[CaseResult], about: dict[str, Any], console: Console) -> None:
    table = Table(title=f"Benchmark, median of {about['repeats']} runs (warm-up discarded)")
    for column, justify in (("case", "left"), ("run", "left"), ("median s", "right"), ("min–max s", "right"),
                            ("speed-up vs baseline", "right")):
        table.add_column(column, justify=justify)
    for result in results:
        for row in result.rows:
            m = row.measurement
            versus = f"{row.speedup:.2f}×" if row.speedup is not None else "baseline"
            table.add_row(result.name, m.label, f"{m.median:.1f}", f"{m.low:.1f}–{m.high:.1f}", versus)
    console.print(table)
    for result in results:
        if result.note:
            console.print(f"{result.name}: {result.note}", highlight=False, markup=False)
    for result in results:
        for target in result.targets:
            mark = "[green]met[/green]" if target.met else "[red]not met[/red]"
            console.print(f"target {mark}: {target.text}: measured {target.value:.2f}×", highlight=False)
    mismatches = [line for result in results for line in result.mismatches]
    if mismatches:
        console.print(f"[bold red]SCORES DIFFER from the expected ones in {len(mismatches)} places:[/bold red]")
        for line in mismatches:
            console.print(f"  {line}", highlight=False, markup=False)
    else:
        console.print("scores: every run gave every submission its expected points", highlight=False)
    console.print(f"machine: {about['machine']['cpus']} cores, {about['machine']['cpu']}; load average "
                  f"{about['load_before'][0]:.1f} before, {about['load_after'][0]:.1f} after; commit {about['commit']}",
                  highlight=False, markup=False)


def to_json(results: Sequence[CaseResult], about: dict[str, Any]) -> str:
    cases = [{
        "name": result.name,
        "note": result.note,
        "rows": [{"label": row.measurement.label, "median_s": row.measurement.median, "min_s": row.measurement.low,
                  "max_s": row.measurement.high, "runs_s": list(row.measurement.seconds), "baseline": row.baseline,
                  "speedup": row.speedup} for row in result.rows],
        "targets": [{"text": t.text, "value": t.value, "bound": t.bound, "at_most": t.at_most, "met": t.met}
                    for t in result.targets],
        "mismatches": list(result.mismatches),
    } for result in results]
    return json.dumps({**about, "cases": cases}, indent=1, ensure_ascii=False)
