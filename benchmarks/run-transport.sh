#!/bin/sh
# Transport benchmarks beside the C floor: Unix, TCP and TCP with TLS 1.3 one-way latency (p50/p99/p99.9) and
# batched throughput of 64-byte frames, and the end-to-end two-bus throughput (TwoBusHarness).
# Build first: mvn -B -o -pl benchmarks -am package -DskipTests
# KINDS picks the Java transports (default "unix tcp tls"); FLOOR=0 skips the C floor and JeroMQ, e.g. for TLS
# against plaintext TCP alone: FLOOR=0 KINDS="tcp tls" SPINS=50 sh benchmarks/run-transport.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# JAR: another build of the harnesses, e.g. the jar of an earlier commit, to compare before/after back to back
jar=${JAR:-"$here/target/benchmarks.jar"}
floor="$here/target/socket_pingpong"
rounds=${ROUNDS:-100000}
messages=${MESSAGES:-5000000}
# read.spin.micros values to measure the Java transports with (0 = no spin: selector wake-up on every hop)
spins=${SPINS:-"0 50"}
kinds=${KINDS:-"unix tcp tls"}
if [ "${FLOOR:-1}" != 0 ]; then
    gcc -O2 -Wall -Wextra -Werror -o "$floor" "$here/src/main/c/socket_pingpong.c"
    # The machine state first: what one cache line costs between the two CPUs (docs/benchmarks.md).
    gcc -O2 -Wall -Wextra -Werror -pthread -o "$here/target/cacheline_pingpong" "$here/src/main/c/cacheline_pingpong.c"
    "$here/target/cacheline_pingpong" 200000 transport
    # The link's shape in C (publisher, ring, writer thread, Unix socket, reader): src/main/c/pipeline_floor.c
    gcc -O2 -Wall -Wextra -Werror -pthread -o "$here/target/pipeline_floor" "$here/src/main/c/pipeline_floor.c"
    for kind in uds tcp; do
        for spin in $spins; do
            "$floor" "$kind" lat "$rounds" "$spin"
        done
        # At spin 0, C also waits as the link's reader must (a non-blocking socket, epoll): docs/benchmarks.md
        case " $spins " in *" 0 "*) "$floor" "$kind" lat "$rounds" 0 epoll ;; esac
        "$floor" "$kind" batch "$messages"
    done
    "$here/target/pipeline_floor" "$messages"
fi
for kind in $kinds; do
    for spin in $spins; do
        java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$jar" io.mycelium.benchmarks.transport.TransportLatencyHarness \
            "$kind" "$rounds" "$messages" "$spin"
    done
done
if [ "${FLOOR:-1}" != 0 ]; then
    java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$jar" io.mycelium.benchmarks.transport.JeroMqHarness "$rounds" \
        "$messages"
fi
# End to end through two real buses in two JVMs (publisher -> bus -> link -> remote bus -> subscriber), Unix and TCP
# (E2E_KINDS, default "unix tcp"; E2E=0 skips; E2E_MESSAGES, default 4 x MESSAGES).
if [ "${E2E:-1}" != 0 ]; then
    for kind in ${E2E_KINDS:-unix tcp}; do
        for spin in $spins; do
            # A failed row is said on stdout (the harness prints why on stderr) and the other rows still run.
            java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$jar" io.mycelium.benchmarks.transport.TwoBusHarness "$kind" \
                "${E2E_MESSAGES:-$((messages * 4))}" "$spin" \
                || echo "java-mycelium-e2e-$kind-64-spin$spin FAILED (exit $?; see its output above)"
        done
    done
fi
