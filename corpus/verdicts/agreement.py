#!/usr/bin/env python3
"""How often a second reading agrees with the first labels (round 19 of issue 17).

    python3 corpus/verdicts/agreement.py                      # readers only
    python3 corpus/verdicts/agreement.py --results out.json   # and the program (measure.py --json)

second-reading.toml holds labels given again, without sight of sources.toml, to pages of
heldout39-43. Python 3.11+ standard library only.
"""

import argparse
import json
import os
import tomllib
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = ["supported", "not-supported", "unknown", "conflicting"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", help="measure.py --json output to compare the program too")
    args = ap.parse_args()
    with open(os.path.join(HERE, "sources.toml"), "rb") as f:
        first = {p["id"]: p for p in tomllib.load(f)["page"]}
    with open(os.path.join(HERE, "second-reading.toml"), "rb") as f:
        second = {p["id"]: p["label"] for p in tomllib.load(f)["page"]}
    ids = sorted(second)
    n = len(ids)
    same = [i for i in ids if first[i]["label"] == second[i]]
    print(f"pages {n}; the readings agree on {len(same)}/{n} ({100 * len(same) / n:.1f}%)")
    for lang in ["en", "zh-hans", "zh-hant"]:
        of = [i for i in ids if first[i]["lang"] == lang]
        if of:
            print(f"  {lang}: {sum(i in same for i in of)}/{len(of)}")
    pairs = Counter((first[i]["label"], second[i]) for i in ids)
    print("first (rows) x second (columns):")
    print(" " * 15 + "".join(f"{l:>15}" for l in LABELS))
    for a in LABELS:
        print(f"{a:>15}" + "".join(f"{pairs[(a, b)]:>15}" for b in LABELS))
    for i in ids:
        if first[i]["label"] != second[i]:
            print(f"  differ: {i} first {first[i]['label']}, second {second[i]}")
    if args.results:
        with open(args.results) as f:
            got = {r["id"]: r["got"] for r in json.load(f)}
        ids = [i for i in ids if i in got]
        a = sum(got[i] == first[i]["label"] for i in ids)
        b = sum(got[i] == second[i] for i in ids)
        c = sum(got[i] == first[i]["label"] for i in ids if i in same)
        both = sum(i in same for i in ids)
        print(f"program vs first labels {a}/{len(ids)}; vs second reading {b}/{len(ids)}; "
              f"on the pages both readings agree on {c}/{both}")


if __name__ == "__main__":
    main()
