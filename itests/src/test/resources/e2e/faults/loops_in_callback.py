"""Fault: the first MarketData callback loops forever in Python code, which a stop can interrupt."""
import threading

from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import MarketData

runtime = Runtime(schema_digest=SCHEMA_DIGEST)
never = threading.Event()


def on_market_data(msg):
    print("FAULT blocking loops_in_callback")
    while True:
        never.wait(0.05)


runtime.subscribe(MarketData, on_market_data)
print("FAULT ready loops_in_callback")
