# --- harness (added by the e2e test) ---
from mycelium_protocol.messages import TradeSignal
# --- seed snippet, verbatim from FFI_DEPLOYMENT_GUIDE.md ---
from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST

# Create runtime from topology (auto-configures transports)
runtime = Runtime(
    schema_digest=SCHEMA_DIGEST,
    topology_path="topology.toml",
    service_name="python-ml-model"
)

# Now you can publish to remote services!
runtime.publish(TradeSignal(symbol="BTC", action="buy"))
# ↑ Auto-routes to correct endpoint based on topology

# Cleanup
runtime.close()
# --- harness (added by the e2e test) ---
print("HARNESS done seed_topology")
