#!/usr/bin/env bash
# vdrop's awd model against the PyTorch reference on the same weights and masks (see README.md).
#   bench/crosscheck/run.sh [lstm|gru] [STEPS]      # default gru 30; needs Debian's python3-torch
set -euo pipefail
cd "$(dirname "$0")/../.."
cell=${1:-gru}
steps=${2:-30}
./vdrop --help > /dev/null   # builds the samples' jar on first use
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp="samples/target/vdrop-samples-0.1.0-SNAPSHOT.jar:$(cat samples/target/classpath.txt)"
javac -d "$work/classes" -cp "$cp" bench/crosscheck/Dump.java bench/crosscheck/Steps.java
run() { java --add-modules jdk.incubator.vector -cp "$work/classes:$cp" "$@" 2>&1 | { grep -v '^WARNING: Using incubator' || true; }; }
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
echo "== one pass, the same weights and masks ($cell)"
run dev.vdrop.samples.Dump "$cell" "$work/pass"
/usr/bin/python3 bench/crosscheck/cross.py "$work/pass" "$cell"
echo "== $steps training steps, replayed with vdrop's masks ($cell, float32)"
run dev.vdrop.samples.Steps "$cell" "$work/steps" "$steps"
/usr/bin/python3 bench/crosscheck/replay.py "$work/steps" "$cell" 32
