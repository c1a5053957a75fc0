"""The Python SDK client side of PythonClientLatencyHarness: ping-pong of 64-byte frames with a Java echo node.

Usage: sdk_pingpong.py unix|shm PATH DIGEST_HEX ROUNDS WARMUP; the environment variables SHM_SPIN_MICROS and
SHM_YIELD_MICROS set ShmTransport's reader waiting (default: the SDK's).

Publishes PING (type 1001, 64 bytes, a sequence number first) and waits for the echoed PONG (type 1002) with
``Subscriber.recv``: one round trip through the whole SDK both ways (publish, the transport, the node's link and
bus, the echo, back through the SDK's reader thread and subscriber queue). Prints one ``RESULT <json>`` line per
percentile of the one-way latency (round trip / 2) in the contract of ``bin/mycelium bench``.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import time
from typing import ClassVar

from mycelium import ShmTransport, UnixTransport
from mycelium.shmring import atomics_implementation

SIZE = 64


class Ping:
    TYPE_ID: ClassVar[int] = 1001
    SIZE: ClassVar[int] = SIZE

    def __init__(self, seq: int = 0) -> None:
        self.seq = seq

    def to_bytes(self) -> bytes:
        return struct.pack("<Q56x", self.seq)

    @classmethod
    def from_bytes(cls, payload: bytes) -> "Ping":
        return cls(struct.unpack_from("<Q", payload)[0])


class Pong(Ping):
    TYPE_ID: ClassVar[int] = 1002


def main() -> None:
    kind, path, digest, rounds, warmup = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    waiting = {option: int(os.environ[variable]) for option, variable in
               (("spin_micros", "SHM_SPIN_MICROS"), ("yield_micros", "SHM_YIELD_MICROS")) if variable in os.environ}
    transport = ShmTransport(path, digest, **waiting) if kind == "shm" else UnixTransport(path, digest)
    with transport:
        subscriber = transport.subscriber(Pong)
        publisher = transport.publisher(Ping)
        deadline = time.monotonic() + 30
        while transport.stats().peer_interest is None or Ping.TYPE_ID not in transport.stats().peer_interest:
            if time.monotonic() > deadline:
                raise SystemExit("the echo node never subscribed to PING")
            time.sleep(0.01)
        samples = []
        clock = time.perf_counter_ns
        for index in range(warmup + rounds):
            started = clock()
            publisher.publish(Ping(index))
            pong = subscriber.recv(timeout=10)
            took = clock() - started
            if pong.seq != index:
                raise SystemExit(f"PONG {pong.seq} for PING {index}: a frame was lost or reordered")
            if index >= warmup:
                samples.append(took // 2)
    samples.sort()
    label = f"python-sdk-{'uds' if kind == 'unix' else 'shm'}"
    params = {"transport": kind, "payload_bytes": SIZE, "rounds": rounds, "client": "python-sdk",
              "atomics": atomics_implementation() if kind == "shm" else "n/a", **waiting}
    for metric, quantile in (("p50_ns", 0.50), ("p99_ns", 0.99), ("p999_ns", 0.999)):
        value = samples[min(len(samples) - 1, int(len(samples) * quantile))]
        print("RESULT " + json.dumps({"suite": "transport", "name": f"{label}-one-way-64", "metric": metric,
                                      "value": float(value), "unit": "ns", "params": params}), flush=True)


if __name__ == "__main__":
    main()
