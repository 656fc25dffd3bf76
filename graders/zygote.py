"""The kernel fork server: import the kernel's modules once, then fork a fresh kernel per request.

    python zygote.py          (its settings come as one JSON line on stdin)

A fresh Python spends from half a second (ipykernel, NumPy) to ten (torch and TensorFlow) on
imports before a notebook can run; a kernel forked from this server starts with them loaded.
The server runs where a kernel would (in the sandbox, with the kernels' environment), imports,
and answers each request (one connection on its Unix socket, from `forked_kernel.py`) by
forking a kernel that is as fresh as a cold one:

- in the sandbox, it gets namespaces of its own (mount, pid, net, ipc, uts, cgroup): a fresh
  /proc with only its own processes, fresh tmpfs for its working folder, /tmp and /dev/shm, a
  loopback of its own, and of the server's folder only its own connection folder;
- it is moved into its own control groups (by the grader that asked for it, on the host) before it
  forks anything;
- it drops every privilege and sets its limits before a line of the notebook runs: as root, it
  empties the bounding set and becomes the student's uid; in a user namespace, it clears every
  capability; it refuses to go on if any capability is left;
- its environment and working folder are the request's; the grader seeds every generator
  before the notebook runs, as in a cold kernel.

The server itself runs only this file and the imports; nothing of a student reaches it. Its
environment is the kernels' (imports may read it); what varies between kernels (their HOME and
TMPDIR without a sandbox) is set per kernel.

Standard library only until the preloads (the grader's packages are not visible in the sandbox).
"""

import ctypes
import errno
import fcntl
import importlib
import json
import os
import resource
import select
import signal
import socket
import stat
import struct
import sys

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
LAST_CAPABILITY = 63
CAPABILITY_VERSION_3 = 0x20080522

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS = 0x00020000, 0x02000000, 0x04000000
CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = 0x08000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 32, 4096, 16384, 1 << 18
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1

libc = ctypes.CDLL(None, use_errno=True)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


# ---- privileges and limits ----

def drop_privileges(uid: int) -> None:
    """Empty the bounding set and every capability set; as root, also become `uid` (and its
    group, with no others). The uid of a user namespace stays as it is (`uid` 0)."""
    for capability in range(LAST_CAPABILITY + 1):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 and ctypes.get_errno() != errno.EINVAL:
            raise OSError(ctypes.get_errno(), f"cannot drop capability {capability} from the bounding set")
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    if uid:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    nothing = (_CapData * 2)()
    _check(libc.capset(ctypes.byref(_CapHeader(CAPABILITY_VERSION_3, 0)), nothing), "cannot clear the capabilities")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "cannot set no_new_privs")


def capabilities() -> dict[str, int]:
    """The process's capability sets, from /proc/self/status."""
    with open("/proc/self/status", encoding="ascii") as stream:
        fields = dict(line.split(":", 1) for line in stream if line.startswith("Cap"))
    return {name: int(value, 16) for name, value in fields.items()}


def set_limits(limits: dict[str, int]) -> None:
    if limits["address_space"] > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limits["address_space"],) * 2)
    resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"],) * 2)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_size"],) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"],) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# ---- the kernel's own namespaces ----

def _mount(source: str, target: str, kind: str | None, flags: int, options: str | None = None) -> None:
    _check(libc.mount(source.encode(), target.encode(), kind.encode() if kind else None, flags,
                      options.encode() if options else None), f"cannot mount {target}")


def _tmpfs(target: str, megabytes: int, mode: str = "1777") -> None:
    _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, f"size={megabytes * 2**20},mode={mode}")


def _place(path: str, folder: bool) -> None:
    """Make `path` (a folder, or an empty file) and its missing parents, world-readable whatever
    the umask."""
    missing = []
    while not os.path.lexists(path):
        missing.append(path)
        path = os.path.dirname(path)
    for index, made in enumerate(reversed(missing)):
        if folder or index < len(missing) - 1:
            os.mkdir(made)
        else:
            os.close(os.open(made, os.O_CREAT | os.O_WRONLY, 0o644))
        os.chmod(made, 0o755 if folder or index < len(missing) - 1 else 0o644)


def isolate(request: dict, settings: dict) -> None:
    """As pid 1 of the kernel's new namespaces: its own /proc, working folder, /tmp, /dev/shm and
    terminals, its own connection folder alone of the server's, a loopback that is up.

    What the server sees below the fresh folders (its interpreter or datasets, when the host
    keeps them under /tmp) is put back at its place, read-only, from a handle taken before."""
    _mount("none", "/", None, MS_REC | MS_PRIVATE)  # nothing mounted here reaches the server
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    kept = {path: os.open(path, os.O_PATH) for path in settings["kept"]}
    conn = os.open(request["conn_dir"], os.O_PATH | os.O_DIRECTORY)
    _tmpfs("/tmp", settings["tmp_mb"])
    _tmpfs("/dev/shm", settings["shm_mb"])
    _mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620")
    _tmpfs(settings["home"], request["disk_mb"])
    os.mkdir(settings["tmpdir"])
    os.chmod(settings["tmpdir"], 0o1777)
    for path, handle in kept.items():
        _place(path, folder=stat.S_ISDIR(os.fstat(handle).st_mode))
        _mount(f"/proc/self/fd/{handle}", path, None, MS_BIND | MS_REC)
        _mount("none", path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
        os.close(handle)
    # the server's folder (its socket, other kernels' connection folders) is covered; the
    # kernel's own connection folder comes back at its path, where the grader connects to it
    _place(settings["scratch"], folder=True)
    _tmpfs(settings["scratch"], 1, mode="0755")
    _place(request["conn_dir"], folder=True)
    _mount(f"/proc/self/fd/{conn}", request["conn_dir"], None, MS_BIND)
    os.close(conn)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        flags = struct.unpack_from("H", fcntl.ioctl(probe, SIOCGIFFLAGS, struct.pack("16sH", b"lo", 0)), 16)[0]
        fcntl.ioctl(probe, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))


