#!/usr/bin/env bash
# Measures what int8 quantization costs on Fashion-MNIST: trains the reference networks, quantizes each
# with every calibration method, and checks float vs int8 accuracy and agreement on the 10k test set.
#
#   bench/quantize-accuracy.sh [OUTDIR]        (default: bench-out/quantize; about 10 minutes on 2 cores)
#
# Prints a table and writes OUTDIR/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-bench-out/quantize}"
mkdir -p "$OUT"
EDGEML=./edgeml

# name | train options
RECIPES=(
  "784-128-10-relu|--hidden 128 --activation relu --optimizer adam --lr 0.001 --batch 32 --epochs 10"
  "784-256-128-10-relu|--hidden 256,128 --activation relu --dropout 0.2 --optimizer adam --lr 0.001 --batch 32 --epochs 15"
  "784-128-10-sigmoid|--hidden 128 --activation sigmoid --optimizer adam --lr 0.001 --batch 32 --epochs 10"
  "784-128-10-tanh|--hidden 128 --activation tanh --optimizer adam --lr 0.001 --batch 32 --epochs 10"
)
METHODS=(minmax percentile mse)

results="["
printf '%-22s %-10s %8s %8s %8s %9s %9s %7s\n' model method float int8 drop_pp agreement bytes ratio
for entry in "${RECIPES[@]}"; do
  name="${entry%%|*}"
  opts="${entry#*|}"
  model="$OUT/$name.zip"
  if [[ ! -f "$model" ]]; then
    # shellcheck disable=SC2086
    $EDGEML train $opts --seed 42 --out "$model" --json > "$OUT/$name.train.json"
  fi
  for method in "${METHODS[@]}"; do
    q8="$OUT/$name.$method.q8"
    $EDGEML quantize "$model" --out "$q8" --method "$method" --json > "$OUT/$name.$method.quantize.json"
    $EDGEML check "$q8" --json > "$OUT/$name.$method.check.json"
    line=$(python3 - "$OUT/$name.$method.quantize.json" "$OUT/$name.$method.check.json" "$name" "$method" <<'PY'
import json, sys
q = json.load(open(sys.argv[1])); c = json.load(open(sys.argv[2]))
row = dict(model=sys.argv[3], method=sys.argv[4], float_accuracy=c["float_accuracy"], int8_accuracy=c["int8_accuracy"],
           drop_pp=c["drop_pp"], agreement=c["agreement"], file_bytes=q["file_bytes"], size_ratio=q["size_ratio"], id=c["model"])
print(json.dumps(row))
PY
)
    results="$results$line,"
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("%-22s %-10s %8.4f %8.4f %+8.2f %9.4f %9d %6.1f%%" % (r["model"], r["method"], r["float_accuracy"], r["int8_accuracy"], r["drop_pp"], r["agreement"], r["file_bytes"], 100*r["size_ratio"]))' "$line"
  done
done
echo "${results%,}]" > "$OUT/results.json"
echo "results: $OUT/results.json"
