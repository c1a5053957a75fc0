#!/usr/bin/env bash
# The long fuzz run (docs/fuzzing.md): the decoders' harness (FUZZ_DECODER_INPUTS inputs per target, 5 targets),
# every jqwik fuzz property of the decoders with FUZZ_TRIES tries and of the live links with FUZZ_LIVE_TRIES, and the
# Python SDK's hypothesis fuzz tests with FUZZ_EXAMPLES examples (a tenth of that for its live ones).
# Usage: nice scripts/fuzz.sh    (defaults: 2,500,000 inputs per decoder target, 10,000 tries, 1,500 live tries,
#                                 10,000 examples: about a quarter of an hour on a 2-core machine)
#        FUZZ_DECODER_INPUTS=100000 FUZZ_TRIES=1000 FUZZ_LIVE_TRIES=100 FUZZ_EXAMPLES=1000 scripts/fuzz.sh  (quick)
# Extra arguments go to Maven (e.g. -o to stay offline, -Dmycelium.fuzz.seed=42 to repeat a decoder run).
# Figures: bundles/protocol/target/fuzz-report.txt, the jqwik lines in */target/surefire-reports/*Fuzz*-output.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
inputs="${FUZZ_DECODER_INPUTS:-2500000}"
tries="${FUZZ_TRIES:-10000}"
live_tries="${FUZZ_LIVE_TRIES:-1500}"
examples="${FUZZ_EXAMPLES:-10000}"
python="${PYTHON:-python3}"

start=$(date +%s)
mvn -B -Pfuzz -pl bundles/protocol,transport-bundles/stream -am test \
    -Dfuzz.decoder.inputs="$inputs" -Dfuzz.decoder.tries="$tries" -Dfuzz.live.tries="$live_tries" \
    -Dtest='*FuzzTest,WireFuzzLongRunTest' -Dsurefire.failIfNoSpecifiedTests=false "$@"
java_end=$(date +%s)
(cd clients/python && MYCELIUM_FUZZ_EXAMPLES="$examples" "$python" -m pytest tests/test_sdk_fuzz.py -q \
    -p no:cacheprovider --hypothesis-show-statistics)
end=$(date +%s)

echo
echo "== decoders (bundles/protocol/target/fuzz-report.txt)"
cat bundles/protocol/target/fuzz-report.txt
echo "== jqwik properties (tries per property)"
grep -a -h -A3 'FuzzTest:should[A-Za-z]* = $' bundles/protocol/target/surefire-reports/*Fuzz*-output.txt \
    transport-bundles/stream/target/surefire-reports/*Fuzz*-output.txt \
    | awk '/FuzzTest:/ { match($0, /[A-Za-z]+FuzzTest:[A-Za-z]+/); name = substr($0, RSTART, RLENGTH) }
           /^tries = / { printf "%-100s %s tries\n", name, $3 }'
echo "== time: Java $((java_end - start)) s, Python $((end - java_end)) s"