# ---- one request ----

def _receive(connection: socket.socket) -> tuple[dict, list[int]]:
    """The request (one JSON line) and the client's stdout and stderr."""
    data, fds = b"", []
    while not data.endswith(b"\n"):
        chunk, ancillary, _, _ = connection.recvmsg(65536, socket.CMSG_SPACE(2 * 4))
        if not chunk:
            raise EOFError("the client hung up")
        data += chunk
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds += list(struct.unpack(f"{len(payload) // 4}i", payload[: len(payload) // 4 * 4]))
    return json.loads(data), fds


def _send_credentials(connection: socket.socket) -> None:
    """Tell the client who this process is: the kernel passes the pid as the client sees it."""
    credentials = struct.pack("3i", os.getpid(), os.getuid(), os.getgid())
    connection.sendmsg([b"pid\n"], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, credentials)])


def serve_request(connection: socket.socket, settings: dict) -> None:
    """In the server's child: have the client move this process into the kernel's control
    groups, fork the kernel (in new namespaces when sandboxed), report how it ended; kill it if
    the client hangs up (that is how the grader stops a kernel)."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    request, fds = _receive(connection)
    _send_credentials(connection)
    if connection.recv(3) != b"go\n":
        os._exit(1)
    if settings["isolate"]:
        _check(libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP),
               "cannot make the kernel's namespaces")
    child = os.fork()
    if child == 0:
        connection.close()
        if settings["isolate"]:
            run_init(request, fds, settings)
        become_kernel(request, fds, settings)
    for fd in fds:
        os.close(fd)
    watched = os.pidfd_open(child)
    ready, _, _ = select.select([connection, watched], [], [])
    if watched in ready:
        _, status = os.waitpid(child, 0)
        try:
            connection.sendall(f"exit {os.waitstatus_to_exitcode(status)}\n".encode())
        except OSError:  # the client hung up meanwhile
            pass
    else:  # the client hung up: so goes the kernel (and, as its pid 1, all it started)
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    os._exit(0)


def run_init(request: dict, fds: list[int], settings: dict) -> None:
    """Pid 1 of the kernel's namespaces: set them up, fork the kernel, drop every privilege,
    reap orphans until the kernel ends, and end with its status."""
    try:
        isolate(request, settings)
    except OSError as err:
        os.write(fds[1], f"grader: the sandbox could not be set up: {err}\n".encode())
        os._exit(70)
    kernel = os.fork()
    if kernel == 0:
        become_kernel(request, fds, settings)
    os.closerange(3, 1 << 16)  # the client's stdout and stderr among them: the kernel has its copies
    drop_privileges(settings["uid"])
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # the kernel, its child with the same uid, cannot trace it
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(0)
        if pid == kernel:
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def become_kernel(request: dict, fds: list[int], settings: dict) -> None:
    """Give up every privilege, take the request's limits, environment and folder, and run ipykernel."""
    try:
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.closerange(3, 1 << 16)
        os.setsid()  # ipykernel interrupts its own process group
        if settings["isolate"]:
            drop_privileges(settings["uid"])
        set_limits(request["limits"])
        held = {name: hex(value) for name, value in capabilities().items() if value}
        if settings["isolate"] and held:
            raise PermissionError(f"capabilities left after dropping privileges: {held}")
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
    except OSError as err:
        print(f"grader: the kernel could not be started safely: {err}", file=sys.stderr)
        os._exit(70)
    sys.argv = ["kernel", "-f", request["connection_file"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=sys.argv[1:])
    sys.exit(0)


# ---- the server ----

# What ipykernel imports while it starts (its kernel, shell, debugger, history database, the
# interfaces and limits it looks up)
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
                  "IPython.core.history", "IPython.core.debugger", "IPython.core.oinspect", "IPython.core.logger",
                  "IPython.core.completerlib", "IPython.extensions.storemagic", "tornado.queues", "tornado.locks",
                  "tornado.platform.asyncio", "sqlite3", "pdb", "psutil", "faulthandler", "resource")


def preload(modules: list[str]) -> None:
    """Import the assignment's frameworks and its notebook's slow libraries, then ipykernel's modules."""
    # ipykernel loads its debugger (debugpy) wherever debugpy is installed; no grading kernel is
    # debugged, and the import costs the server a tenth of a second and writes warnings to the log
    sys.modules["debugpy"] = None
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as err:  # the notebook's own import will say so, in its cell
            print(f"grader: could not preload {name}: {err}", file=sys.stderr)
    for name in KERNEL_MODULES:
        importlib.import_module(name)


def main() -> None:
    del sys.path[0]  # this file's folder: nothing in it is for the kernels' imports
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # gone with the grader that started it
    settings = json.loads(sys.stdin.readline())
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    preload(settings["preload"])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished children are reaped by the system
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(settings["socket"] + ".new")
    server.listen(8)
    os.rename(settings["socket"] + ".new", settings["socket"])  # clients wait for the name
    sys.stdout.flush()
    sys.stderr.flush()
    while True:
        connection, _ = server.accept()
        if os.fork() == 0:
            server.close()
            serve_request(connection, settings)  # never returns
        connection.close()


if __name__ == "__main__":
    main()
