#!/bin/sh
# Python SDK client -> Java echo node -> back over Unix and over shared memory, same run (issue 15's target: shm p50
# at least 3x better). Build first: mvn -B -o -pl benchmarks -am package -DskipTests
# ROUNDS round trips per transport (default 20000); SPIN the echo node's read.spin.micros (default 50);
# PYTHON the interpreter (default python3); SHM_SPIN_MICROS / SHM_YIELD_MICROS the SDK reader's waiting (default the
# SDK's: 0 / 200). The SDK is clients/python with its C extension built in place.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sdk="$here/../clients/python"
python=${PYTHON:-python3}
"$python" -c "import sys; sys.path.insert(0, '$sdk/_build'); import mycelium_build; mycelium_build.build_extensions_in_place()"
java -Xms256m -Xmx256m -cp "$here/target/benchmarks.jar" io.mycelium.benchmarks.transport.PythonClientLatencyHarness \
    "$here/src/main/python/sdk_pingpong.py" "$sdk" "${ROUNDS:-20000}" "$python" "${SPIN:-50}"
