#!/usr/bin/env bash
# Checks a local copy of the data sets against replay-data/manifests/datasets.json (sha256 and line counts).
# Usage: replay-data/verify-data.sh [DATA_DIR]   (default: $VOXROUTE_DATA, else ../shared/data beside the repo)
# Exit 0 all match, 1 some file missing or different, 2 usage error.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="${1:-${VOXROUTE_DATA:-$here/../../shared/data}}"
[[ -d "$data" ]] || { echo "verify-data: no data directory at $data (pass one, or set VOXROUTE_DATA)" >&2; exit 2; }
python3 - "$here/manifests/datasets.json" "$data" <<'PY'
import hashlib, json, os, sys
manifest, data = sys.argv[1], sys.argv[2]
bad = 0
for s in json.load(open(manifest))["sets"]:
    for name, want in s["files"].items():
        p = os.path.join(data, s["name"], name)
        if not os.path.isfile(p):
            print(f"MISSING {p}"); bad += 1; continue
        raw = open(p, "rb").read()
        digest = hashlib.sha256(raw).hexdigest()
        ok = digest == want["sha256"] and ("lines" not in want or raw.count(b"\n") == want["lines"])
        print(("OK      " if ok else "CHANGED ") + p); bad += 0 if ok else 1
sys.exit(1 if bad else 0)
PY
