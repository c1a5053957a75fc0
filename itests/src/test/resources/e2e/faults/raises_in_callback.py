"""Fault: every callback raises. The host logs each traceback (sampled) and counts it; the service stays."""
from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import MarketData

runtime = Runtime(schema_digest=SCHEMA_DIGEST)


def on_market_data(msg):
    raise ValueError(f"e2e: deliberate failure on {msg.symbol}")


runtime.subscribe(MarketData, on_market_data)
print("FAULT ready raises_in_callback")
