"""Example Python service of the embedded default: answers PredictionRequest with PredictionResponse.

The "model" is a fixed linear one (a dot product of the 16 features with fixed weights). It uses NumPy when
importable, else the same computation in pure Python. java-prediction-client sends the requests. Deploy: copy this
file into deploy/.
"""
import math
import time

from mycelium_native import Runtime
from mycelium_protocol_examples import SCHEMA_DIGEST
from mycelium_protocol_examples.messages import PredictionRequest, PredictionResponse

SUMMARY_SECONDS = 10
WEIGHTS = [math.cos(i) / 16 for i in range(16)]

try:
    import numpy as np
except ImportError:
    np = None
    print("ml_model: numpy is not importable here; using the pure-Python model (same results, slower)")

if np is not None:
    _weights = np.asarray(WEIGHTS, dtype=np.float64)

    def predict(features) -> float:
        return float(np.dot(np.asarray(features, dtype=np.float64), _weights))
else:
    def predict(features) -> float:
        return float(sum(f * w for f, w in zip(features, WEIGHTS)))

runtime = Runtime(schema_digest=SCHEMA_DIGEST)
answered = 0


def handle_request(req: PredictionRequest) -> None:
    global answered
    runtime.publish(PredictionResponse(request_id=req.id, prediction=predict(req.features)))
    answered += 1


runtime.subscribe(PredictionRequest, handle_request)
print(f"ml_model: answering PredictionRequest ({'numpy' if np is not None else 'pure Python'} model)")

# Keep running, and summarise every SUMMARY_SECONDS what changed (a line per period, not per request)
last_answered = 0
last_time = time.monotonic()
while True:
    time.sleep(SUMMARY_SECONDS)
    now = time.monotonic()
    seconds = max(now - last_time, 1e-3)
    if answered != last_answered:
        print(f"ml_model: answered count={answered} (+{answered - last_answered}, "
              f"{(answered - last_answered) / seconds:.1f}/s) in the last {seconds:.1f} s")
    last_answered, last_time = answered, now
