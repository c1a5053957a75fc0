# --- seed snippet, verbatim from FFI_DEPLOYMENT_GUIDE.md ---
from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST

try:
    runtime = Runtime(schema_digest=SCHEMA_DIGEST)
except ValueError as e:
    print(f"Schema mismatch: {e}")
    # Regenerate bindings with: cargo run -p mycelium-codegen
# --- seed snippet, verbatim from FFI_DEPLOYMENT_GUIDE.md ---
try:
    runtime = Runtime(
        topology_path="topology.toml",
        service_name="unknown-service"
    )
except RuntimeError as e:
    print(f"Topology error: {e}")
    # Service not found in topology
# --- harness (added by the e2e test) ---
from mycelium_protocol.messages import LocalMetric

runtime.publish(LocalMetric(name="seed-errors", value=1.0))
print("HARNESS done seed_errors")
