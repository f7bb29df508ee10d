#!/usr/bin/env python3
"""Turn a data set with arrival times into replayable VoxRoute traffic (ticket JSONL sorted by arrival).

Input: JSONL with `id`, `text`, optional `title`, `label`, `lang`, `channel` and `ts` (ISO-8601 local time, to the
second, e.g. ../shared/data/zh-gov-board/traffic-unlabelled.jsonl). Output: one ticket per line,
`{"id", "text", "ts", "lang", "channel", "label"?}` with `ts` carrying the zone offset (`--zone`, default +08:00,
the offset of the zh-gov-board city), sorted by `ts` (ties keep input order). `voxroute journal import` then
journals each ticket at its `ts`, so `voxroute replay --mode load --speed Nx` replays the recorded pace.

Options:
  --zone +08:00        offset of the local times in the input
  --max-gap-seconds N  shorten any idle gap longer than N seconds to N (keeps bursts, drops dead nights/weeks)
  --limit N            keep the first N tickets after sorting
  --id-prefix P        prefix ticket ids (to replay the same traffic twice into one server)

Usage:
  python3 replay-data/traffic/make_traffic.py ../shared/data/zh-gov-board/traffic-unlabelled.jsonl \
      --max-gap-seconds 3600 > /tmp/zh-gov-traffic.jsonl
"""
import argparse
import datetime as dt
import json
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("--zone", default="+08:00")
    ap.add_argument("--max-gap-seconds", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--id-prefix", default="")
    a = ap.parse_args()
    sign = -1 if a.zone.startswith("-") else 1
    hh, mm = a.zone.lstrip("+-").split(":")
    tz = dt.timezone(sign * dt.timedelta(hours=int(hh), minutes=int(mm)))
    rows = []
    with open(a.input, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            r = json.loads(line)
            if "ts" not in r or "id" not in r or not (r.get("text") or r.get("title")):
                sys.exit(f"{a.input}:{n}: needs id, text (or title) and ts")
            t = dt.datetime.fromisoformat(r["ts"])
            if t.tzinfo is None:
                t = t.replace(tzinfo=tz)
            text = "\n".join(x for x in (r.get("title"), r.get("text")) if x)
            out = {"id": a.id_prefix + str(r["id"]), "text": text, "lang": r.get("lang", "zh-Hans"),
                   "channel": r.get("channel", "web")}
            if r.get("label"):
                out["label"] = r["label"]
            rows.append((t, n, out))
    rows.sort(key=lambda x: (x[0], x[1]))
    if a.limit:
        rows = rows[: a.limit]
    shift = dt.timedelta(0)
    prev = None
    for t, _, out in rows:
        if prev is not None and a.max_gap_seconds and (t - prev).total_seconds() > a.max_gap_seconds:
            shift += (t - prev) - dt.timedelta(seconds=a.max_gap_seconds)
        prev = t
        out["ts"] = (t - shift).isoformat()
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
