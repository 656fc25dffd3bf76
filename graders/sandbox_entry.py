"""The first program inside the sandbox: take away every privilege, set the limits, become the kernel.

    python -I entry.py LIMITS_JSON -- KERNEL_COMMAND...

Standard library only (the grader's packages are not visible in the sandbox). When it starts
as root (the grader runs as root), it empties the capability bounding set and switches to the
student's own unprivileged uid and gid, which clears every capability; it refuses to start
the kernel if any capability is left.
"""

import ctypes
import errno
import json
import os
import resource
import sys

PR_CAPBSET_DROP = 24
LAST_CAPABILITY = 63
CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_privileges(uid: int) -> None:
    """Empty the bounding set, become `uid` (which clears the effective and permitted sets),
    then clear the inheritable set too."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in range(LAST_CAPABILITY + 1):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0 and ctypes.get_errno() != errno.EINVAL:
            raise OSError(ctypes.get_errno(), f"cannot drop capability {capability} from the bounding set")
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    nothing = (_CapData * 2)()
    if libc.capset(ctypes.byref(_CapHeader(CAPABILITY_VERSION_3, 0)), nothing) != 0:
        raise OSError(ctypes.get_errno(), "cannot clear the inheritable capabilities")


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


def main() -> None:
    limits = json.loads(sys.argv[1])
    command = sys.argv[sys.argv.index("--") + 1 :]
    sandboxed = bool(limits["uid"])  # 0: no sandbox, only the limits apply
    dropped = sandboxed and os.getuid() == 0
    if dropped:
        drop_privileges(limits["uid"])
    set_limits(limits)
    held = {name: hex(value) for name, value in capabilities().items() if value and (name != "CapBnd" or dropped)}
    if sandboxed and held:
        sys.exit(f"sandbox: capabilities left after dropping privileges: {held}")
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
