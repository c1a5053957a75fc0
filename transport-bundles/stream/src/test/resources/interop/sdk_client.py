"""Interop client for PythonSdkInteropTest: the Python SDK against a Java stream transport.

argv: sdk_path socket_path digest_hex v1|legacy. Prints READY once subscribed, publishes Sample(7, 8, 9), then
prints GOT a b c for the first Sample the node sends, and exits 0.
"""

import struct
import sys
from dataclasses import dataclass
from typing import ClassVar

sys.path.insert(0, sys.argv[1])

from mycelium import UnixTransport  # noqa: E402


@dataclass
class Sample:
    a: int = 0
    b: int = 0
    c: int = 0
    TYPE_ID: ClassVar[int] = 1001
    SIZE: ClassVar[int] = 16

    def to_bytes(self) -> bytes:
        return struct.pack("<Qii", self.a, self.b, self.c)

    @classmethod
    def from_bytes(cls, payload: bytes) -> "Sample":
        return cls(*struct.unpack("<Qii", payload))


def main() -> None:
    path, digest, mode = sys.argv[2], sys.argv[3], sys.argv[4]
    with UnixTransport(path, digest, legacy=(mode == "legacy"), client_name="interop") as transport:
        sub = transport.subscriber(Sample)
        pub = transport.publisher(Sample)
        print("READY", flush=True)
        pub.publish(Sample(7, 8, 9))
        msg = sub.recv(timeout=10.0)
        print(f"GOT {msg.a} {msg.b} {msg.c}", flush=True)


main()
