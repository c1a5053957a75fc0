"""Example Python service of the embedded default: MarketData in, TradeSignal out (the seed's Pattern 1).

Keeps an exponential moving average of each symbol's last price and publishes a TradeSignal ("buy" when the price
crosses above its average, "sell" when it crosses below). The Java service java-market-feed publishes the
MarketData; java-signal-monitor logs the TradeSignals. Deploy: copy this file into deploy/.
"""
import time

from mycelium_native import Runtime
from mycelium_protocol_examples import SCHEMA_DIGEST
from mycelium_protocol_examples.messages import MarketData, TradeSignal

ALPHA = 0.2  # weight of the newest price in the moving average
LOGGED_IN_FULL = 3
SUMMARY_SECONDS = 10

runtime = Runtime(schema_digest=SCHEMA_DIGEST)
averages: dict[str, float] = {}
above: dict[str, bool] = {}
received = 0
signals = 0


def handle_market_data(msg: MarketData) -> None:
    global received, signals
    received += 1
    average = averages.get(msg.symbol, msg.last)
    average = ALPHA * msg.last + (1 - ALPHA) * average
    averages[msg.symbol] = average
    now_above = msg.last > average
    if msg.symbol in above and above[msg.symbol] != now_above:
        action = "buy" if now_above else "sell"
        runtime.publish(TradeSignal(symbol=msg.symbol, action=action, quantity=1.0, price=msg.last,
                                    timestamp=time.time_ns()))
        signals += 1
        if signals <= LOGGED_IN_FULL:
            print(f"market_consumer: {action} {msg.symbol} at {msg.last:.2f} (average {average:.2f})")
    above[msg.symbol] = now_above


runtime.subscribe(MarketData, handle_market_data)
print("market_consumer: subscribed to MarketData; publishing TradeSignal on moving-average crossings")

# Keep running (the host ends this sleep at once when the service is stopped or replaced), and summarise every
# SUMMARY_SECONDS what changed: a line per period, not per message, so real problems stay visible in the log
last_received = last_signals = 0
last_time = time.monotonic()
while True:
    time.sleep(SUMMARY_SECONDS)
    now = time.monotonic()
    seconds = max(now - last_time, 1e-3)
    if received != last_received or signals != last_signals:
        print(f"market_consumer: MarketData count={received} (+{received - last_received}, "
              f"{(received - last_received) / seconds:.1f}/s), TradeSignal count={signals} "
              f"(+{signals - last_signals}, {(signals - last_signals) / seconds:.1f}/s) in the last {seconds:.1f} s")
    last_received, last_signals, last_time = received, signals, now
