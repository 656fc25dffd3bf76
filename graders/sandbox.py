"""How a student kernel is confined: what it sees, who it runs as, what it may use.

A kernel is forked from a fork server (`zygote.py`, one per worker) that bubblewrap runs with
an allow-list of the filesystem; the fork then gets namespaces of its own. The kernel sees:

    /usr (+ the /bin, /lib… links)      the system, read-only
    the Python interpreter and venv     read-only, at their own paths
    /etc                                a few files the loader and libraries read, and a
                                        passwd/group/hosts written for the sandbox
    /data/<name>                        the datasets (and weights) it is meant to read, read-only
    /opt/grader                         the server's program and the kernels' site, read-only
    /home/student (= /content, ~, cwd)  its working folder: a fresh tmpfs of `limits.disk_mb`
                                        ($TMPDIR is in it too)
    /tmp, /dev/shm                      fresh small tmpfs of their own
    <server>/kernels/<kernel>           its connection file and sockets, closed to new files once
                                        it is up (of the server's folder it sees this alone)
    /proc, /dev                         a fresh /proc for its own pid namespace; minimal devices

It has its own user (when the grader runs as root: a real unprivileged uid, every capability
dropped, the bounding set emptied), mount, pid, net, ipc, uts and cgroup namespaces, no network
at all, and a control group capping memory, processes and CPU. Without bubblewrap only the
resource limits apply; `Protections` says which protections were in force, for the record.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graders import cgroup as cgroups
from graders.cgroup import Cgroup
from graders.paths import COLAB_CONTENT, KERNEL_SITE
from graders.spec import Limits

HERE = Path(__file__).resolve().parent
LAUNCHER = HERE / "launch.py"  # runs outside the sandbox: joins the cgroups, becomes bwrap
ZYGOTE = HERE / "zygote.py"  # the fork server, inside: imports once, forks each kernel in its own namespaces

STUDENT_UID = 64000  # + the worker's slot: a uid no host account uses
HOME = "/home/student"
OPT = "/opt/grader"
DATA = "/data"
TMPDIR = f"{HOME}/.tmp"
SHM_MB = 256  # /dev/shm (torch's data-loader workers share tensors there)
TMP_MB = 64  # /tmp, for code that ignores $TMPDIR


@dataclass(frozen=True)
class Mount:
    """A host folder or file the kernel may read, and where it appears inside the sandbox."""

    host: Path
    inside: str
    variable: str = ""  # the environment variable that tells the kernel where it is ("": <NAME>_DIR)


def data_mount(name: str, folder: Path) -> Mount:
    """A dataset (or weights) folder, read-only at /data/<name>."""
    return Mount(folder, f"{DATA}/{name}")


@dataclass(frozen=True)
class SandboxPolicy:
    scratch: Path  # a fresh host folder that only the grader can reach; the kernel's files live in it
    limits: Limits
    data: tuple[Mount, ...] = ()  # read-only: datasets, weights
    use_bwrap: bool = True
    gpu: bool = False  # CUDA reserves far more address space than it uses: no address-space cap then
    cgroup: Cgroup | None = None  # caps real memory, processes and CPU where the machine allows it
    slot: int = 0  # which of the batch's concurrent kernels: its uid is STUDENT_UID + slot

    @property
    def sandboxed(self) -> bool:
        return self.use_bwrap and bwrap_works()

    @property
    def workdir(self) -> str:
        """The kernel's working folder, as the kernel sees it."""
        return HOME if self.sandboxed else str(self.scratch / "work")

    @property
    def uid(self) -> int:
        return STUDENT_UID + self.slot

    def path_of(self, mount: Mount) -> str:
        """Where the kernel finds a mounted folder."""
        return mount.inside if self.sandboxed else str(mount.host)

    @property
    def site(self) -> str:
        return f"{OPT}/site" if self.sandboxed else str(KERNEL_SITE)


@dataclass(frozen=True)
class Protections:
    """What confined a kernel, in words for the result record."""

    sandbox: str
    identity: str
    memory_cap: str
    disk_quota: str
    cpu_share: str

    def as_dict(self) -> dict[str, str]:
        return {"sandbox": self.sandbox, "identity": self.identity, "memory_cap": self.memory_cap,
                "disk_quota": self.disk_quota, "cpu_share": self.cpu_share}


