#!/usr/bin/env bash
# For machines WITH internet access (the build machines here have none): fetches the public Banking77 CSVs
# (PolyAI, CC BY 4.0) and writes train.jsonl / dev.jsonl in VoxRoute's schema ({id, text, label, lang}) into
# OUT_DIR/banking77/. The dev split is a stratified, seeded 10% of the original training set, as in the
# shared copy; its sha256 may still differ from replay-data/manifests/datasets.json if the upstream CSV changed.
# Only Banking77 has a stable public URL; the other sets are research copies: see the manifest for sources.
# Usage: replay-data/fetch-banking77.sh OUT_DIR   Exit 0 done, 1 download failed, 2 usage error.
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: fetch-banking77.sh OUT_DIR" >&2; exit 2; }
out="$1/banking77"; mkdir -p "$out"
base="https://raw.githubusercontent.com/PolyAI-LDN/task-specific-datasets/master/banking_data"
curl -fsSL "$base/train.csv" -o "$out/train.csv" || { echo "fetch-banking77: download failed" >&2; exit 1; }
python3 - "$out" <<'PY'
import csv, json, random, sys, collections
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/train.csv", encoding="utf-8")))
by = collections.defaultdict(list)
for i, r in enumerate(rows):
    by[r["category"]].append({"id": f"train-{i}", "text": r["text"], "label": r["category"], "lang": "en"})
rnd = random.Random(77); train, dev = [], []
for label in sorted(by):
    xs = by[label]; rnd.shuffle(xs); k = max(1, round(len(xs) * 0.1)); dev += xs[:k]; train += xs[k:]
for name, xs in (("train", train), ("dev", dev)):
    rnd.shuffle(xs)
    with open(f"{out}/{name}.jsonl", "w", encoding="utf-8") as f:
        for x in xs: f.write(json.dumps(x, ensure_ascii=False) + "\n")
print(f"wrote {len(train)} train and {len(dev)} dev tickets to {out}")
PY
