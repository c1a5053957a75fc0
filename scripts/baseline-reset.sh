#!/usr/bin/env bash
# Makes the bundles just built the new baseline (docs/development.md "Baseline"): run it on a release, after
# `mvn -B verify` of the released sources, with the release's version, e.g. scripts/baseline-reset.sh 0.2.0.
# For every module that lists bnd-baseline-maven-plugin it copies the manifest and the exported packages' classes of
# target/<a>-<v>.jar to
# baseline/io/mycelium/<a>/<version>/ (a file Maven repository), removes the older baselines, and sets
# mycelium.baseline.version in the root pom. Commit baseline/ and pom.xml together.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
version="${1:?usage: scripts/baseline-reset.sh <released version, e.g. 0.2.0>}"
project_version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
rm -rf baseline/io/mycelium
for pom in $(grep -l --include=pom.xml -r '<artifactId>bnd-baseline-maven-plugin</artifactId></plugin>' . \
        | grep -v '/target/' | sort); do
    module="$(dirname "$pom")"
    artifact="$(sed -n 's:^  <artifactId>\(.*\)</artifactId>$:\1:p' "$pom" | head -1)"
    jar="$module/target/$artifact-$project_version.jar"
    [[ -f "$jar" ]] || { echo "missing $jar: run mvn -B verify first" >&2; exit 1; }
    out="baseline/io/mycelium/$artifact/$version"
    mkdir -p "$out"
    python3 - "$jar" "$out/$artifact-$version.jar" <<'PY'
import re, sys, zipfile
source, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(source) as jar:
    manifest = jar.read("META-INF/MANIFEST.MF")
    text = re.sub(r"\r?\n ", "", manifest.decode("utf-8"))
    header = next((line.split(":", 1)[1] for line in text.splitlines() if line.startswith("Export-Package:")), "")
    exported = {re.split(r"[;,]", clause.strip())[0] for clause in re.split(r",(?=[A-Za-z_][\w.]*(?:;|,|$))", header)
                if clause.strip()}
    with zipfile.ZipFile(target, "w") as out:
        def put(name, data):
            entry = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))  # fixed time: the same bundle gives the same file
            entry.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(entry, data)
        put("META-INF/MANIFEST.MF", manifest)
        for name in sorted(jar.namelist()):
            if name.endswith(".class") and name.rsplit("/", 1)[0].replace("/", ".") in exported:
                put(name, jar.read(name))
PY
    cat > "$out/$artifact-$version.pom" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.mycelium</groupId>
  <artifactId>$artifact</artifactId>
  <version>$version</version>
  <description>Baseline of $artifact: manifest and classes of the released bundle (scripts/baseline-reset.sh).</description>
</project>
POM
    echo "baseline $artifact $version <- $jar"
done
sed -i "s:<mycelium.baseline.version>.*</mycelium.baseline.version>:<mycelium.baseline.version>$version</mycelium.baseline.version>:" pom.xml
echo "mycelium.baseline.version = $version; if ~/.m2 holds an older copy of these coordinates, delete" \
     "~/.m2/repository/io/mycelium/*/$version"
