"""Kernel fork servers, host side: one per sandbox shape, started on first use, kept warm.

A kernel's process is forked from a server (`zygote.py`) that has already imported ipykernel,
the assignment's frameworks and its notebook's slow libraries, in a sandbox like the kernel's
own; jupyter_client asks the server for each kernel through `forked_kernel.py`. Servers are
keyed by everything their sandbox and imports depend on (the interpreter, datasets, uid, GPU,
environment, preloads), so a worker's kernels share one server; one that died is started again,
and the least recently used idle one is stopped when more are running than `KEPT`.
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import subprocess
import sys
import threading
from pathlib import Path

from graders import sandbox
from graders.sandbox import SandboxPolicy

KEPT = 4  # servers kept running in one process (a worker needs one; tests start several)
PER_KERNEL_ENV = ("HOME", "TMPDIR")  # the kernel's own folders without a sandbox: set per kernel


class ForkServer:
    def __init__(self, policy: SandboxPolicy, env: dict[str, str], preload: tuple[str, ...], python: str):
        self.scratch = sandbox.new_scratch()
        self.policy = dataclasses.replace(policy, scratch=self.scratch, cgroup=None)  # the server's sandbox
        self.env = env
        self.preload = preload
        self.python = python
        self.kernels = self.scratch / "kernels"  # each kernel's connection folder
        self.socket = self.scratch / "server" / "socket"
        self.live = 0  # kernels started from it and not shut down yet
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.kernels.mkdir(mode=0o755)
        self.socket.parent.mkdir(mode=0o700)
        plan, settings = sandbox.prepare_server(self.policy, self.socket, self.preload, self.python)
        # without a sandbox, the folders a kernel has of its own are the server's own folder for it
        own = {} if self.policy.sandboxed else {name: str(self.scratch) for name in PER_KERNEL_ENV if name in self.env}
        self.process = subprocess.Popen([self.python, str(sandbox.LAUNCHER), str(plan)], stdin=subprocess.PIPE,
                                        env={**self.env, **own}, cwd=self.scratch, start_new_session=True)
        self.process.stdin.write(json.dumps(settings).encode() + b"\n")
        self.process.stdin.close()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kernel_request(self, policy: SandboxPolicy) -> tuple[dict, Path]:
        """What to ask this server for a kernel of `policy` (see `forked_kernel.py`), and the
        kernel's connection folder (in the server's folder: the only place both can reach)."""
        conn_dir = self.kernels / policy.scratch.name
        conn_dir.mkdir(mode=0o755)
        self.live += 1
        return sandbox.kernel_request(policy, conn_dir), conn_dir

    def kernel_ended(self, conn_dir: Path) -> None:
        self.live -= 1
        sandbox.remove_conn_dir(conn_dir)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        sandbox.remove_scratch(self.scratch)


_servers: dict[tuple, ForkServer] = {}  # in order of use, the most recent last
_lock = threading.Lock()


def server_for(policy: SandboxPolicy, env: dict[str, str], preload: tuple[str, ...],
               python: str = sys.executable) -> ForkServer:
    """A running server for kernels of this shape (started now if there is none)."""
    shared_env = {name: value for name, value in env.items() if name not in PER_KERNEL_ENV}
    key = (python, policy.sandboxed, policy.data, policy.gpu, policy.slot, tuple(sorted(shared_env.items())), preload)
    with _lock:
        server = _servers.pop(key, None)
        if server is not None and not server.alive:
            server.stop()
            server = None
        if server is None:
            idle = [k for k, s in _servers.items() if s.live == 0]
            for old in idle[: max(0, len(_servers) + 1 - KEPT)]:
                _servers.pop(old).stop()
            server = ForkServer(policy, env, preload, python)
            server.start()
        _servers[key] = server
        return server


def stop_all() -> None:
    with _lock:
        while _servers:
            _servers.popitem()[1].stop()


atexit.register(stop_all)
