"""An out-of-process Python SDK client of a node's shm endpoint, for PythonShmClientIT.

Usage: py_shm_client.py direct|topology SDK_DIR PROTOCOL_DIR SHM_PATH|TOPOLOGY COUNT

direct: ShmTransport(SHM_PATH); topology: MessageBus.from_topology(TOPOLOGY, "py-client"). Either way it receives
one MarketData the node's feed publishes, then publishes COUNT sequence-numbered messages (CounterUpdate for direct,
TextMessage for topology) that the node's java-recorder counts, pings the node, and closes (GOODBYE).
"""

import sys

mode, sdk, protocol, where, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
sys.path[:0] = [sdk, protocol]

from mycelium import MessageBus, ShmTransport  # noqa: E402
from mycelium.shmring import atomics_implementation  # noqa: E402
from mycelium_protocol import SCHEMA_DIGEST  # noqa: E402
from mycelium_protocol.messages import CounterUpdate, MarketData, TextMessage  # noqa: E402

print("atomics", atomics_implementation(), flush=True)
if mode == "direct":
    with ShmTransport(where, SCHEMA_DIGEST, client_name="py-shm-direct") as transport:
        market = transport.subscriber(MarketData).recv(timeout=30)
        publisher = transport.publisher(CounterUpdate)
        for seq in range(count):
            assert publisher.publish(CounterUpdate(counter_id=seq, value=seq, delta=1))
        print("direct got", market.symbol, "ping", transport.ping(10), "sent", transport.stats().frames_sent,
              flush=True)
else:
    with MessageBus.from_topology(where, service_name="py-client", schema_digest=SCHEMA_DIGEST) as bus:
        print("route", bus.route_to("java-recorder").describe(), type(bus.transport_to("py-client")).__name__,
              flush=True)
        market = bus.subscriber(MarketData).recv(timeout=30)
        publisher = bus.publisher_to("java-recorder", TextMessage)
        for seq in range(count):
            assert publisher.publish(TextMessage(sender="py-client", content=f"seq {seq}", timestamp=seq))
        print("topology got", market.symbol, "sent", bus.transport_to("py-client").stats().frames_sent, flush=True)
