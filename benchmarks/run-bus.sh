#!/bin/sh
# Runs the bus benchmarks side by side (bus, direct-dispatch floor, Felix EventAdmin peer, queued hand-off harness)
# and regenerates the bus section of RESULTS.md. Build first: mvn -B -o -pl benchmarks -am package -DskipTests
set -eu
cd "$(dirname "$0")"
JAR=target/benchmarks.jar
mkdir -p target
echo "start $(date -u +%Y-%m-%dT%H:%MZ) $(cut -d' ' -f1-3 /proc/loadavg)" > target/bus-load.txt
java -jar "$JAR" 'io.mycelium.benchmarks.bus.*Benchmark' -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc \
    -rf json -rff target/bus-jmh.json
java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$JAR" io.mycelium.benchmarks.bus.QueuedHandOffHarness \
    2>/dev/null | tee target/bus-harness.txt
echo "end $(date -u +%Y-%m-%dT%H:%MZ) $(cut -d' ' -f1-3 /proc/loadavg)" >> target/bus-load.txt
python3 bus-report.py target/bus-jmh.json target/bus-harness.txt RESULTS.md