def protections(policy: SandboxPolicy) -> Protections:
    root = os.geteuid() == 0
    if policy.sandboxed:
        sandbox = "bubblewrap (allow-listed files, no network, own pid/ipc/uts namespaces)"
        identity = (f"uid {policy.uid}, no capabilities" if root
                    else "the grader's own uid in a user namespace, no capabilities")
        disk = (f"{policy.limits.disk_mb} MB working folder" if root
                else f"{policy.limits.disk_mb} MB working folder; the connection folder is not capped")
    else:
        sandbox, identity = "resource limits only", "the grader's own uid"
        disk = f"{policy.limits.file_size_mb} MB per file only"
    memory = "cgroup (resident memory)" if policy.cgroup else (
        "none (GPU kernel)" if policy.gpu else "address space (setrlimit)")
    cpu = f"cgroup, {policy.cgroup.cpus:g} cores" if policy.cgroup and policy.cgroup.cpus else "none"
    return Protections(sandbox, identity, memory, disk, cpu)


def missing_protections(use_bwrap: bool = True) -> list[str]:
    """What this machine cannot give a kernel, one sentence each (the CLI says it once; each
    record says what was in force)."""
    missing = []
    if use_bwrap and not bwrap_works():
        missing.append("bubblewrap (bwrap) is not available: notebooks run WITHOUT the sandbox (no network or "
                       "file isolation; time and resource limits still apply). Install it with "
                       "`apt-get install bubblewrap`.")
    elif use_bwrap and os.geteuid() != 0:
        missing.append("the grader is not running as root: kernels keep your uid (in a user namespace, with no "
                       "capabilities), and their connection folder has no disk quota.")
    if not cgroups.available():
        missing.append("no control groups can be made here: memory is capped by address space only, and "
                       "kernels get no CPU share (run as root with cgroup v1 or v2 memory, pids and cpu).")
    return missing


@functools.cache
def bwrap_works() -> bool:
    """True when `bwrap` exists and can create the namespaces we need on this machine."""
    if shutil.which("bwrap") is None:
        return False
    probe = ["bwrap", *_identity_args(), "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid",
             "--proc", "/proc", "true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


SCRATCH_PREFIX = "grade-"  # + the creating process's pid: see `remove_orphans`


def new_scratch() -> Path:
    """A fresh folder only this process's user can reach (mode 0700)."""
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))


def remove_orphans() -> None:
    """What an earlier grader left behind when it was killed: its scratch folders and control
    groups (with whatever still runs in them). A running grader's are left alone."""
    cgroups.remove_orphans()
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        creator = folder.name.removeprefix(SCRATCH_PREFIX).split("-", 1)[0]
        if creator.isdigit() and not cgroups.alive(int(creator)):
            remove_scratch(folder)


