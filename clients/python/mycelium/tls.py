"""TLS 1.3 for TCP links with the standard library's :mod:`ssl` (docs/transports.md, "TLS").

:class:`TlsOptions` names the PEM files (the CA, this client's certificate chain and its PKCS#8 key, as
``bin/mycelium certs`` writes them); :class:`TlsSocket` runs a TLS session over a connected TCP socket through memory
BIOs, so that a connection's reader thread and its publishers may use it at the same time (an ``ssl.SSLSocket`` may
not be read and written concurrently). The node's certificate must name the node dialled (``server_name``); the
node checks this client's certificate against its own CA.
"""

from __future__ import annotations

import logging
import os
import socket
import ssl
import threading
from dataclasses import dataclass
from typing import Final

from mycelium.errors import TlsFailed

__all__ = ["TlsOptions", "TlsSocket"]

_LOG: Final = logging.getLogger("mycelium.tls")

_RECORD: Final = 16 * 1024 + 512
"""Bytes read from the socket at a time: one full TLS record and its overhead."""

_FIXES: Final = {
    "CERTIFICATE_VERIFY_FAILED": "check that tls ca is the CA that signed the node's certificate, that the "
                                 "certificate names node '{node}' and has not expired (bin/mycelium certs)",
    "SSLV3_ALERT_HANDSHAKE_FAILURE": "the node refused the TLS handshake: it may have no TLS configured (tls.ca, "
                                     "tls.cert, tls.key, or [tls] in its topology)",
    "TLSV13_ALERT_CERTIFICATE_REQUIRED": "the node requires this client's certificate: pass cert and key",
    "SSLV3_ALERT_CERTIFICATE_EXPIRED": "the node refused this client's certificate as expired: renew it "
                                       "(bin/mycelium certs)",
    "SSLV3_ALERT_BAD_CERTIFICATE": "the node refused this client's certificate: check that it is signed by the CA "
                                   "the node trusts (its tls.ca)",
    "SSLV3_ALERT_CERTIFICATE_UNKNOWN": "the node refused this client's certificate: check that it is signed by the "
                                       "CA the node trusts (its tls.ca) and names a node of its topology",
    "TLSV1_ALERT_UNKNOWN_CA": "the node does not trust the CA of this client's certificate (its tls.ca differs)",
    "WRONG_VERSION_NUMBER": "the node answered in plaintext: it has no TLS configured",
}


