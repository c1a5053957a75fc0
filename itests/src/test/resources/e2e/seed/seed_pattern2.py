# --- harness (added by the e2e test) ---
from mycelium_native import Runtime
from mycelium_protocol.messages import PredictionRequest, PredictionResponse


class _SumModel:
    def predict(self, features):
        return float(sum(features))


model = _SumModel()
# --- seed snippet, verbatim from FFI_DEPLOYMENT_GUIDE.md ---
import queue
import threading

runtime = Runtime(topology_path="topology.toml", service_name="ml-service")

# Response queue
responses = queue.Queue()

def handle_request(req):
    # Process ML request
    prediction = model.predict(req.features)
    response = PredictionResponse(request_id=req.id, prediction=prediction)
    runtime.publish(response)

runtime.subscribe(PredictionRequest, handle_request)
# --- harness (added by the e2e test) ---
print("HARNESS ready seed_pattern2")