def remove_scratch_of(pid: int) -> None:
    """The scratch folders process `pid` made, once it is gone (killed before it removed them)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}{pid}-*"):
        remove_scratch(folder)


@contextmanager
def kernel_scratch(limits: Limits, cpus: float) -> Iterator[tuple[Path, Cgroup | None]]:
    """A scratch folder only this process's user can reach, and the kernel's control group
    (None where the machine allows none); both removed afterwards, with whatever still runs."""
    scratch = new_scratch()
    group = cgroups.create(limits.memory_mb * 2**20, limits.processes, cpus)
    try:
        yield scratch, group
    finally:
        if group is not None:
            group.remove()
        remove_scratch(scratch)


def remove_scratch(scratch: Path) -> None:
    for conn in (scratch / "kernels").glob("*"):  # a fork server's kernels' connection folders
        remove_conn_dir(conn)
    shutil.rmtree(scratch, ignore_errors=True)


def rlimits(policy: SandboxPolicy) -> dict[str, int]:
    """The kernel's own limits (setrlimit), on top of its control group's."""
    limits = policy.limits
    return {
        # the address-space cap is the fallback for a memory cap; the cgroup's is the real one
        "address_space": 0 if policy.gpu or policy.cgroup else limits.memory_mb * 2**20,
        "processes": limits.processes,
        "file_size": limits.file_size_mb * 2**20,
        "cpu_seconds": int(limits.notebook_timeout_s * 4) + 60,  # several threads may run
    }


def prepare_server(policy: SandboxPolicy, socket: Path, preload: tuple[str, ...], python: str
                   ) -> tuple[Path, dict]:
    """Write a fork server's launch plan into its folder (`policy.scratch`); return the plan's
    file and the server's settings (given on its stdin).

    The plan's command is bubblewrap, which reads its options from a file (so that a kernel,
    which may read its pid 1's command line, sees nothing of the host's layout), or without a
    sandbox the server itself; `launch.py` runs it.
    """
    settings = {"socket": str(socket), "scratch": str(policy.scratch), "isolate": policy.sandboxed,
                "uid": policy.uid if policy.sandboxed and os.geteuid() == 0 else 0, "preload": list(preload),
                "home": HOME, "tmpdir": TMPDIR, "tmp_mb": TMP_MB, "shm_mb": SHM_MB,
                "kept": [str(path) for path in _under_fresh_folders(policy, python)]}
    plan: dict = {"cgroups": []}
    if policy.sandboxed:
        args_file = policy.scratch / "bwrap.args"
        args_file.write_bytes(b"".join(arg.encode() + b"\0" for arg in bwrap_args(policy, python)))
        plan["bwrap_args"] = str(args_file)
        plan["command"] = [python, f"{OPT}/zygote.py"]
    else:
        plan["bwrap_args"] = None
        plan["command"] = [python, str(ZYGOTE)]
    plan_file = policy.scratch / "launch.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    return plan_file, settings


FRESH_FOLDERS = (Path("/tmp"), Path("/dev/shm"), Path(HOME))  # each kernel gets new ones


def _under_fresh_folders(policy: SandboxPolicy, python: str) -> list[Path]:
    """What the server sees, read-only, below a folder each kernel gets afresh (a venv or the
    weights under /tmp): each kernel puts it back (see zygote.isolate)."""
    if not policy.sandboxed:
        return []
    bound = [*_interpreter_paths(python), *(Path(m.inside) for m in policy.data if m.host.exists())]
    return [path for path in bound if any(path.is_relative_to(fresh) for fresh in FRESH_FOLDERS)]


def kernel_request(policy: SandboxPolicy, conn_dir: Path) -> dict:
    """What the fork server needs to start the kernel of `policy`, whose connection
    folder is `conn_dir`: the control groups to move it into, and the kernel's own settings."""
    if policy.sandboxed:
        os.chmod(conn_dir, 0o777)  # the kernel creates its sockets here; closed again once it is up
    else:
        Path(policy.workdir).mkdir(exist_ok=True)
    return {"cgroups": [str(p) for p in policy.cgroup.procs_files] if policy.cgroup else [],
            "kernel": {"conn_dir": str(conn_dir), "connection_file": str(conn_dir / "kernel.json"),
                       "cwd": policy.workdir, "disk_mb": policy.limits.disk_mb, "limits": rlimits(policy)}}


def close_conn_dir(policy: SandboxPolicy, conn_dir: Path) -> None:
    """Once the kernel's sockets exist, it may create nothing more in its connection folder."""
    if policy.sandboxed:
        os.chmod(conn_dir, 0o555)


def remove_conn_dir(conn_dir: Path) -> None:
    """Remove a kernel's connection folder, closed once the kernel was up."""
    if conn_dir.is_dir():
        os.chmod(conn_dir, 0o755)
        shutil.rmtree(conn_dir, ignore_errors=True)


def bwrap_args(policy: SandboxPolicy, python: str) -> list[str]:
    """bubblewrap's options for a fork server whose folder is `policy.scratch`; each kernel it
    forks then gets namespaces of its own inside (see zygote.py)."""
    args = [
        *_identity_args(server=True),
        "--die-with-parent",
        "--new-session",
        "--unshare-net",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--hostname", "sandbox",
        "--proc", "/proc",
        "--dev", "/dev",
        "--perms", "1777", "--size", str(SHM_MB * 2**20), "--tmpfs", "/dev/shm",
    ]
    # the writable places first: a folder bound below /tmp (the weights, the connection folder)
    # must come after the tmpfs that would otherwise hide it
    args += [*_parents(Path(HOME)),
             "--perms", "1777", "--size", str(policy.limits.disk_mb * 2**20), "--tmpfs", HOME,
             "--perms", "1777", "--dir", TMPDIR,
             "--symlink", HOME, COLAB_CONTENT,
             "--perms", "1777", "--size", str(TMP_MB * 2**20), "--tmpfs", "/tmp"]
    args += _system_args()
    args += _etc_args(policy)
    interpreter = _interpreter_paths(python)
    for path in interpreter:
        args += [*_parents(path), "--ro-bind", str(path), str(path)]
    for package in _installed_answers(interpreter):  # an instructor's non-editable install
        args += ["--tmpfs", str(package)]
    args += [*_parents(Path(OPT) / "zygote.py"), "--ro-bind", str(ZYGOTE), f"{OPT}/zygote.py"]
    if KERNEL_SITE.is_dir():
        args += ["--ro-bind", str(KERNEL_SITE), f"{OPT}/site"]
    for mount in policy.data:
        if mount.host.exists():  # real data the instructor has not put there yet: nothing to show
            args += [*_parents(Path(mount.inside)), "--ro-bind", str(mount.host), mount.inside]
    for shared in (policy.scratch / "kernels", policy.scratch / "server"):  # connection folders, the socket
        args += [*_parents(shared), "--bind", str(shared), str(shared)]
    if policy.gpu:
        args += gpu_args()
    args += ["--chdir", HOME,
             # ipykernel exits when its parent looks like init, which it does in a pid namespace
             "--setenv", "JPY_PARENT_PID", "1"]
    return args


