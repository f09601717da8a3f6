#!/usr/bin/env bash
# Trains the same network with PyTorch (one thread) and with `edgeml train`, side by side, and
# prints seconds per epoch (median and all), peak RSS and accuracy for each. See docs/training.md.
#
#   bench/train-vs-pytorch.sh            784-128-10 10 epochs: Adam 1e-3 batch 32 (both), our default recipe
#   bench/train-vs-pytorch.sh --deep     also 784-256-128-10, dropout 0.2, 15 epochs
#   bench/train-vs-pytorch.sh --cnn      only the preset CNN (train --arch cnn) and its recipe in PyTorch,
#                                        CNN_EPOCHS (default 10) epochs each
#   EPOCHS=3 bench/train-vs-pytorch.sh   fewer epochs (timing only; accuracy needs the full count)
#
# Environment: DATA (IDX directory, default /usr/share/datasets/fashion-mnist), EDGEML_TRAIN (the train
# command, default "<repo>/edgeml train"), EDGEML_JAVA_OPTS (JVM options the launcher passes on).
# Needs python3-torch and, for PyTorch at its best, OpenBLAS (Debian's python3-torch otherwise runs on the
# reference BLAS, 3-4x slower): sudo apt-get install python3-torch libopenblas0-pthread. On a shared machine the timings
# are noisy: run it on a quiet machine and compare runs from the same invocation only.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${DATA:-/usr/share/datasets/fashion-mnist}"
EPOCHS="${EPOCHS:-10}"
TRAIN="${EDGEML_TRAIN:-$ROOT/edgeml train}"
PYTHON=/usr/bin/python3
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "bench: PyTorch is missing: sudo apt-get install python3-torch" >&2
  exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "bench: /usr/bin/time is missing: sudo apt-get install time" >&2
  exit 2
fi

# run NAME COMMAND...: runs a command whose stdout ends with one JSON line, records its peak RSS.
run() {
  local name="$1"; shift
  echo "== $name: $*" >&2
  /usr/bin/time -f '%M' -o "$OUT/$name.rss" "$@" > "$OUT/$name.json" 2> >(tee "$OUT/$name.log" | grep -E '^epoch [0-9]+/[0-9]+  train|^pytorch epoch|^test accuracy' >&2)
  "$PYTHON" - "$name" "$OUT/$name.json" "$OUT/$name.rss" <<'PY'
import json, statistics, sys
name, result, rss = sys.argv[1:]
r = json.loads(open(result).read().strip().splitlines()[-1])
s = r["epoch_seconds"]
print(f"{name:<28} median {statistics.median(s):5.2f} s/epoch  (all: {' '.join(f'{x:.2f}' for x in s)})  "
      f"peak RSS {int(open(rss).read().split()[-1]) / 1024:6.0f} MB  test acc {r['test_accuracy']:.4f}")
PY
}

SUMMARY="$OUT/summary.txt"
if [[ "${1:-}" == "--cnn" ]]; then
  CNN_EPOCHS="${CNN_EPOCHS:-10}"
  {
    run pytorch-cnn "$PYTHON" "$ROOT/bench/train_pytorch.py" --data "$DATA" --arch cnn --lr-decay 0.1 --epochs "$CNN_EPOCHS"
    # shellcheck disable=SC2086
    run edgeml-cnn $TRAIN --dataset idx --data "$DATA" --arch cnn --epochs "$CNN_EPOCHS" --out "$OUT/cnn.zip" --json
  } | tee "$SUMMARY"
  exit 0
fi
{
  run pytorch-128-b32 "$PYTHON" "$ROOT/bench/train_pytorch.py" --data "$DATA" --hidden 128 --batch 32 --epochs "$EPOCHS"
  # shellcheck disable=SC2086
  run edgeml-128-b32 $TRAIN --dataset idx --data "$DATA" --hidden 128 --batch 32 --lr 0.001 --epochs "$EPOCHS" --out "$OUT/b32.zip" --json
  # shellcheck disable=SC2086
  run edgeml-128-default $TRAIN --dataset idx --data "$DATA" --epochs "$EPOCHS" --out "$OUT/default.zip" --json
  if [[ "${1:-}" == "--deep" ]]; then
    run pytorch-256-128-drop "$PYTHON" "$ROOT/bench/train_pytorch.py" --data "$DATA" --hidden 256,128 --dropout 0.2 --batch 32 --epochs 15
    # shellcheck disable=SC2086
    run edgeml-256-128-drop $TRAIN --dataset idx --data "$DATA" --hidden 256,128 --dropout 0.2 --epochs 15 --out "$OUT/deep.zip" --json
  fi
} | tee "$SUMMARY"
