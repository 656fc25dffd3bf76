"""How a student kernel is launched: under bubblewrap when it is there, resource limits always.

The sandbox gives the kernel no network, a private writable working directory, a private /tmp,
the Python environment and the datasets read-only, and hides the grader's own files (reference
solutions, hidden tests, hidden data, results, other submissions) behind empty directories.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from graders.cgroup import Cgroup
from graders.spec import Limits

# Runs before the kernel inside the sandbox: sets the resource limits, then becomes the kernel.
# It is a `python -c` program because the grader's own packages are not visible in there.
_LIMITS_THEN_EXEC = (
    "import os, resource, sys\n"
    "memory, processes, file_size, cpu = map(int, sys.argv[1:5])\n"
    "if memory > 0:\n"
    "    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))\n"
    "resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))\n"
    "resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))\n"
    "resource.setrlimit(resource.RLIMIT_CORE, (0, 0))\n"
    "os.execv(sys.argv[5], sys.argv[5:])\n"
)


# Runs first, outside the sandbox: moves itself into the kernel's cgroups, then execs the rest.
_JOIN_CGROUPS_THEN_EXEC = (
    "import os, sys\n"
    "end = sys.argv.index('--')\n"
    "for procs in sys.argv[1:end]:\n"
    "    with open(procs, 'w') as stream:\n"
    "        stream.write(str(os.getpid()))\n"
    "os.execvp(sys.argv[end + 1], sys.argv[end + 1:])\n"
)


@dataclass(frozen=True)
class SandboxPolicy:
    workdir: Path  # private and writable; the kernel's cwd and HOME
    hidden: tuple[Path, ...]  # replaced by empty directories inside the sandbox
    readonly: tuple[Path, ...]  # made visible (read-only) again, e.g. the venv and the data
    limits: Limits
    use_bwrap: bool = True
    gpu: bool = False  # CUDA reserves far more address space than it uses: no address-space cap then
    cgroup: Cgroup | None = None  # caps real memory and processes where the machine allows it


@functools.cache
def bwrap_works() -> bool:
    """True when `bwrap` exists and can create the namespaces we need on this machine."""
    if shutil.which("bwrap") is None:
        return False
    probe = ["bwrap", "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--proc", "/proc", "true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def kernel_argv(policy: SandboxPolicy, python: str = sys.executable) -> list[str]:
    """The command that starts an IPython kernel under this policy ({connection_file} templated)."""
    limits = policy.limits
    limited = [
        python,
        "-c",
        _LIMITS_THEN_EXEC,
        # the address-space cap is the fallback for a memory cap; the cgroup's is the real one
        str(0 if policy.gpu or policy.cgroup else limits.memory_mb * 2**20),
        str(limits.processes),
        str(limits.file_size_mb * 2**20),
        str(int(limits.notebook_timeout_s * 4) + 60),  # CPU seconds: several threads may run
        python,
        "-m",
        "ipykernel_launcher",
        "-f",
        "{connection_file}",
    ]
    joined = _join_cgroups(policy.cgroup, python)
    if not policy.use_bwrap:
        return joined + limited
    if not bwrap_works():  # the CLI has said so once; the record says so for each submission
        return joined + limited
    return joined + _bwrap_prefix(policy) + limited


def _join_cgroups(cgroup: Cgroup | None, python: str) -> list[str]:
    if cgroup is None:
        return []
    return [python, "-c", _JOIN_CGROUPS_THEN_EXEC, *map(str, cgroup.procs_files), "--"]


def _bwrap_prefix(policy: SandboxPolicy) -> list[str]:
    args = [
        "bwrap",
        "--die-with-parent",
        "--unshare-net",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--ro-bind", "/", "/",
        "--dev", "/dev",
        "--proc", "/proc",
        "--tmpfs", "/tmp",
        "--tmpfs", "/dev/shm",
    ]
    for path in policy.hidden:
        if path.exists():
            args += ["--tmpfs", str(path)]
    for path in policy.readonly:
        if path.exists():
            args += ["--ro-bind", str(path), str(path)]
    workdir = str(policy.workdir)
    for device in sorted(Path("/dev").glob("nvidia*")):  # GPUs stay usable inside
        args += ["--dev-bind", str(device), str(device)]
    args += ["--bind", workdir, workdir, "--chdir", workdir]
    # ipykernel exits when its parent looks like init; inside the pid namespace it always is.
    # --die-with-parent does that job instead.
    args += ["--setenv", "JPY_PARENT_PID", "1"]
    return args