# What the fork server keeps to give each kernel namespaces of its own (mounts, a loopback) and
# then drop every privilege in it (as root: the student's uid, an empty bounding set), and to
# stop a kernel whose client is gone.
SERVER_CAPABILITIES = ("CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_KILL")


def _identity_args(server: bool = False) -> list[str]:
    kept = [arg for cap in SERVER_CAPABILITIES for arg in ("--cap-add", cap)] if server else []
    if os.geteuid() == 0:
        return ["--cap-drop", "ALL", *kept]
    return ["--unshare-user", "--disable-userns", "--cap-drop", "ALL", *kept]


def _system_args() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    return args


# Read by the dynamic loader, glibc and common libraries; nothing in them is private.
_ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf", "mime.types",
              "alternatives", "fonts", "os-release")


def _etc_args(policy: SandboxPolicy) -> list[str]:
    own = policy.scratch / "etc"
    own.mkdir(exist_ok=True)
    (own / "passwd").write_text(f"root:x:0:0:root:/root:/usr/sbin/nologin\n"
                                f"student:x:{policy.uid}:{policy.uid}:student:{HOME}:/bin/sh\n")
    (own / "group").write_text(f"root:x:0:\nstudent:x:{policy.uid}:\n")
    (own / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n")
    (own / "hostname").write_text("sandbox\n")
    args = ["--perms", "0755", "--dir", "/etc"]
    for name in _ETC_FILES:
        path = Path("/etc") / name
        if path.exists():
            args += ["--ro-bind", str(path), str(path)]
    for made in sorted(own.iterdir()):
        args += ["--ro-bind", str(made), f"/etc/{made.name}"]
    return args


def _interpreter_paths(python: str) -> list[Path]:
    """The folders the kernel's Python needs: its venv and the interpreter it was made from."""
    candidates = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), Path(sys.base_exec_prefix),
                  Path(python).resolve().parent.parent}
    ordered = sorted(p.resolve() for p in candidates)
    # /usr is there already; a folder inside another bound folder needs no bind of its own
    return [p for p in ordered
            if not p.is_relative_to("/usr") and not any(p != q and p.is_relative_to(q) for q in ordered)]


ANSWER_PACKAGES = ("reference",)  # never for a student's eyes, wherever they are installed


def _installed_answers(interpreter: list[Path]) -> list[Path]:
    """Folders of the answer packages that lie inside the interpreter's folders the kernel sees."""
    found = []
    for name in ANSWER_PACKAGES:
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            path = Path(folder).resolve()
            if any(path.is_relative_to(root) for root in interpreter):
                found.append(path)
    return found


def _parents(path: Path) -> list[str]:
    """Create each missing parent folder world-readable (bwrap would make them owner-only)."""
    args = []
    for parent in reversed(path.parents):
        if str(parent) != "/":
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def gpu_args(devices: Path = Path("/dev")) -> list[str]:
    """A GPU kernel's additions: the driver's device nodes, its libraries, the PCI tree."""
    args = []
    for device in sorted(devices.glob("nvidia*")):
        args += ["--dev-bind", str(device), str(device)]
    for folder in (Path("/usr/local/nvidia"), Path("/sys")):  # driver libraries; CUDA reads the PCI tree
        if folder.is_dir():
            args += [*_parents(folder), "--ro-bind", str(folder), str(folder)]
    return args
