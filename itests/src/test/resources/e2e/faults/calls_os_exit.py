"""Fault: a callback calls os._exit(1), which ends the whole node (in-process Python shares its fate)."""
import os

from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import MarketData

runtime = Runtime(schema_digest=SCHEMA_DIGEST)


def on_market_data(msg):
    os._exit(1)


runtime.subscribe(MarketData, on_market_data)
print("FAULT ready calls_os_exit")
