"""A control group per kernel (and per worker): hard caps on real memory, processes and CPU.

Resource limits (`setrlimit`) cannot do these jobs well: RLIMIT_AS caps address space, which
torch and TensorFlow reserve far beyond what they use, RLIMIT_NPROC counts a user's processes
machine-wide, and nothing in setrlimit stops one kernel from starving its neighbours of CPU.
Where the grader may create cgroups (root, cgroup v1 `memory` + `pids` (+ `cpu`) hierarchies,
or cgroup v2 with those controllers), each kernel gets its own; elsewhere `create` returns
None and only resource limits apply.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


CPU_PERIOD_US = 100_000
PREFIX = "grader-"  # + the creating process's pid + a random part: see `remove_orphans`


@dataclass(frozen=True)
class Cgroup:
    folders: tuple[Path, ...]  # one per hierarchy (v1: memory, pids, cpu; v2: one)
    version: int
    cpus: float = 0.0  # the CPU quota in cores (0: none)

    def to_json(self) -> str:
        return json.dumps({"folders": [str(f) for f in self.folders], "version": self.version, "cpus": self.cpus})

    @classmethod
    def from_json(cls, raw: dict) -> Cgroup:
        return cls(tuple(Path(f) for f in raw["folders"]), int(raw["version"]), float(raw.get("cpus", 0.0)))

    @property
    def procs_files(self) -> tuple[Path, ...]:
        return tuple(folder / "cgroup.procs" for folder in self.folders)

    def oom_killed(self) -> bool:
        """True if the memory cap killed a process of this group."""
        events = self.folders[0] / ("memory.events" if self.version == 2 else "memory.oom_control")
        try:
            for line in events.read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and int(value) > 0:
                    return True
        except OSError:
            pass
        return False

    def remove(self) -> None:
        """Kill whatever is still inside, then delete the group."""
        for folder in self.folders:
            for pid in _pids(folder):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for folder in self.folders:
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # processes are still exiting
                    time.sleep(0.05)


@functools.cache
def available() -> bool:
    """Whether this process may create a group with a memory and a process cap."""
    group = create(2**30, 64)
    if group is None:
        return False
    group.remove()
    return True


def create(memory_bytes: int, max_processes: int, cpus: float = 0.0, root: Path = CGROUP_ROOT) -> Cgroup | None:
    """A fresh group with these caps (`cpus` 0: no CPU quota), or None where this machine does
    not allow the memory and process caps. The CPU quota is left out where only it is missing."""
    name = f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
    if (root / "cgroup.controllers").is_file():
        return _create_v2(root / name, memory_bytes, max_processes, cpus)
    return _create_v1(root, name, memory_bytes, max_processes, cpus)


def _create_v1(root: Path, name: str, memory_bytes: int, max_processes: int, cpus: float) -> Cgroup | None:
    memory, pids, cpu = root / "memory" / name, root / "pids" / name, root / "cpu" / name
    made: list[Path] = []
    try:
        for folder in (memory, pids):
            folder.mkdir()
            made.append(folder)
        (memory / "memory.limit_in_bytes").write_text(str(memory_bytes))
        (pids / "pids.max").write_text(str(max_processes))
    except OSError:
        for folder in made:
            folder.rmdir()
        return None
    if cpus > 0 and (root / "cpu").is_dir():
        try:
            cpu.mkdir()
        except OSError:
            return Cgroup((memory, pids), version=1)
        try:
            (cpu / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
            (cpu / "cpu.cfs_quota_us").write_text(str(int(cpus * CPU_PERIOD_US)))
            return Cgroup((memory, pids, cpu), version=1, cpus=cpus)
        except OSError:
            cpu.rmdir()
    return Cgroup((memory, pids), version=1)


def _create_v2(folder: Path, memory_bytes: int, max_processes: int, cpus: float) -> Cgroup | None:
    try:
        folder.mkdir()
    except OSError:
        return None
    try:
        (folder / "memory.max").write_text(str(memory_bytes))
        (folder / "memory.swap.max").write_text("0")
        (folder / "pids.max").write_text(str(max_processes))
    except OSError:  # controllers not delegated to this level
        folder.rmdir()
        return None
    if cpus > 0:
        try:
            (folder / "cpu.max").write_text(f"{int(cpus * CPU_PERIOD_US)} {CPU_PERIOD_US}")
        except OSError:  # the cpu controller is not delegated: memory and processes still capped
            return Cgroup((folder,), version=2)
        return Cgroup((folder,), version=2, cpus=cpus)
    return Cgroup((folder,), version=2)


def remove_orphans(root: Path = CGROUP_ROOT) -> int:
    """Remove the groups a grader made and left behind (it was killed): those whose creating
    process is gone. Whatever still runs in them is killed. Returns how many were removed."""
    folders = [*root.glob(f"{PREFIX}*"), *root.glob(f"*/{PREFIX}*")]
    orphans = [f for f in folders if f.is_dir() and not alive(_creator(f.name))]
    for folder in orphans:
        Cgroup((folder,), version=2 if folder.parent == root else 1).remove()
    return len(orphans)


def _creator(name: str) -> int:
    pid = name.removeprefix(PREFIX).split("-", 1)[0]
    return int(pid) if pid.isdigit() else 0


def alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not one of ours (an older name): leave it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _pids(folder: Path) -> list[int]:
    try:
        return [int(line) for line in (folder / "cgroup.procs").read_text().split()]
    except OSError:
        return []

