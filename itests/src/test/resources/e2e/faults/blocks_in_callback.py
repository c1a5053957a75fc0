"""Fault: the first MarketData callback blocks forever in a call Python cannot interrupt (a lock wait)."""
import threading

from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import MarketData

runtime = Runtime(schema_digest=SCHEMA_DIGEST)
never = threading.Event()


def on_market_data(msg):
    print("FAULT blocking blocks_in_callback")
    never.wait()


runtime.subscribe(MarketData, on_market_data)
print("FAULT ready blocks_in_callback")
