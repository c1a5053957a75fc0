# --- harness (added by the e2e test) ---
from mycelium_protocol.messages import MarketData, ProcessedData


def process(msg):
    return msg.last * 2.0
# --- seed snippet, verbatim from FFI_DEPLOYMENT_GUIDE.md ---
from mycelium_native import Runtime

runtime = Runtime(
    topology_path="topology.toml",
    service_name="event-processor"
)

def handle_market_data(msg):
    # Process message
    result = process(msg)

    # Publish result back to bus
    runtime.publish(ProcessedData(result=result))

runtime.subscribe(MarketData, handle_market_data)

# Keep running
import time
while True:
    time.sleep(1)
