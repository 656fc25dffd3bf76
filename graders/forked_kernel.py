"""One forked kernel, host side: the jupyter_client provisioner that has the fork server fork it.

jupyter_client manages a kernel through its provisioner (launch, poll, wait, kill). This one
launches a kernel with one request on the fork server's socket (graders/zygote.py): the kernel's
settings and environment, and this process's stdout and stderr for the kernel to write to. The
server's child for the kernel says who it is (its pid, as the system gives it to this process),
is moved into the kernel's control groups here before it forks anything, and later reports on
the connection how the kernel ended.

The connection stands for the kernel: when it closes (a kill, or this process ending however it
ends), the server kills the kernel and everything it started.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import struct
import time
from pathlib import Path

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

POLL_S = 0.005  # how often `wait` looks for the server's report of the kernel's end


class ForkedKernelProvisioner(LocalProvisioner):
    """For one kernel: `request` is what `sandbox.kernel_request` gives; the server is the one
    listening on `server_socket` (process `server_pid`), which may still be importing."""

    def __init__(self, server_socket: Path, server_pid: int, request: dict, startup_timeout: float, **kwargs):
        super().__init__(**kwargs)
        self.server_socket, self.server_pid = server_socket, server_pid
        self.request, self.startup_timeout = request, startup_timeout
        self.connection: socket.socket | None = None
        self.exit_code: int | None = None
        self._heard = b""

    @property
    def has_process(self) -> bool:
        return self.connection is not None

    async def launch_kernel(self, cmd: list[str], **kwargs) -> KernelConnectionInfo:
        self.exit_code, self._heard = None, b""  # a restart launches again
        connection = await self._connect()
        try:
            connection.settimeout(self.startup_timeout)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
            message = json.dumps({**self.request["kernel"], "env": kwargs["env"]}).encode() + b"\n"
            connection.sendmsg([message], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("2i", 1, 2))])
            self.pid = _forked_pid(connection)
            for procs in self.request["cgroups"]:
                Path(procs).write_text(str(self.pid), encoding="ascii")
            connection.sendall(b"go\n")
            connection.setblocking(False)
        except BaseException:
            connection.close()
            raise
        self.connection = connection
        return self.connection_info

    async def poll(self) -> int | None:
        """None while the kernel runs, else its exit status (0 when none was launched)."""
        if self.connection is None or self.exit_code is not None:
            return self.exit_code or 0
        while not self._heard.endswith(b"\n"):
            try:
                chunk = self.connection.recv(64)
            except BlockingIOError:
                return None
            except OSError:  # reset: as below
                chunk = b""
            if not chunk:  # the server went away without a word: so did its kernels
                self._heard = f"exit {-signal.SIGKILL}\n".encode()
                break
            self._heard += chunk
        self.exit_code = int(self._heard.split()[1])
        return self.exit_code

    async def wait(self) -> int | None:
        if self.connection is None:
            return self.exit_code or 0
        while await self.poll() is None:
            await asyncio.sleep(POLL_S)
        self.connection.close()
        self.connection = None
        return self.exit_code

    async def send_signal(self, signum: int) -> None:
        """The kernel is interrupted by message (its kernelspec says so); the one signal it takes
        is the end."""
        if signum not in (signal.SIGKILL, signal.SIGTERM):
            raise ValueError(f"a forked kernel takes no signal {signal.Signals(signum).name}; interrupt it by message")
        await self.kill()

    async def kill(self, restart: bool = False) -> None:
        """Hang up: the server kills the kernel and everything in its namespaces. Its end is not
        waited for (a kernel holding torch and TensorFlow takes ~35 ms to tear down): the
        system reaps it while the grader goes on, and its control group is emptied beside."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None
            if self.exit_code is None:
                self.exit_code = -signal.SIGKILL

    async def terminate(self, restart: bool = False) -> None:
        await self.kill(restart)

    async def cleanup(self, restart: bool = False) -> None:
        await self.kill()  # the kernel, if still running, goes with its connection
        await super().cleanup(restart)

    async def _connect(self) -> socket.socket:
        """Connect to the server's socket, which exists once the server has loaded its imports."""
        deadline = time.monotonic() + self.startup_timeout
        while True:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                connection.connect(str(self.server_socket))
                return connection
            except (FileNotFoundError, ConnectionRefusedError):
                connection.close()
            try:
                os.kill(self.server_pid, 0)
            except ProcessLookupError:
                raise RuntimeError("the kernel fork server has stopped (see the log)") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"the kernel fork server did not start within {self.startup_timeout:.0f} s")
            await asyncio.sleep(0.02)


def _forked_pid(connection: socket.socket) -> int:
    """The pid of the server's child for this kernel, as the system gives it to this process."""
    _, ancillary, _, _ = connection.recvmsg(4, socket.CMSG_SPACE(struct.calcsize("3i")))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            return struct.unpack("3i", payload[: struct.calcsize("3i")])[0]
    raise RuntimeError("the kernel fork server did not say which process is the kernel's")
