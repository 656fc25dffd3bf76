"""A kernel's command for jupyter_client: have the fork server fork the kernel, and stand for it.

    python -I -S forkserver_client.py REQUEST.json

It runs on the host and uses the standard library only. It sends the server the kernel's
request, the environment it was started with (the kernel's) and its own stdout and stderr
(the kernel writes there), moves the forked process into the kernel's control groups before
that process forks anything, then waits: it ends with the kernel's exit status, and when it
is killed (jupyter_client stops a kernel by killing its process) the server kills the kernel.
"""

import json
import os
import socket
import struct
import sys
import time


def connect(path: str, server_pid: int, timeout: float) -> socket.socket:
    """Connect to the server's socket, which exists once the server has loaded its imports."""
    deadline = time.monotonic() + timeout
    while True:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            client.connect(path)
            return client
        except (FileNotFoundError, ConnectionRefusedError):
            client.close()
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            sys.exit("grader: the kernel fork server has stopped")
        if time.monotonic() > deadline:
            sys.exit(f"grader: the kernel fork server did not start within {timeout:.0f} s")
        time.sleep(0.02)


def forked_pid(server: socket.socket) -> int:
    """The pid of the server's child for this kernel, as the system gives it to this process."""
    _, ancillary, _, _ = server.recvmsg(4, socket.CMSG_SPACE(struct.calcsize("3i")))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            return struct.unpack("3i", payload[: struct.calcsize("3i")])[0]
    sys.exit("grader: the kernel fork server did not say which process is the kernel's")


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as stream:
        request = json.load(stream)
    server = connect(request["socket"], request["server_pid"], request["startup_timeout"])
    server.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    message = json.dumps({**request["kernel"], "env": dict(os.environ)}).encode() + b"\n"
    server.sendmsg([message], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("2i", 1, 2))])
    pid = forked_pid(server)
    for procs in request["cgroups"]:
        with open(procs, "w", encoding="ascii") as stream:
            stream.write(str(pid))
    server.sendall(b"go\n")
    reply = b""
    while not reply.endswith(b"\n"):
        chunk = server.recv(64)
        if not chunk:
            sys.exit("grader: the kernel fork server went away")
        reply += chunk
    sys.exit(int(reply.split()[1]))


if __name__ == "__main__":
    main()
