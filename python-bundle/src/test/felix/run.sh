#!/usr/bin/env bash
# Runs FelixSmoke.java against the built python bundle and the Felix runtime bundles from ~/.m2.
# usage (from the repository root, after `mvn -o -pl python-bundle -am package`): python-bundle/src/test/felix/run.sh
set -euo pipefail
R=${M2_REPO:-$HOME/.m2/repository}
work=$(mktemp -d /tmp/felix-smoke-python.XXXXXX)
trap 'rm -rf "$work"' EXIT
# SPI Fly and slf4j-simple first, so slf4j binds to the simple provider (osgi-stack.md gotcha 1)
java -cp "$R/org/apache/felix/org.apache.felix.framework/7.0.5/org.apache.felix.framework-7.0.5.jar" \
    "$(dirname "$0")/FelixSmoke.java" "$work" \
    "$R/org/apache/aries/spifly/org.apache.aries.spifly.dynamic.bundle/1.3.7/org.apache.aries.spifly.dynamic.bundle-1.3.7.jar" \
    "$R/org/ow2/asm/asm/9.9.1/asm-9.9.1.jar" "$R/org/ow2/asm/asm-commons/9.9.1/asm-commons-9.9.1.jar" \
    "$R/org/ow2/asm/asm-tree/9.9.1/asm-tree-9.9.1.jar" "$R/org/ow2/asm/asm-util/9.9.1/asm-util-9.9.1.jar" \
    "$R/org/ow2/asm/asm-analysis/9.9.1/asm-analysis-9.9.1.jar" \
    "$R/org/slf4j/slf4j-simple/2.0.17/slf4j-simple-2.0.17.jar" "$R/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar" \
    bundles/api/target/api-0.1.0-SNAPSHOT.jar python-bundle/target/python-0.1.0-SNAPSHOT.jar \
    "$R/org/apache/felix/org.apache.felix.scr/2.2.18/org.apache.felix.scr-2.2.18.jar" \
    "$R/org/osgi/org.osgi.service.component/1.5.1/org.osgi.service.component-1.5.1.jar" \
    "$R/org/osgi/org.osgi.util.promise/1.3.0/org.osgi.util.promise-1.3.0.jar" \
    "$R/org/osgi/org.osgi.util.function/1.2.0/org.osgi.util.function-1.2.0.jar" \
    "$R/org/apache/felix/org.apache.felix.fileinstall/3.7.4/org.apache.felix.fileinstall-3.7.4.jar"
