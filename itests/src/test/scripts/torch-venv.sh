#!/usr/bin/env bash
# Prepares a venv with torch for PythonVenvIT, offline, from this machine's local wheels and package mirror (torch is
# never fetched from the network). The seed guide's torch snippet then runs on a node whose python.executable is it.
#
# usage: torch-venv.sh <venv dir> <python command>
# Writes <venv dir>.status: "preparing" at once, then "ready" or why there is no such venv (the test skips with that
# reason). Never fails the build: torch is optional. A ready venv is reused.
# Maven runs it in the background (exec async): installing torch is mostly disk writes (~800 MB), done while the
# first integration tests run; PythonVenvIT waits while the status says "preparing".
set -uo pipefail

venv=$1
python=$2
status="$venv.status"

say() {
    echo "$*" >"$status.tmp"
    mv -f "$status.tmp" "$status"
    echo "[torch venv] $*"
}

say preparing

if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import torch' 2>/dev/null; then
    say ready
    exit 0
fi
# Where a torch wheel may be: MYCELIUM_TORCH_WHEELS, pip's find-links, /opt/wheels.
dirs=()
[[ -n "${MYCELIUM_TORCH_WHEELS:-}" ]] && dirs+=("$MYCELIUM_TORCH_WHEELS")
for key in global.find-links :env:.find-links; do
    # shellcheck disable=SC2207
    value=$("$python" -m pip config get "$key" 2>/dev/null) && dirs+=($value)
done
dirs+=(/opt/wheels)
wheels=""
for dir in "${dirs[@]}"; do
    dir=${dir#file://}
    if compgen -G "$dir/torch-*.whl" >/dev/null; then
        wheels=$dir
        break
    fi
done
if [[ -z "$wheels" ]]; then
    say "no local torch wheel (looked in ${dirs[*]}; set MYCELIUM_TORCH_WHEELS to a folder with one)"
    exit 0
fi
# --no-compile: no .pyc for torch's thousands of modules (a third of the install's CPU time); the few the snippet
# imports are compiled when first imported.
# Only local package indexes (pip's configured file:// ones) for torch's own dependencies, never the network.
index=()
for url in $("$python" -m pip config get global.index-url 2>/dev/null) \
           $("$python" -m pip config get global.extra-index-url 2>/dev/null); do
    if [[ $url == file://* ]]; then
        if ((${#index[@]} == 0)); then index+=(--index-url "$url"); else index+=(--extra-index-url "$url"); fi
    fi
done
((${#index[@]})) || index=(--no-index)

rm -rf "$venv"
# Without pip of its own where the base Python's pip (a system site-package) can install into it: copying pip into
# every new venv is seconds of disk writes.
if ! "$python" -m venv --system-site-packages --without-pip "$venv" >/dev/null 2>&1 \
        || ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    rm -rf "$venv"
    if ! "$python" -m venv --system-site-packages "$venv" >/dev/null 2>&1; then
        say "'$python -m venv' cannot create a venv (Debian: apt-get install python3-venv)"
        exit 0
    fi
fi
# pip in the background and a trap: when Maven stops this script (the build ended first), pip stops too.
timeout 600 "$venv/bin/python" -m pip install --disable-pip-version-check --no-compile -q "${index[@]}" \
    --find-links "$wheels" torch >"$venv.pip.log" 2>&1 &
pip_pid=$!
trap 'kill "$pip_pid" 2>/dev/null; exit 143' TERM INT HUP
if ! wait "$pip_pid"; then
    say "pip could not install torch offline from $wheels: $(tail -n 1 "$venv.pip.log")"
    exit 0
fi
trap - TERM INT HUP
if ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
    say "torch was installed into $venv but does not import"
    exit 0
fi
say ready
