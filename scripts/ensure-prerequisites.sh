#!/usr/bin/env bash
# Installs what a fresh Debian machine needs to build and test Mycelium: a JDK 17, Maven, gcc, the CPython 3.11
# headers (python3-dev), venv support (python3-venv: a node's python.executable may name a venv, and the tests make
# some), pytest + hypothesis, and Chromium with its WebDriver (chromium, chromium-driver: itests' browser test drives
# /usr/bin/chromium through /usr/bin/chromedriver). Only what is missing is installed; nothing is done when all is
# there.
set -euo pipefail

missing=()
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
if ! command -v python3 >/dev/null 2>&1; then
    missing+=(python3 python3-dev python3-venv python3-pytest python3-hypothesis)
else
    if ! command -v python3-config >/dev/null 2>&1 \
        || [ ! -f "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ]; then
        missing+=(python3-dev)
    fi
    python3 -c 'import ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
    python3 -c 'import pytest' >/dev/null 2>&1 || missing+=(python3-pytest)
    python3 -c 'import hypothesis' >/dev/null 2>&1 || missing+=(python3-hypothesis)
fi
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "Mycelium needs: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "not root and no sudo: install them with apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "no apt-get on this machine: install the packages above by hand" >&2
    exit 1
fi
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
