#!/usr/bin/env python3
"""Score the verdict on probe reviews written under PROBE-BRIEF.md (issue 17).

A review is a folder `reviewNNX/` holding `01.html` … `40.html` and `labels.tsv`
(id, lang, label, pattern, source, reason). Held-out waves stay outside the repository (default
root /work/coord) until measured; opened ones are kept in corpus/probes (`--root corpus/probes`).

    python3 corpus/verdicts/probes.py BINARY 54a 54b …          # totals, per label/lang, confusion
    python3 corpus/verdicts/probes.py BINARY 54a-h -q            # one line per set and the total
    python3 corpus/verdicts/probes.py BINARY 54a-h -o out.tsv    # every probe's verdict
    python3 corpus/verdicts/probes.py --compare BASE.tsv NEW.tsv # probes whose verdict moved

Set ranges: `54a-h` means 54a … 54h, `54i-p` likewise (letters, then aa, ab … as needed).
Python 3.11+ standard library only.
"""

import argparse
import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

LABELS = ["supported", "not-supported", "unknown", "conflicting"]
LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]
LETTERS += [p + c for p in "ab" for c in LETTERS[:26]]


def expand(spec):
    """`54a-h` → 54a … 54h; `54ag-an` → 54ag … 54an; `54c` → 54c."""
    digits = "".join(ch for ch in spec if ch.isdigit())
    rest = spec[len(digits):]
    if "-" not in rest:
        return [spec]
    first, last = rest.split("-", 1)
    i, j = LETTERS.index(first), LETTERS.index(last)
    return [digits + LETTERS[k] for k in range(i, j + 1)]


def read_labels(folder):
    rows = []
    with open(os.path.join(folder, "labels.tsv"), encoding="utf-8") as f:
        for n, line in enumerate(f):
            cols = line.rstrip("\n").split("\t")
            if n == 0 and cols[0] == "id":
                continue
            if len(cols) < 3 or not cols[0].strip():
                continue
            rows.append((cols[0].strip(), cols[1].strip(), cols[2].strip()))
    return rows


def verdict(binary, path):
    out = subprocess.run(
        [binary, "inspect", "--file", path, "--select", "main"],
        capture_output=True, text=True, timeout=60,
    )
    for line in reversed(out.stdout.splitlines()):
        if line.startswith("VERDICT online-cancellation:"):
            return line.split(":", 1)[1].strip()
    return "error"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?")
    ap.add_argument("sets", nargs="*")
    ap.add_argument("--root", default="/work/coord")
    ap.add_argument("-q", action="store_true", help="one line per set")
    ap.add_argument("-o", help="write every probe's verdict to this TSV")
    ap.add_argument("--compare", nargs=2, metavar=("BASE", "NEW"))
    args = ap.parse_args()
    if args.compare:
        return compare(*args.compare)
    jobs = []
    for spec in args.sets:
        for s in expand(spec):
            folder = os.path.join(args.root, "review" + s)
            for pid, lang, label in read_labels(folder):
                jobs.append((s, pid, lang, label, os.path.join(folder, pid + ".html")))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        got = list(pool.map(lambda j: verdict(args.binary, j[4]), jobs))
    per_set, by_label, by_lang, confusion = Counter(), Counter(), Counter(), Counter()
    totals = Counter()
    for (s, pid, lang, label, _), v in zip(jobs, got):
        ok = v == label
        per_set[(s, ok)] += 1
        by_label[(label, ok)] += 1
        by_lang[(lang, ok)] += 1
        confusion[(label, v)] += 1
        totals[ok] += 1
    n = len(jobs)
    if args.o:
        with open(args.o, "w", encoding="utf-8") as f:
            for (s, pid, lang, label, _), v in zip(jobs, got):
                f.write(f"{s}/{pid}\t{lang}\t{label}\t{v}\n")
    for s in dict.fromkeys(j[0] for j in jobs):
        k, t = per_set[(s, True)], per_set[(s, True)] + per_set[(s, False)]
        print(f"{s}\t{k}/{t}")
    print(f"total\t{totals[True]}/{n}\t{100.0 * totals[True] / max(n, 1):.1f} %")
    if args.q:
        return 0
    print("by label:", ", ".join(
        f"{l} {by_label[(l, True)]}/{by_label[(l, True)] + by_label[(l, False)]}" for l in LABELS))
    langs = sorted({j[2] for j in jobs})
    print("by lang:", ", ".join(
        f"{l} {by_lang[(l, True)]}/{by_lang[(l, True)] + by_lang[(l, False)]}" for l in langs))
    print("confusion (rows label; cols " + ", ".join(LABELS) + ", error):")
    for l in LABELS:
        print(f"  {l:14}", " ".join(f"{confusion[(l, v)]:4}" for v in LABELS + ["error"]))
    return 0


def compare(base, new):
    def load(p):
        with open(p, encoding="utf-8") as f:
            return {c[0]: c for c in (line.rstrip("\n").split("\t") for line in f)}
    a, b = load(base), load(new)
    gained = lost = moved = 0
    for key in a:
        if key not in b or a[key][3] == b[key][3]:
            continue
        label = a[key][2]
        tag = "+" if b[key][3] == label else "-" if a[key][3] == label else "~"
        gained += tag == "+"
        lost += tag == "-"
        moved += tag == "~"
        print(f"{tag} {key}\t{label}\t{a[key][3]} -> {b[key][3]}")
    print(f"gained {gained}, lost {lost}, moved between wrong verdicts {moved}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
