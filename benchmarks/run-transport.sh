#!/bin/sh
# Transport benchmarks beside the C floor: Unix and TCP one-way latency (p50/p99/p99.9) and batched throughput of
# 64-byte frames. Build first: mvn -B -o -pl benchmarks -am package -DskipTests
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
floor="$here/target/socket_pingpong"
gcc -O2 -Wall -Wextra -Werror -o "$floor" "$here/src/main/c/socket_pingpong.c"
rounds=${ROUNDS:-100000}
messages=${MESSAGES:-5000000}
# read.spin.micros values to measure the Java transports with (0 = no spin: selector wake-up on every hop)
spins=${SPINS:-"0 50"}
for kind in uds tcp; do
    for spin in $spins; do
        "$floor" "$kind" lat "$rounds" "$spin"
    done
    "$floor" "$kind" batch "$messages"
done
for kind in unix tcp; do
    for spin in $spins; do
        java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$jar" io.mycelium.benchmarks.transport.TransportLatencyHarness \
            "$kind" "$rounds" "$messages" "$spin"
    done
done
java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$jar" io.mycelium.benchmarks.transport.JeroMqHarness "$rounds" "$messages"
