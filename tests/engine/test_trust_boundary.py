"""The trust boundary, tried as a hostile student would, with the grader running as it runs here
(root in CI): the kernel has no privilege, sees an allow-list of the host, reaches nothing of
it, and cannot make the grader spend unbounded memory, disk or CPU.

Each test starts a kernel exactly as the worker does (`SandboxPolicy` + cgroup + kernel_env)
and probes from inside.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from graders import cgroup as cgroups
from graders.kernel import AnswerRefused, KernelError, StudentKernel
from graders.paths import REPO_ROOT
from graders.sandbox import (
    KERNEL_SITE,
    SandboxPolicy,
    _interpreter_paths,
    bwrap_works,
    data_mount,
    kernel_scratch,
)
from graders.spec import Limits, load_assignment
from graders.worker import kernel_env
from tests.engine.toy import TOY, notebook

pytestmark = pytest.mark.skipif(not bwrap_works() and not os.environ.get("CI"), reason="bubblewrap cannot run here")
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="these protections are the root grader's")


needs_cgroups = pytest.mark.skipif(not cgroups.available(), reason="no permission to create cgroups here")


@pytest.fixture
def data_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "public-data"
    folder.mkdir()
    (folder / "readme.txt").write_text("visible data")
    return folder


def start_kernel(limits: Limits, data: dict[str, Path], cpus: float = 1):
    """A context manager for (kernel, policy) started like the worker's."""
    from contextlib import contextmanager

    @contextmanager
    def running():
        with kernel_scratch(limits, cpus) as (scratch, group):
            policy = SandboxPolicy(scratch, limits, data=tuple(data_mount(n, f) for n, f in data.items()),
                                   cgroup=group)
            with StudentKernel(policy, kernel_env(load_assignment(TOY), policy, data, 1, "")) as kernel:
                yield kernel, policy

    return running()


def run(kernel: StudentKernel, *sources: str, cell_timeout: float = 20):
    return kernel.run_notebook(notebook(*sources), cell_timeout, 120, output_limit_bytes=4000)


@pytest.fixture
def sandboxed(data_folder):
    with start_kernel(Limits(memory_mb=2048, disk_mb=64), {"public": data_folder}) as (kernel, policy):
        yield kernel, policy


PROBE = r'''
import os, errno
def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return line.split(":", 1)[1].split()
ids = {"uid": os.getuid(), "euid": os.geteuid(), "gid": os.getgid(), "groups": os.getgroups()}
caps = {name: int(status(name)[0], 16) for name in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")}
no_new_privs = status("NoNewPrivs")[0]
root_entries = sorted(os.listdir("/"))
def tree(path):
    try:
        return sorted(os.listdir(path))
    except OSError as err:
        return errno.errorcode[err.errno]
listings = {p: tree(p) for p in ("/root", "/home", "/etc", "/opt/grader", "/data", "/proc")}
exists = {p: os.path.exists(p) for p in ("/etc/shadow", "/var", "/srv", "/mnt", "/sys", "/run")}
pid1 = open("/proc/1/cmdline").read().replace("\0", " ")
'''


@needs_root
def test_the_kernel_runs_as_an_unprivileged_user_with_no_capabilities(sandboxed):
    kernel, policy = sandboxed
    run(kernel, PROBE)
    ids = kernel.value("ids")
    assert ids["uid"] == ids["euid"] == policy.uid != 0
    assert ids["gid"] == policy.uid and ids["groups"] == []
    assert kernel.value("caps") == {"CapInh": 0, "CapPrm": 0, "CapEff": 0, "CapBnd": 0, "CapAmb": 0}
    assert kernel.value("no_new_privs") == "1"


