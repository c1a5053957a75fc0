#!/bin/sh
# Shared-memory benchmarks: the raw mmap ring floor (two JVMs, fixed slots, release/acquire sequences) and the
# transport's record ring in the same harness, 64-byte messages: one-way latency p50/p99/p99.9 while spinning,
# throughput, and the wake-up of a parked reader (doorbell byte on a Unix socket). Prints RESULT {json} lines
# (suite "shm"). Build first: mvn -B -o -pl benchmarks -am package -DskipTests
#   ROUNDS (latency round trips, default 200000), MESSAGES (throughput, default 5000000),
#   WAKE_ROUNDS (parked wake-ups, default 10000), IMPLS (default "raw ring")
# The shm-link transport rows are appended below by the transport's harness.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
rounds=${ROUNDS:-200000}
messages=${MESSAGES:-5000000}
wake_rounds=${WAKE_ROUNDS:-10000}
impls=${IMPLS:-"raw ring"}
echo "# load: $(cat /proc/loadavg 2>/dev/null || echo unknown), cores: $(nproc 2>/dev/null || echo unknown)"
for impl in $impls; do
    java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp "$jar" io.mycelium.benchmarks.shm.RawRingFloorHarness \
        "$impl" "$rounds" "$messages" "$wake_rounds"
done
