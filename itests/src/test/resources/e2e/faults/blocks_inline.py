"""Fault: an inline MarketData callback blocks forever on the publisher's thread (java-market-feed's)."""
import threading

from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import MarketData

runtime = Runtime(schema_digest=SCHEMA_DIGEST)
never = threading.Event()


def on_market_data(msg):
    print("FAULT blocking blocks_inline")
    never.wait()


runtime.subscribe(MarketData, on_market_data, inline=True)
print("FAULT ready blocks_inline")