@needs_root
def test_privileged_operations_fail(sandboxed):
    kernel, _ = sandboxed
    result = run(
        kernel,
        "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        # unmount the working folder, remount / read-write, mount a tmpfs over the data
        "umount = libc.umount2(b'/home/student', 2), ctypes.get_errno()\n"
        "remount = libc.mount(None, b'/', None, 32 | 4096, None), ctypes.get_errno()\n"  # MS_REMOUNT|MS_BIND
        "mounted = libc.mount(b'none', b'/data', b'tmpfs', 0, None), ctypes.get_errno()\n",
        "os.setuid(0)",
        "os.chown('/home/student/.tmp', 0, 0)",
    )
    assert kernel.value("umount")[0] == kernel.value("remount")[0] == kernel.value("mounted")[0] == -1
    assert [c.error.split(":")[0] for c in result.cells[1:]] == ["PermissionError", "PermissionError"]


def test_the_kernel_sees_an_allow_list_of_the_host(sandboxed):
    kernel, policy = sandboxed
    run(kernel, PROBE)
    system = [name for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32") if os.path.lexists(f"/{name}")]
    interpreter = {path.parts[1] for path in _interpreter_paths(sys.executable)}
    assert kernel.value("root_entries") == sorted(
        {"content", "data", "dev", "etc", "home", "opt", "proc", "tmp", "usr", *system, *interpreter})
    listings = kernel.value("listings")
    assert listings["/home"] == ["student"]
    assert listings["/data"] == ["public"]
    assert listings["/opt/grader"] == sorted(["zygote.py", *(["site"] if KERNEL_SITE.is_dir() else [])])
    assert "shadow" not in listings["/etc"] and "passwd" in listings["/etc"]
    assert not any(kernel.value("exists").values())
    # the repository (reference solutions, hidden tests, assignments, results) does not exist in
    # there; at most the path to the interpreter's venv passes through it
    in_repo = [p.relative_to(REPO_ROOT).parts[0] for p in _interpreter_paths(sys.executable) if p.is_relative_to(REPO_ROOT)]
    assert kernel.value(f"tree({str(REPO_ROOT)!r})") == (in_repo or "ENOENT")
    for private in ("reference", "assignments", "graders", "reports", ".grader"):
        assert kernel.value(f"os.path.exists({str(REPO_ROOT / private)!r})") is False
    # its pid 1 is forked from the fork server, which bubblewrap started with its options read
    # from a file and its settings from stdin: no host layout in the command line
    assert kernel.value("pid1").split() == [sys.executable, "/opt/grader/zygote.py"]
    # only the sandbox's own processes exist
    assert all(int(p) < 50 for p in listings["/proc"] if p.isdigit())
    assert kernel.value("open('/data/public/readme.txt').read()") == "visible data"


def test_the_host_network_and_sockets_are_out_of_reach(sandboxed, tmp_path):
    kernel, _ = sandboxed
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    abstract.bind(b"\0grader-test-" + str(os.getpid()).encode())
    abstract.listen()
    accepted = []
    threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
    try:
        run(kernel, (
            "import socket\n"
            "def reach(family, address):\n"
            "    try:\n"
            "        with socket.socket(family, socket.SOCK_STREAM) as s:\n"
            "            s.settimeout(3)\n"
            "            s.connect(address)\n"
            "        return 'connected'\n"
            "    except OSError as err:\n"
            "        return type(err).__name__\n"
            f"loopback = reach(socket.AF_INET, ('127.0.0.1', {port}))\n"
            f"abstract = reach(socket.AF_UNIX, b'\\0grader-test-{os.getpid()}')\n"
            "outside = reach(socket.AF_INET, ('1.1.1.1', 53))\n"
        ))
        assert kernel.value("loopback") == "ConnectionRefusedError"
        assert kernel.value("abstract") == "ConnectionRefusedError"
        assert kernel.value("outside") != "connected"
        assert not accepted
    finally:
        server.close()
        abstract.close()


def test_nothing_outside_the_working_folder_is_writable(sandboxed):
    kernel, _ = sandboxed
    targets = [str(Path(sys.prefix) / "pwned"), "/data/public/pwned", "/etc/pwned", "/opt/grader/pwned",
               str(kernel.conn_dir / "pwned"), str(kernel.conn_dir / "kernel.json"),
               str(kernel.conn_dir.parent / "pwned")]
    run(kernel, "results = {}\nfor target in " + repr(targets) + ":\n"
                "    try:\n        open(target, 'a').write('x')\n        results[target] = 'written'\n"
                "    except OSError as err:\n        results[target] = type(err).__name__\n"
                "open('mine.txt', 'w').write('ok')")
    results = kernel.value("results")
    assert "written" not in results.values(), results
    assert kernel.value("open('/home/student/mine.txt').read()") == "ok"
    assert not (Path(sys.prefix) / "pwned").exists() and not (kernel.conn_dir / "pwned").exists()


def test_the_working_folder_has_a_disk_quota(sandboxed):
    kernel, _ = sandboxed  # disk_mb=64; each file is well under the per-file limit
    result = run(kernel, "written = 0\nfor i in range(20):\n"
                         "    with open(f'block{i}', 'wb') as f:\n        f.write(b'x' * 10 * 2**20)\n"
                         "    written += 10")
    assert "No space left on device" in result.cells[0].error
    assert kernel.value("written") < 64


@needs_cgroups
def test_every_process_of_the_kernel_is_held_to_its_cpu_share(data_folder):
    """The quota is the Linux scheduler's to enforce (a throttling count is too noisy to test on
    a shared machine): here, that it is set, and that the kernel and what it spawns are under it."""
    with start_kernel(Limits(memory_mb=2048), {"public": data_folder}, cpus=0.5) as (kernel, policy):
        if policy.cgroup.cpus == 0:
            pytest.skip("no cpu controller for this machine's cgroups")
        run(kernel, "import multiprocessing, time\n"
                    "pool = multiprocessing.Pool(3)\nworkers = [p.pid for p in pool._pool]")
        cpu = policy.cgroup.folders[-1]  # v1: (memory, pids, cpu); v2: one folder
        if policy.cgroup.version == 1:
            assert int((cpu / "cpu.cfs_quota_us").read_text()) * 2 == int((cpu / "cpu.cfs_period_us").read_text())
        else:
            quota, period = (cpu / "cpu.max").read_text().split()
            assert int(quota) * 2 == int(period)
        inside = (cpu / "cgroup.procs").read_text().split()
        assert len(inside) >= 3 + 3  # the server's child, the kernel's init, the kernel, the three pool workers
        kernel.run_code("pool.terminate()", 20)


def test_output_and_answers_are_bounded_grader_side(sandboxed):
    kernel, _ = sandboxed
    result = run(
        kernel,
        "import numpy as np\nbig = np.zeros(20 * 2**20)  # 160 MB as an answer",
        "print('z' * (150 * 2**20))",  # one 150 MB output message
        "for _ in range(100_000):\n    print('y' * 100)",  # 10 MB in many small messages
        "after = 1",
    )
    assert [c.status for c in result.cells] == ["ok", "error", "ok", "ok"]
    assert result.cells[1].error == "an output of this cell was larger than 96 MB and was dropped"
    for cell in result.notebook.cells[1:3]:
        assert sum(len(output.get("text", "")) for output in cell.outputs) < 4100
    with pytest.raises(AnswerRefused, match="the answer is 213 MB; answers are limited to 64 MB"):
        kernel.value("big")
    # an answer sent around the wire's own size check, as a hostile notebook would
    kernel.run_code("from IPython.display import display\nhonest_reply = __grader_wire__._reply\n"
                    "__grader_wire__._reply = lambda payload: display("
                    "{'application/x-grader-reply+json': {'result': 'x' * (200 * 2**20)}}, raw=True)", 20)
    with pytest.raises(KernelError, match="answer was larger than 96 MB and was dropped"):
        kernel.value("1")
    kernel.run_code("__grader_wire__._reply = honest_reply", 20)
    assert kernel.value("after") == 1  # the grader still hears the kernel


def test_an_output_nested_too_deeply_to_read_is_dropped(sandboxed):
    """A message nested deeper than the grader's parser can go (sent from a thread with a big
    stack) would stop the grader's reading; the cell gets a reason and the notebook goes on."""
    kernel, _ = sandboxed
    result = run(
        kernel,
        "import sys, threading\nsys.setrecursionlimit(10**6)\nthreading.stack_size(256 * 2**20)\n"
        "def send():\n    nested = []\n    for _ in range(50_000):\n        nested = [nested]\n"
        "    from IPython.display import display\n    display({'application/json': {'a': nested}}, raw=True)\n"
        "sender = threading.Thread(target=send)\nsender.start()\nsender.join()\nsent = True",
        "after = 1",
    )
    assert [c.status for c in result.cells] == ["error", "ok"]
    assert result.cells[0].error == "an output of this cell was nested too deeply to be read and was dropped"
    assert kernel.value("sent") is True and kernel.value("after") == 1


def test_answers_keep_their_shape_and_builtins_stay_builtins(sandboxed):
    kernel, _ = sandboxed
    run(kernel, "import numpy as np, builtins\nscalar = np.array(3.5)\n"
                "sum = lambda *args: 10**9\nbuiltins.abs = lambda *args: -1\nmax = None")
    scalar = kernel.value("scalar")
    assert isinstance(scalar, np.ndarray) and scalar.shape == () and scalar == 3.5
    assert kernel.value("sum([1, 2, 3]) + abs(-1) + max(1, 2)") == 9


def test_hidden_inputs_reach_the_model_in_a_random_order(sandboxed):
    kernel, _ = sandboxed
    run(kernel, "import numpy as np\nseen = []\n"
                "def model(batch):\n    seen.extend(np.asarray(batch)[:, 0].tolist())\n"
                "    return np.asarray(batch)[:, 0] * 10")
    inputs = np.repeat(np.arange(40.0)[:, None], 3, axis=1)  # sorted, as a class-sorted split would be
    first = kernel.predict("model", inputs, batch_size=8)
    np.testing.assert_array_equal(first, np.arange(40.0) * 10)  # back in the caller's order
    order_1 = kernel.value("seen")
    kernel.run_code("seen.clear()", 10)
    np.testing.assert_array_equal(kernel.predict("model", inputs, batch_size=8), np.arange(40.0) * 10)
    order_2 = kernel.value("seen")
    assert sorted(order_1) == list(np.arange(40.0))
    assert order_1 != sorted(order_1) and order_1 != order_2


def test_nothing_is_left_behind(data_folder):
    with start_kernel(Limits(memory_mb=2048), {"public": data_folder}) as (kernel, policy):
        run(kernel, "import subprocess\nchild = subprocess.Popen(['sleep', '613'], start_new_session=True)")
        group, scratch, uid = policy.cgroup, policy.scratch, policy.uid
    if group is not None:
        assert not any(folder.exists() for folder in group.folders)
    assert not scratch.exists()
    assert not _processes_of(uid, (str(scratch), "sleep 613"))


def _processes_of(uid: int, marks: tuple[str, ...]) -> list[str]:
    """This test's processes still running as `uid` (other runs on the machine may use it too)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return [command for command in found if any(mark in command for mark in marks)]


@pytest.mark.skipif(not os.environ.get("CI"), reason="a check of the CI machine itself")
def test_ci_has_every_protection():
    """In CI (root, bwrap installed by .ci/run) no sandbox test may be skipped for want of a protection."""
    from graders.sandbox import missing_protections

    assert os.geteuid() == 0
    assert missing_protections() == []


def test_an_installed_reference_package_is_hidden(tmp_path, monkeypatch):
    """An instructor who installs the reference solutions into the venv (not editable) puts them
    in a folder the kernel sees: the sandbox covers that folder with an empty one."""
    import importlib.machinery

    from graders import sandbox

    site = Path(sys.prefix) / "lib"  # a folder inside the interpreter's, as site-packages is
    answers = site / "reference"
    spec = importlib.machinery.ModuleSpec("reference", None, is_package=True)
    spec.submodule_search_locations = [str(answers)]
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: spec if name == "reference" else None)
    hidden = sandbox._installed_answers(sandbox._interpreter_paths(sys.executable))
    assert hidden == [answers.resolve()]
    with kernel_scratch(Limits(), cpus=1) as (scratch, group):
        args = sandbox.bwrap_args(SandboxPolicy(scratch, Limits(), cgroup=group), sys.executable)
    assert args[args.index(str(answers.resolve())) - 1] == "--tmpfs"
