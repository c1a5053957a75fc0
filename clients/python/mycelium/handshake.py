"""The client side of the connection handshakes (docs/wire.md §5) over a connected blocking socket.

:func:`handshake_v1` sends a HELLO and reads the ACCEPT or REJECT; :func:`handshake_legacy` sends the original
Mycelium's 34-byte handshake, which a server never answers. Errors are ``ConnectionError``\\ s that name the server.
"""

from __future__ import annotations

import socket

from mycelium import wire

__all__ = ["HandshakeFailed", "HandshakeRejected", "handshake_legacy", "handshake_v1"]


class HandshakeFailed(wire.HandshakeError, ConnectionError):
    """The handshake did not complete: the server closed, timed out or sent a malformed reply.

    ``field`` names the wire field at fault (``length`` for a connection that ended early).
    """


class HandshakeRejected(HandshakeFailed):
    """The server answered the HELLO with a REJECT; ``reject`` holds it (reason, text and both digests).

    For ``DIGEST_MISMATCH`` the message shows the client's and the server's schema digest in hex: regenerate the
    message classes from the server's contracts.yaml (or deploy the client's) so that both sides agree.
    """

    @property
    def reason(self) -> wire.RejectReason:
        """The server's reason (UNKNOWN for a code this client does not know)."""
        return self.reject_reason


def _closed_during_handshake(server: str, received: int) -> HandshakeFailed:
    return HandshakeFailed(
        "length", wire.RejectReason.MALFORMED,
        f"server {server} closed during handshake (a legacy server? an original Mycelium server never answers the "
        f"v1 HELLO and drops it; connect with legacy=True) after sending {received} bytes of its reply")


def handshake_v1(sock: socket.socket, digest: bytes, client_name: str, server: str) -> wire.Accept:
    """Send a HELLO with ``digest`` and ``client_name`` and return the server's ACCEPT.

    The socket's timeout bounds each read. Raises HandshakeRejected for a REJECT, HandshakeFailed when the server
    closes (a legacy server?), does not answer in time, or answers with a malformed reply.
    """
    hello = wire.encode_handshake(wire.Hello(digest=digest, name=client_name))
    received = 0
    ended = False

    def read_exactly(count: int) -> bytes:
        nonlocal received, ended
        chunks = bytearray()
        while len(chunks) < count:
            try:
                chunk = sock.recv(count - len(chunks))
            except socket.timeout as error:
                raise HandshakeFailed(
                    "length", wire.RejectReason.MALFORMED,
                    f"server {server} sent no complete handshake reply within {sock.gettimeout()} s (got "
                    f"{received + len(chunks)} bytes); it may not be a Mycelium node, or it is overloaded "
                    f"(raise connect_timeout)") from error
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                ended = True
                break
            chunks += chunk
        received += len(chunks)
        return bytes(chunks)

    try:
        sock.sendall(hello)
    except (BrokenPipeError, ConnectionResetError) as error:
        raise _closed_during_handshake(server, 0) from error
    try:
        return wire.read_reply(read_exactly, server)
    except HandshakeFailed:
        raise
    except wire.HandshakeError as error:
        if error.reject is not None:
            raise HandshakeRejected(error.field, error.reject_reason, str(error), error.reject) from None
        if ended:
            raise _closed_during_handshake(server, received) from error
        raise HandshakeFailed(error.field, error.reject_reason,
                              f"server {server} sent a malformed handshake reply: {error}") from error


def handshake_legacy(sock: socket.socket, digest: bytes, server: str) -> None:
    """Send the original Mycelium's handshake (``20 00`` + digest); the server never answers it.

    A legacy server that disagrees on the digest just closes the connection, which the reader then reports.
    """
    try:
        sock.sendall(wire.encode_legacy_handshake(digest))
    except OSError as error:
        raise HandshakeFailed("length", wire.RejectReason.MALFORMED,
                              f"server {server} closed the connection during the legacy handshake: {error}") from error
