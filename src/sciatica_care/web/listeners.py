"""With several app processes, each listens on a socket of its own (Linux ``SO_REUSEPORT``).

uvicorn's supervisor binds one socket and every worker process listens on it. The first process
to wake then takes every connection waiting at once: a client that opens its connections
together (a proxy filling its pool, a load test) found 32 of them split 3/29, 7/25 or 13/19
between two processes, and the busier process's queue set the slowest answers. A proxy cannot
even them out later: keep-alive connections stay where they were accepted.

Here the supervisor holds a reservation of the address instead: a socket bound with
``SO_REUSEPORT`` that never listens, so no connection waits on it, and no other user's process
can take the port (Linux lets only the same user join a ``SO_REUSEPORT`` group). Each worker
process, when it starts and whenever the supervisor starts it again, is handed a socket of its
own bound to the same address in the reservation's place (the reservation pickles as "bind a
new one"), and the kernel spreads new connections over the listening sockets by a hash of
their addresses (https://lwn.net/Articles/542629/). The split of 32 connections then measured
11/21 to 16/16. A process that stops takes its socket with it; new connections go to the
others. Used on Linux with a fixed port only; elsewhere (and with port 0, which would give every
process another port) the processes share uvicorn's one socket as before.
"""

from __future__ import annotations

import socket
import sys


def own_sockets_possible(port: int) -> bool:
    """Whether each process can have a socket of its own on this port, here."""
    return sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT") and port != 0


#: A socket's address as ``getsockname`` gives it (IPv6 adds flow and scope).
Address = tuple[str, int] | tuple[str, int, int, int]


def _bound(address: Address, sock: socket.socket) -> socket.socket:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def own_socket(family: int, address: Address) -> socket.socket:
    """A worker process's socket: bound to ``address`` beside its siblings' (it listens once
    uvicorn serves on it)."""
    return _bound(address, socket.socket(family, socket.SOCK_STREAM))


class Reservation(socket.socket):
    """The supervisor's socket: bound, never listening. Handed to a worker process (pickled for
    it), it becomes that process's :func:`own_socket` on the same address."""

    def __reduce__(self) -> tuple[object, tuple[int, Address]]:
        address: Address = self.getsockname()
        return own_socket, (int(self.family), address)


def reserve(host: str, port: int) -> Reservation:
    """Reserve ``host:port`` for the app's processes (OSError if it is taken)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    reservation = Reservation(family, socket.SOCK_STREAM)
    try:
        _bound((host, port), reservation)
    except OSError:
        reservation.close()
        raise
    return reservation
