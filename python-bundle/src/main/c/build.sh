#!/usr/bin/env bash
# Builds the JNI bridge libmycelium_python.so against the CPython found through <python> and records where that
# CPython lives (native/python.properties), so the host can dlopen libpython RTLD_GLOBAL before Py_Initialize.
#
# usage: build.sh <work dir> <classes dir> <java.home> <python command>
# Called by the Maven build (exec-maven-plugin, process-classes). Fails with the Debian package to install when a
# tool or header is missing.
set -euo pipefail

work=$1
classes=$2
java_home=$3
python=$4
src=$(cd "$(dirname "$0")" && pwd)
out_dir="$classes/native/linux-x86_64"

fail() {
    echo "[mycelium python bridge] $*" >&2
    exit 1
}

headers="install the Python headers (Debian: apt-get install python3-dev)"
command -v gcc >/dev/null 2>&1 || fail "gcc not found: install it (Debian: apt-get install gcc)"
command -v "$python" >/dev/null 2>&1 \
    || fail "'$python' not found: install Python 3.11 (Debian: apt-get install python3 python3-dev)" \
            "or pass -Dpython.command=/path/to/python3"
# python3-config must belong to the same interpreter as <python>: take it from that interpreter's bin directory.
py_bindir=$("$python" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
py_ver=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
config=""
for candidate in "$py_bindir/python${py_ver}-config" "$py_bindir/python3-config" \
                 "$(command -v "python${py_ver}-config" || true)"; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then config=$candidate; break; fi
done
[[ -n "$config" ]] || fail "python${py_ver}-config not found next to $python: $headers"
include_dir=$("$python" -c 'import sysconfig; print(sysconfig.get_path("include"))')
[[ -f "$include_dir/Python.h" ]] || fail "Python.h not found in $include_dir: $headers"
[[ -f "$java_home/include/jni.h" ]] \
    || fail "jni.h not found in $java_home/include: build with a JDK, not a JRE" \
            "(Debian: apt-get install openjdk-17-jdk-headless)"

mkdir -p "$work/obj" "$out_dir"
# -O3 and -g from python3-config are replaced by our own flags; -Wall is kept and tightened.
cflags=$("$config" --cflags --embed | sed -e 's/-O[0-9s]//g' -e 's/ -g / /g')
ldflags=$("$config" --ldflags --embed)

objs=()
for file in "$src"/*.c; do
    obj="$work/obj/$(basename "${file%.c}").o"
    # shellcheck disable=SC2086
    gcc -std=c11 -D_GNU_SOURCE -fPIC -O2 -g -Wall -Wextra -Werror \
        -fvisibility=hidden $cflags \
        -I"$src/include" -I"$work/include" -I"$java_home/include" -I"$java_home/include/linux" \
        -c "$file" -o "$obj"
    objs+=("$obj")
done
# shellcheck disable=SC2086
gcc -shared -o "$out_dir/libmycelium_python.so" "${objs[@]}" $ldflags -lpthread

"$python" - "$classes/native/python.properties" <<'PY'
import os, sys, sysconfig
libdir = sysconfig.get_config_var("LIBDIR") or ""
soname = sysconfig.get_config_var("INSTSONAME") or sysconfig.get_config_var("LDLIBRARY") or ""
library = os.path.join(libdir, soname)
if not os.path.exists(library):
    sys.exit(f"[mycelium python bridge] libpython not found at {library}: CPython must be built with --enable-shared "
             f"(Debian: apt-get install libpython3-dev)")
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("# written by src/main/c/build.sh: the CPython the bridge was built against\n")
    out.write(f"python.library={library}\n")
    out.write(f"python.executable={os.path.realpath(sys.executable)}\n")
    out.write(f"python.version={sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}\n")
PY
echo "[mycelium python bridge] built $out_dir/libmycelium_python.so with $config"
