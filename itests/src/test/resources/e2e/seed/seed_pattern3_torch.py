# --- harness (added by the e2e test) ---
import functools

import torch
from mycelium_protocol.messages import Features as _Features, Prediction

torch.save(torch.nn.Linear(16, 1), "model.pt")  # the snippet loads a model from model.pt
torch.load = functools.partial(torch.load, weights_only=False)  # a whole module, not only weights


class Features(_Features):  # the snippet calls model(msg.features): give it a tensor
    @classmethod
    def from_bytes(cls, buf):
        msg = _Features.from_bytes(buf)
        msg.features = torch.tensor(msg.features, dtype=torch.float32)
        return msg
# --- seed snippet, verbatim from FFI_DEPLOYMENT_GUIDE.md ---
import torch
from mycelium_native import Runtime

runtime = Runtime(topology_path="topology.toml", service_name="ml-pipeline")

# Load model
model = torch.load("model.pt")

def handle_features(msg):
    # Run inference
    with torch.no_grad():
        output = model(msg.features)

    # Publish prediction
    runtime.publish(Prediction(
        symbol=msg.symbol,
        score=output.item()
    ))

runtime.subscribe(Features, handle_features)
# --- harness (added by the e2e test) ---
print("HARNESS ready seed_pattern3_torch")
