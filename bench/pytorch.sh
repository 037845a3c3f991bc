#!/usr/bin/env bash
# Runs the PyTorch reference (bench/reference/vdrop_reference.py) beside vdrop's and DL4J's
# benchmark and prints the ratios: the table of bench/run with a PyTorch column and vdrop/PyTorch.
#
#   bench/pytorch.sh [small|medium|classifier|all] [--cell lstm|gru|both] [--seconds N] [bench/run options] [PATH.py]
#
# bench/pytorch.sh classifier prints the word-level classifier's training tokens/s, vdrop ÷ PyTorch;
# --cell gru times only the GRU twins of small and medium against vdrop_reference.py --cell gru.
#
# PATH.py (or --pytorch-script PATH) times another script with the same command line; the default
# is bench/reference/vdrop_reference.py. Installs Debian's PyTorch and the OpenMP OpenBLAS with
# apt-get when they are missing (python3-torch alone runs on the netlib reference BLAS, ~50×
# slower), runs the script's --check first, and runs /usr/bin/python3 with
# LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
script="$here/reference/vdrop_reference.py"
variant=c
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    *.py) script="$1" ;;
    --pytorch-script) script="${2:?--pytorch-script needs a path}"; shift ;;
    --pytorch-variant) variant="${2:?--pytorch-variant needs a, b or c}"; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$here/pytorch.sh"; exit 0 ;;
    *) args+=("$1") ;;
  esac
  shift
done
if [[ ! -f "$script" ]]; then
  echo "bench/pytorch.sh: no PyTorch script at $script" >&2
  exit 1
fi
script="$(cd "$(dirname "$script")" && pwd)/$(basename "$script")"

packages=(python3-torch libopenblas0-openmp)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "Installing ${missing[*]} with apt-get (a few minutes) ..."
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "bench/pytorch.sh: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${packages[@]}"
fi

# Only PyTorch gets the OpenMP OpenBLAS on its library path (bench/run sets it for each run).
LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  /usr/bin/python3 "$script" --check
exec "$here/run" "${args[@]}" --require-pytorch --pytorch-script "$script" --pytorch-variant "$variant"
