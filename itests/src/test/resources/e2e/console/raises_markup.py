"""Browser test: every callback raises with markup in its message; the Mycelium page must show it as text."""
from mycelium_native import Runtime
from mycelium_protocol import SCHEMA_DIGEST
from mycelium_protocol.messages import MarketData

runtime = Runtime(schema_digest=SCHEMA_DIGEST)


def on_market_data(msg):
    raise ValueError("e2e: deliberate failure <script>window.myceliumInjected = true</script>"
                     "<b>not bold</b> ${head.cssLinks}")


runtime.subscribe(MarketData, on_market_data)
