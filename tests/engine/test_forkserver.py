"""Kernels forked from one warm server are as separate as kernels started cold: two of them
running at once (a worker's current kernel and its spare) see nothing of each other or of the
server; a kernel the grader hangs up on goes with everything it started, and one that ends by
itself is seen to end, with its status."""

from __future__ import annotations

import os
import time
from contextlib import ExitStack

import pytest

from graders import forkserver
from graders.kernel import StudentKernel
from graders.sandbox import Mount, SandboxPolicy, bwrap_works, kernel_scratch
from graders.spec import Limits
from tests.engine.toy import notebook

pytestmark = pytest.mark.skipif(not bwrap_works() and not os.environ.get("CI"), reason="bubblewrap cannot run here")

ENV = {"PATH": "/usr/bin:/bin", "HOME": "/home/student", "TMPDIR": "/home/student/.tmp", "LANG": "C.UTF-8"}


def kernels(stack: ExitStack, count: int, cgroups: bool = True, preload: tuple[str, ...] = ()) -> list[StudentKernel]:
    """`count` kernels of one shape (so from one server), all running."""
    started = []
    for _ in range(count):
        scratch, group = stack.enter_context(kernel_scratch(Limits(), cpus=1))
        policy = SandboxPolicy(scratch, Limits(), cgroup=group if cgroups else None)
        started.append(stack.enter_context(StudentKernel(policy, ENV, preload=preload)))
    return started


def run(kernel: StudentKernel, source: str) -> None:
    result = kernel.run_notebook(notebook(source), 30, 60, output_limit_bytes=4000)
    assert [cell.status for cell in result.cells] == ["ok"], result.cells


PLANT = r'''
import os, pty, socket, subprocess
terminal = pty.openpty()
open("/home/student/mine", "w").write("a")
open("/tmp/mine", "w").write("a")
open("/dev/shm/mine", "w").write("a")
sleeper = subprocess.Popen(["sleep", "617"], start_new_session=True)
abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
abstract.bind(b"\0kernel-a")
abstract.listen()
server = socket.create_server(("127.0.0.1", 0))
port = server.getsockname()[1]
'''

PROBE = r'''
import os, socket
def reach(family, address):
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(3)
            s.connect(address)
        return "connected"
    except OSError as err:
        return type(err).__name__
def commands():
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            found.append(open(f"/proc/{pid}/cmdline").read().replace("\0", " ").strip())
        except OSError:
            pass
    return found
'''


def test_two_kernels_of_one_server_see_nothing_of_each_other():
    with ExitStack() as stack:
        first, second = kernels(stack, 2)
        assert first._server is second._server  # one server forked both
        run(first, PLANT)
        port = first.value("port")
        run(second, PROBE)
        assert second.value("os.getpid()") == first.value("os.getpid()") == 2  # each is alone in its own pid space
        assert not any("sleep 617" in command for command in second.value("commands()"))
        assert second.value("sorted(os.listdir('/home/student'))") == [".ipython", ".tmp"]
        assert second.value("[os.path.exists(p) for p in ('/tmp/mine', '/dev/shm/mine', '/home/student/mine')]") \
            == [False, False, False]
        assert first.value("os.listdir('/dev/pts')") != ["ptmx"] and second.value("os.listdir('/dev/pts')") == ["ptmx"]
        assert second.value("reach(socket.AF_UNIX, b'\\0kernel-a')") == "ConnectionRefusedError"
        assert second.value(f"reach(socket.AF_INET, ('127.0.0.1', {port}))") == "ConnectionRefusedError"
        # of the server's folder, each kernel sees its own connection folder alone
        for path in (first.conn_dir, first._server.socket):
            assert second.value(f"os.path.exists({str(path)!r})") is False
        assert second.value(f"os.path.isdir({str(second.conn_dir)!r})") is True
        assert first.value("open('/home/student/mine').read()") == "a"  # the first kept its own


def test_a_kernel_the_grader_hangs_up_on_ends_with_all_it_started():
    """Stopping a kernel is closing its connection to the server; without a control group to
    empty, the kernel's pid namespace takes everything with it."""
    with ExitStack() as stack:
        (kernel,) = kernels(stack, 1, cgroups=False)
        run(kernel, "import subprocess\nsleeper = subprocess.Popen(['sleep', '619'], start_new_session=True)")
        kernel.shutdown()
    deadline = time.monotonic() + 10
    while _running("sleep 619") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running("sleep 619")


def test_a_kernel_that_ends_by_itself_is_seen_to_end_with_its_status():
    with ExitStack() as stack:
        (kernel,) = kernels(stack, 1)
        result = kernel.run_notebook(notebook("import os\nos._exit(3)"), 30, 60, output_limit_bytes=4000)
        assert [cell.status for cell in result.cells] == ["dead"]
        assert not kernel.alive
        assert kernel._km.provisioner.exit_code == 3


