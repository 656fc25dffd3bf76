"""No network for the notebook: every host name lookup except this machine's raises OfflineError.

Every way Python connects by name (urllib, http.client, requests/urllib3, asyncio) resolves the
name with `socket.getaddrinfo` first, so that is where it stops, before any packet is sent, with
a message that says why and where the data is. (The sandbox also has no network device; this
makes the error readable, and stops real downloads where the sandbox is off.)
"""

from __future__ import annotations

import ipaddress
import socket

from grader_offline.offline import no_network

_LOCAL_NAMES = frozenset({"", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def is_local(host: str | bytes | None) -> bool:
    """True for this machine: no host, `localhost`, or a loopback address."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = host.strip("[]").lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def block_remote_hosts() -> None:
    lookup = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if not is_local(host):
            raise no_network(host if isinstance(host, str) else repr(host))
        return lookup(host, port, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
