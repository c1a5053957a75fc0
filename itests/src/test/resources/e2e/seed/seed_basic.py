# --- seed snippet, verbatim from FFI_DEPLOYMENT_GUIDE.md ---
from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import TradeSignal

# Create FFI runtime (uses local MessageBus)
runtime = Runtime(schema_digest=SCHEMA_DIGEST)

# Publish directly to the bus
runtime.publish(TradeSignal(symbol="BTC", action="buy"))

# Subscribe with callback
def on_trade(msg):
    print(f"Trade: {msg.symbol} {msg.action}")

subscription = runtime.subscribe(TradeSignal, on_trade)

# Cleanup
subscription.close()
runtime.close()
# --- harness (added by the e2e test) ---
print("HARNESS done seed_basic")
