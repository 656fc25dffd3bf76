"""A control group per kernel: hard caps on real memory and on the number of processes.

Resource limits (`setrlimit`) cannot do either job well: RLIMIT_AS caps address space, which
torch and TensorFlow reserve far beyond what they use, and RLIMIT_NPROC is not enforced for
root and counts a user's processes machine-wide. Where the grader may create cgroups (root,
cgroup v1 `memory` + `pids` hierarchies, or cgroup v2 with those controllers), each kernel
gets its own; elsewhere `create` returns None and only resource limits apply.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


@dataclass(frozen=True)
class Cgroup:
    folders: tuple[Path, ...]  # one per hierarchy (v1: memory and pids; v2: one)
    version: int

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


def create(memory_bytes: int, max_processes: int, root: Path = CGROUP_ROOT) -> Cgroup | None:
    """A fresh group with both caps, or None where this machine does not allow it."""
    name = f"grader-{uuid.uuid4().hex[:12]}"
    if (root / "cgroup.controllers").is_file():
        return _create_v2(root / name, memory_bytes, max_processes)
    return _create_v1(root, name, memory_bytes, max_processes)


def _create_v1(root: Path, name: str, memory_bytes: int, max_processes: int) -> Cgroup | None:
    memory, pids = root / "memory" / name, root / "pids" / name
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
    return Cgroup((memory, pids), version=1)


def _create_v2(folder: Path, memory_bytes: int, max_processes: int) -> Cgroup | None:
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
    return Cgroup((folder,), version=2)


def _pids(folder: Path) -> list[int]:
    try:
        return [int(line) for line in (folder / "cgroup.procs").read_text().split()]
    except OSError:
        return []

