#!/bin/sh
# Aeron benchmarks: the raw Aeron floor (two processes, each with an embedded media driver, publication/subscription
# over aeron:udp on 127.0.0.1, no bus) - one-way latency p50/p99/p99.9 of 64-byte messages as a ping-pong and
# batched throughput of 64-byte messages - then our Aeron link between two buses and our TCP link in the same run,
# and the idle CPU of an embedded driver. Prints RESULT <json> lines (suite "aeron").
# Build first: mvn -B -o -pl benchmarks -am package -DskipTests
# ROUNDS, MESSAGES and IDLE (busy|yield|backoff: how the raw floor's threads poll) size the run; PARK_US (default
# 1000, the node's mycelium.aeron.idle.max.park.us) is the longest park of both the floor's back-off and the link's
# (drivers and link threads), so the two idle alike; TCP=0 skips the TCP link. Targets (issue 16): link p50 <= 1.3x raw p50, link msgs_per_s >= 0.7x raw.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
rounds=${ROUNDS:-100000}
messages=${MESSAGES:-5000000}
park=${PARK_US:-1000}
idle=${IDLE:-backoff}
[ "$idle" = backoff ] && idle="backoff-$park"
# Agrona reaches jdk.internal.misc.Unsafe and sun.nio.ch (the launcher sets the same for a node)
opens="--add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
echo "# load before: $(cat /proc/loadavg)"
# shellcheck disable=SC2086
java -Xms512m -Xmx512m $opens -cp "$jar" io.mycelium.benchmarks.aeron.RawAeronHarness "$rounds" "$messages" "$idle"
# our Aeron link between two buses (and the idle CPU of one node), then our TCP link in the same run
# shellcheck disable=SC2086
java -Xms1g -Xmx1g $opens -cp "$jar" io.mycelium.benchmarks.aeron.AeronLinkHarness "$rounds" "$messages" "$park"
if [ "${TCP:-1}" != 0 ]; then
    java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$jar" io.mycelium.benchmarks.transport.TransportLatencyHarness tcp \
        "$rounds" "$messages" 0
fi
echo "# load after: $(cat /proc/loadavg)"