def _running(command: str) -> bool:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as stream:
                if stream.read().replace(b"\0", b" ").strip().decode() == command:
                    return True
        except OSError:
            continue
    return False


def test_the_server_imports_before_the_notebook_and_a_dead_one_is_replaced():
    with ExitStack() as stack:
        (kernel,) = kernels(stack, 1, preload=("json",))
        server = kernel._server
        run(kernel, "import sys\nloaded = 'ipykernel.ipkernel' in sys.modules\n"
                    "debugger = [name for name in sys.modules if 'pydev' in name or name.startswith('debugpy.')]")
        assert kernel.value("loaded") is True
        assert kernel.value("debugger") == []  # ipykernel's debugger is never loaded: nobody debugs a grading kernel
    server.process.kill()
    server.process.wait()
    with ExitStack() as stack:
        (kernel,) = kernels(stack, 1, preload=("json",))
        assert kernel._server is not server
        assert kernel.value("1 + 1") == 2
    assert not server.scratch.exists()


def test_a_kernel_draws_with_the_matplotlib_its_server_imported():
    """matplotlib imported before the fork (an assignment whose notebook imports it) works in the
    forked kernel: pyplot draws and saves a figure in the kernel's own home."""
    with ExitStack() as stack:
        (kernel,) = kernels(stack, 1, preload=("numpy", "matplotlib.pyplot"))
        run(kernel, "import sys\nbefore = 'matplotlib.pyplot' in sys.modules\nimport matplotlib.pyplot as plt\n"
                    "figure = plt.figure()\nplt.plot([0, 1], [1, 0])\nfigure.savefig('figure.png')\n"
                    "import os\nsize = os.path.getsize('figure.png')")
        assert kernel.value("before") is True and kernel.value("size") > 1000


def test_the_kernel_cannot_reach_the_server():
    """The server's socket is covered in the kernel's namespaces, and a connection from the
    outside is all the server answers: nothing the kernel can name reaches it."""
    with ExitStack() as stack:
        (kernel,) = kernels(stack, 1)
        run(kernel, PROBE)
        assert kernel.value(f"reach(socket.AF_UNIX, {str(kernel._server.socket)!r})") == "FileNotFoundError"
        assert len(kernel.value("commands()")) == 2  # its pid 1 and itself: the server is not in view
        # nor can it take over its pid 1 (forked from the server, with the kernel's uid)
        run(kernel, "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                    "traced = libc.ptrace(16, 1, 0, 0), ctypes.get_errno()\n"  # PTRACE_ATTACH
                    "try:\n    environ = open('/proc/1/environ', 'rb').read()\nexcept OSError as err:\n"
                    "    environ = type(err).__name__")
        assert kernel.value("traced") == [-1, 1] and kernel.value("environ") == "PermissionError"  # EPERM


def test_servers_are_shared_by_shape_and_idle_ones_are_stopped():
    forkserver.stop_all()
    with ExitStack() as stack:
        kernels(stack, 2)
        assert len(forkserver._servers) == 1
    for index in range(forkserver.KEPT + 1):  # a new shape each time: the oldest idle one goes
        with ExitStack() as stack:
            scratch, group = stack.enter_context(kernel_scratch(Limits(), cpus=1))
            policy = SandboxPolicy(scratch, Limits(), cgroup=group)
            stack.enter_context(StudentKernel(policy, {**ENV, "SHAPE": str(index)}))
    assert len(forkserver._servers) == forkserver.KEPT
    assert all(server.alive for server in forkserver._servers.values())


def test_what_the_host_keeps_under_tmp_stays_in_view_read_only(tmp_path):
    """A folder the kernel is given below a folder it gets afresh (the weights, a venv under
    /tmp) is put back in its fresh /tmp, read-only."""
    weights = tmp_path / "weights"
    weights.mkdir()
    (weights / "model.pth").write_text("weights")
    with ExitStack() as stack:
        scratch, group = stack.enter_context(kernel_scratch(Limits(), cpus=1))
        policy = SandboxPolicy(scratch, Limits(), data=(Mount(weights, str(weights)),), cgroup=group)
        kernel = stack.enter_context(StudentKernel(policy, ENV))
        assert str(weights).startswith("/tmp/")
        run(kernel, f"import os\nfolder = {str(weights)!r}\ncontent = open(folder + '/model.pth').read()\n"
                    "try:\n    open(folder + '/new', 'w')\n    wrote = True\nexcept OSError:\n    wrote = False")
        assert kernel.value("content") == "weights" and kernel.value("wrote") is False
        # of the host's /tmp, only the ways to the weights and to its own connection folder
        assert sorted(kernel.value("os.listdir('/tmp')")) == sorted(
            {str(weights).split("/")[2], str(kernel.conn_dir).split("/")[2]})
