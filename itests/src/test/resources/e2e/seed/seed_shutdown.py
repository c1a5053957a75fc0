# --- harness (added by the e2e test) ---
from mycelium_native import Runtime
# --- seed snippet, verbatim from FFI_DEPLOYMENT_GUIDE.md ---
import signal
import sys

runtime = Runtime(topology_path="topology.toml", service_name="worker")

def shutdown_handler(sig, frame):
    print("Shutting down...")
    runtime.close()
    sys.exit(0)

signal.signal(signal.SIGINT, shutdown_handler)
signal.signal(signal.SIGTERM, shutdown_handler)
# --- harness (added by the e2e test) ---
print("HARNESS ready seed_shutdown")