@dataclass(frozen=True)
class TlsOptions:
    """PEM files of a TLS client: ``ca`` (the CA certificate that signs nodes' certificates), ``cert`` (this
    client's certificate chain) and ``key`` (its private key). A node admits a client whose certificate names a node
    of its topology (the client acts for that node) or the name the client sends in its HELLO.
    """

    ca: str | os.PathLike[str]
    cert: str | os.PathLike[str]
    key: str | os.PathLike[str]

    def context(self) -> ssl.SSLContext:
        """A client context: TLS 1.3 only, the server's certificate checked against ``ca`` and its name."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        try:
            context.load_verify_locations(cafile=os.fspath(self.ca))
        except (OSError, ssl.SSLError) as error:
            raise TlsFailed(f"cannot read the TLS CA certificate {os.fspath(self.ca)}: {error}. Fix: pass the "
                            f"ca.pem that bin/mycelium certs wrote") from error
        try:
            context.load_cert_chain(certfile=os.fspath(self.cert), keyfile=os.fspath(self.key))
        except (OSError, ssl.SSLError) as error:
            raise TlsFailed(f"cannot read the TLS certificate {os.fspath(self.cert)} with key "
                            f"{os.fspath(self.key)}: {error}. Fix: pass a <node>.pem and the <node>.key written "
                            f"with it") from error
        return context


def describe(error: ssl.SSLError, server_name: str, server: str) -> str:
    """One sentence on a failed TLS session with node ``server_name`` at ``server``: what and how to fix it."""
    reason = getattr(error, "reason", None) or ""
    detail = getattr(error, "verify_message", None) or str(error)
    fix = _FIXES.get(reason, "see the node's log for its side").format(node=server_name)
    return f"TLS with node '{server_name}' at {server} failed: {detail}; {fix}"


class TlsSocket:
    """A TLS session over a connected, blocking TCP socket; the subset of the socket API the SDK uses.

    Thread-safe: one thread may be in :meth:`recv` while others :meth:`sendall`; records leave in the order they
    were encrypted. The socket's timeout bounds each raw read and write.
    """

    def __init__(self, sock: socket.socket, context: ssl.SSLContext, server_name: str | None, server: str,
                 server_side: bool = False) -> None:
        self._sock = sock
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._incoming, self._outgoing, server_side=server_side,
                                     server_hostname=server_name)
        self._server_name = server_name or "client"
        self._server = server
        self._lock = threading.Lock()  # the SSL object and the BIOs
        self._send_lock = threading.Lock()  # order of records on the socket

    @property
    def protocol(self) -> str | None:
        """The TLS version in use, e.g. ``TLSv1.3`` (None before the handshake)."""
        return self._tls.version()

    def handshake(self) -> None:
        """Run the TLS handshake; TlsFailed says why it failed and what to fix."""
        while True:
            try:
                with self._lock:
                    self._tls.do_handshake()
                self._flush()
                return
            except ssl.SSLWantReadError:
                self._flush()
                try:
                    filled = self._fill()
                except TimeoutError as error:
                    raise TlsFailed(f"TLS with node '{self._server_name}' at {self._server} failed: no TLS answer "
                                    f"within {self._sock.gettimeout()} s; the node may not speak TLS there (no "
                                    f"tls.ca in its configuration)") from error
                if not filled:
                    raise TlsFailed(f"TLS with node '{self._server_name}' at {self._server} failed: the node closed "
                                    f"the connection during the TLS handshake; it may not speak TLS there, or it "
                                    f"refused this client's certificate (see the node's log)") from None
            except ssl.SSLError as error:
                self._flush_quietly()
                raise TlsFailed(describe(error, self._server_name, self._server)) from error

    def recv(self, size: int) -> bytes:
        """Up to ``size`` bytes of plaintext; ``b""`` at the end of the stream."""
        while True:
            try:
                with self._lock:
                    data = self._tls.read(size)
                    answer = self._outgoing.pending > 0
            except ssl.SSLWantReadError:
                data = b""
                answer = self._outgoing.pending > 0
            except ssl.SSLZeroReturnError:
                return b""
            except ssl.SSLError as error:
                raise TlsFailed(describe(error, self._server_name, self._server)) from error
            if answer:
                self._flush()  # a post-handshake answer (TLS 1.3 KeyUpdate)
            if data:
                return data
            if not self._fill():
                return b""

    def sendall(self, data: bytes | bytearray | memoryview) -> None:
        """Encrypt and send every byte of ``data``."""
        with self._send_lock:
            with self._lock:
                self._tls.write(data)
                out = self._outgoing.read()
            self._sock.sendall(out)

    def settimeout(self, timeout: float | None) -> None:
        self._sock.settimeout(timeout)

    def gettimeout(self) -> float | None:
        return self._sock.gettimeout()

    def shutdown(self, how: int) -> None:
        self._sock.shutdown(how)

    def close(self) -> None:
        self._sock.close()

    def fileno(self) -> int:
        return self._sock.fileno()

    def _fill(self) -> bool:
        """Read raw bytes into the TLS object; False at the end of the stream."""
        raw = self._sock.recv(_RECORD)
        if not raw:
            return False
        with self._lock:
            self._incoming.write(raw)
        return True

    def _flush(self) -> None:
        with self._send_lock:
            with self._lock:
                out = self._outgoing.read()
            if out:
                self._sock.sendall(out)

    def _flush_quietly(self) -> None:
        """Send the alert a failed handshake prepared, if the socket still takes it (the failure is raised anyway)."""
        try:
            self._flush()
        except OSError as error:
            _LOG.debug("could not send the TLS alert to %s: %s", self._server, error)
