#!/bin/sh
# Shared-memory benchmarks: the raw mmap ring floor (two JVMs, fixed slots, release/acquire sequences) and the
# transport's record ring in the same harness, 64-byte messages: one-way latency p50/p99/p99.9 while spinning,
# throughput, and the wake-up of a parked reader (doorbell byte on a Unix socket). Prints RESULT {json} lines
# (suite "shm"). Build first: mvn -B -o -pl benchmarks -am package -DskipTests
#   ROUNDS (latency round trips, default 200000), MESSAGES (throughput, default 5000000),
#   WAKE_ROUNDS (parked wake-ups, default 10000), IMPLS (default "raw ring")
# Then the shm link (two shm transports in one JVM: handshake, interest, the stream link machinery over the rings)
# and the Unix link in the same run (TransportLatencyHarness: one-way p50 spinning with read.spin.micros 50, the
# parked wake-up with read.spin.micros 0, 64-byte throughput and bytes allocated per message), and a summary of the
# issue's targets: shm p50 <= 2x the raw floor and <= 1/5 of Unix; shm throughput >= 0.5x the raw ring's.
#   LINK_ROUNDS (default 100000), LINK_MESSAGES (default 2000000), LINK_KINDS (default "shm unix")
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
rounds=${ROUNDS:-200000}
messages=${MESSAGES:-5000000}
wake_rounds=${WAKE_ROUNDS:-10000}
impls=${IMPLS:-"raw ring"}
link_rounds=${LINK_ROUNDS:-100000}
link_messages=${LINK_MESSAGES:-2000000}
link_kinds=${LINK_KINDS:-"shm unix"}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "# load: $(cat /proc/loadavg 2>/dev/null || echo unknown), cores: $(nproc 2>/dev/null || echo unknown)"
for impl in $impls; do
    java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp "$jar" io.mycelium.benchmarks.shm.RawRingFloorHarness \
        "$impl" "$rounds" "$messages" "$wake_rounds" | tee -a "$out"
done
for kind in $link_kinds; do
    for spin in 50 0; do
        java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$jar" io.mycelium.benchmarks.transport.TransportLatencyHarness \
            "$kind" "$link_rounds" "$link_messages" "$spin" | tee -a "$out"
    done
done
# value of the RESULT line whose name and metric match
value() {
    sed -n "s/^RESULT .*\"name\":\"$1\",\(\"role\":\"[a-z]*\",\)\{0,1\}\"metric\":\"$2\",\"value\":\([0-9.E+-]*\).*/\2/p" "$out" | tail -1
}
floor=$(value raw-ring-floor-latency p50_ns)
floor_tput=$(value raw-ring-floor-throughput msgs_per_s)
shm=$(value mycelium-shm-lat-64-spin50 p50_ns)
uds=$(value mycelium-uds-lat-64-spin50 p50_ns)
shm_tput=$(value mycelium-shm-batch-64-spin50 msgs_per_s)
shm_wake=$(value mycelium-shm-lat-64-spin0 p50_ns)
awk -v floor="$floor" -v ftput="$floor_tput" -v shm="$shm" -v uds="$uds" -v tput="$shm_tput" -v wake="$shm_wake" \
    'BEGIN {
        if (floor == "" || shm == "" || uds == "" || ftput == "" || tput == "") { print "# summary: missing rows"; exit }
        printf "# summary: shm p50 %d ns = %.2fx the raw floor (%d ns, target <= 2), %.2f of Unix (%d ns, target <= 0.20)\n", shm, shm / floor, floor, shm / uds, uds
        printf "# summary: shm throughput %.0f msgs/s = %.2fx the raw ring (%.0f, target >= 0.5); parked wake-up p50 %d ns\n", tput, tput / ftput, ftput, wake
    }'

