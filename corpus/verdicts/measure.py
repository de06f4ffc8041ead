#!/usr/bin/env python3
"""Measure the online-cancellation verdict on the real-wording corpus (issue 17).

The corpus pages are third-party text and are NOT in this repository: they live in a
local cache (default /work/corpus-cache/pages/<id>.html, each page's text inside <main>).
This file only lists sources and hand labels (sources.toml) and runs the program on them.

    python3 corpus/verdicts/measure.py --binary target/debug/policywatch
    python3 corpus/verdicts/measure.py --binary ./policywatch --markdown
    python3 corpus/verdicts/measure.py --binary ./policywatch --split tune --json out.json
    python3 corpus/verdicts/measure.py --binary ./policywatch --split heldout2 --markdown
    python3 corpus/verdicts/measure.py --binary ./policywatch --split dev   # all one may tune on
    python3 corpus/verdicts/measure.py --binary ./policywatch --split heldout64   # never tuned on

For every page listed in sources.toml whose file exists, it runs
    BINARY inspect --file DIR/<id>.html --select main
and reads the last line `VERDICT online-cancellation: X`. It prints accuracy overall,
per language, per label, per split (tune vs heldout), a confusion matrix and the misses.
Python 3.11+ standard library only (tomllib).
"""

import argparse
import json
import os
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict

LABELS = ["supported", "not-supported", "unknown", "conflicting"]
LANGS = ["en", "zh-hant", "zh-hans"]
# Each fresh held-out set: the first id number in it and its name, newest first (see split_rule).
FRESH_SETS = [(8601, "heldout86"), (8501, "heldout85"), (8401, "heldout84"), (8301, "heldout83"), (8201, "heldout82"), (8101, "heldout81"), (8001, "heldout80"), (7901, "heldout79"), (7801, "heldout78"), (7701, "heldout77"), (7601, "heldout76"), (7541, "heldout75s"), (7501, "heldout75"), (7401, "heldout74"), (7301, "heldout73"), (7201, "heldout72"), (7101, "heldout71"), (7001, "heldout70"), (6901, "heldout69"), (6801, "heldout68"), (6701, "heldout67"), (6601, "heldout66"), (6501, "heldout65"), (6401, "heldout64"), (6301, "heldout63"), (6201, "heldout62"), (6101, "heldout61"), (6001, "heldout60"), (5901, "heldout59"), (5801, "heldout58"), (5701, "heldout57"), (5601, "heldout56"), (5501, "heldout55"), (5401, "heldout54"), (5301, "heldout53"), (5201, "heldout52"), (5101, "heldout51"), (5001, "heldout50"), (4901, "heldout49"), (4801, "heldout48"), (4701, "heldout47"), (4601, "heldout46"), (4501, "heldout45"), (4401, "heldout44"), (4301, "heldout43"), (4201, "heldout42"), (4101, "heldout41"), (4001, "heldout40"), (3901, "heldout39"), (3801, "heldout38"), (3701, "heldout37"), (3601, "heldout36"), (3501, "heldout35"), (3401, "heldout34"), (3301, "heldout33"), (3201, "heldout32"), (3101, "heldout31"), (3001, "heldout30"), (2901, "heldout29"), (2801, "heldout28"), (2701, "heldout27"), (2601, "heldout26"), (2501, "heldout25"), (2401, "heldout24"), (2301, "heldout23"), (2201, "heldout22"), (2101, "heldout21"), (2001, "heldout20"), (1901, "heldout19"), (1801, "heldout18"), (1701, "heldout17"), (1601, "heldout16"), (1501, "heldout15"), (1401, "heldout14"), (1301, "heldout13"), (1201, "heldout12"), (1101, "heldout11"), (1001, "heldout10"), (901, "heldout9"), (801, "heldout8"),
              (701, "heldout7"), (601, "heldout6"), (501, "heldout5"), (401, "heldout4"),
              (301, "heldout3"), (201, "heldout2")]
SPLITS = ["tune", "heldout"] + [name for _, name in reversed(FRESH_SETS)]
# The newest set is measured once and not tuned on; `--split dev` is every other set.
NEWEST = FRESH_SETS[0][1]
HERE = os.path.dirname(os.path.abspath(__file__))


def split_rule(n):
    """The split a page's number puts it in.

    Round 1 (ids 1-200): every third page is held out. Round 2 collected a fresh held-out set
    numbered 201-300 ("heldout2"), labelled and committed before the program ran on it. Round 3
    did the same with ids 301 and up ("heldout3"); heldout2 became tune data in round 3, after
    its score had been recorded. Round 4 did the same with ids 401 and up ("heldout4");
    heldout3 became tune data in round 4, after its 38/47 had been recorded. Round 5 did the
    same with ids 501 and up ("heldout5"); heldout4 became tune data in round 5, after its 35/49
    had been recorded. Ids 601 and up ("heldout6") were collected and labelled in the same
    session as a second fresh set, for measuring after round 5 had been tuned on heldout5, and
    ids 701 and up ("heldout7") as a third, for measuring after it had been tuned on heldout6.
    Round 6 collected ids 801 and up ("heldout8") the same way; heldout7 became tune data in
    round 6, after its 57/66 had been recorded. Ids 901 and up ("heldout9") are round 6's second
    fresh set, for measuring after it had been tuned on heldout8 (53/72 fresh). Ids 1001 and up
    ("heldout10") are its third, for the final engine after heldout9's 70/77 (68/77 fresh).
    Ids 1101 and up ("heldout11") are round 7's fresh set, collected in a session that
    changed no verdict rule before measuring it. Ids 1201 and up ("heldout12") are round 8's,
    collected and committed before any run, after round 7's tuning on heldout11 (70/77 fresh).
    Ids 1301 and up ("heldout13") are round 9's, committed before any run, after round 8's
    tuning on heldout12 (81/89 fresh). Ids 1401 and up ("heldout14") are round 10's, committed
    before any run, after round 9's tuning on heldout13 (72/83 fresh). Ids 1501 and up
    ("heldout15") are round 10's second fresh set, committed before any run, after round 10's
    tuning on heldout14 (64/74 fresh) and its paraphrase batch. Ids 1601 and up
    ("heldout16") are round 11's, committed before any run, after heldout15's 63/75 fresh.
    Ids 1701 and up ("heldout17") are round 11's second fresh set, committed before any run,
    after round 11's tuning on heldout16 (72/78 fresh) and its paraphrase batches. Ids 1801
    and up ("heldout18") are round 11's third, committed before any run, after its tuning on
    heldout17 (58/72 fresh). Ids 1901 and up ("heldout19") are round 12's, committed before any
    run, after heldout18's 73/84 fresh. Ids 2001 and up ("heldout20") are round 12's
    second, committed before any run, after its tuning on heldout19 (69/80 fresh). Ids 2101
    and up ("heldout21") and 2201 and up ("heldout22") are round 13's, both committed before
    any run, after heldout20's 63/80 fresh. Ids 2301 and up ("heldout23") and 2401 and up
    ("heldout24") are round 13's third and fourth, both committed before any run, after its
    tuning on heldout21 (64/80 fresh) and heldout22 (66/80 fresh). Ids 2501 and up
    ("heldout25") and 2601 and up ("heldout26") are round 13's fifth and sixth, each committed
    before any run, after its tuning on heldout23 (64/80 fresh) and heldout24 (65/80 fresh).
    Ids 2701 and up ("heldout27") are round 14's, committed before any run; round 14 changed
    how products are answered and tuned on no page. Ids 2801 and up ("heldout28") are round
    15's, committed before any run, after round 15's tuning on heldout25 (55/69 fresh, on its
    restored text) and heldout27. Ids 2901 and up ("heldout29") are round 15's second,
    committed before any run, after its tuning on heldout28 (73/89 fresh). Ids 3001 and up
    ("heldout30") and 3101 and up ("heldout31") are round 16's, both committed before any run;
    heldout30 is measured first, heldout31 after tuning on heldout30. Ids 3201 and up
    ("heldout32") are round 16's third, committed before any run, after its tuning on heldout31
    (61/80 fresh) and the round's review. Ids 3301 and up ("heldout33") are its fourth, committed
    before any run, after heldout32's 72/82 fresh and the round's last rule change. Ids 3401 and
    up ("heldout34") are its fifth, committed before any run, after heldout33's 57/76 fresh and
    the weak-mention rule. Ids 3501 and up ("heldout35") are round 17's first, committed before
    any run, with round 16's final rules. Ids 3601 and up ("heldout36") are its second,
    committed before any run, while round 17's rules were being tuned on heldout28-35. Ids 3701
    and up ("heldout37") are its third, committed before any run, after heldout36's 67/80 and
    round 17's tuning on it. Ids 3801 and up ("heldout38") are its fourth, committed before any
    run, after the round's final rules were fixed. Ids 3901 and up ("heldout39") are round 18's
    set, committed before any run, while round 18's first rules were being tried on heldout28-38. Ids 4001 and up ("heldout40") are
    its second, committed before any run, after round 18's rules were fixed. Ids 4101 and up
    ("heldout41") are its third, committed before any run, collected while heldout40 was read.
    Ids 4201 and up ("heldout42") are its fourth, committed before any run, after its review's
    mends. Ids 4301 and up ("heldout43") are its fifth, committed before any run, while its last
    rules were tried on heldout28-42. Ids 4401 and up ("heldout44") are round 19's set,
    committed before any run, while round 19's first rules were tried on heldout28-43. Ids
    4501 and up ("heldout45") are its second, committed before any run, while heldout44 (run
    once) was read. Ids 4601 and up ("heldout46") are its third, committed before any run, after
    the round's final rules. Ids 4701 and up ("heldout47") are round 20's set, committed before
    any run, while round 20's first rules were tried on heldout28-46. Ids 4801 and up
    ("heldout48") are its second, committed before any run, after round 20's rules (07b5214).
    Ids 4901 and up ("heldout49") are its third, committed before any run, after the review's
    mends (87ef524). Ids 5001 and up ("heldout50") are its fourth, committed before any run,
    after the round's final rules (afeb655). Ids 5101 and up ("heldout51") are round 21's set,
    committed before any run, after the purpose rule (47d08f5); six tag pages whose whole text
    was a question title were left out before any run. Ids 5201 and up ("heldout52") are its
    second, committed before any run, after the round's lexicon from heldout51 (d1521f0). Ids
    5301 and up ("heldout53") are its third, committed before any run, after the round's rules
    from heldout52 and the review. Ids 5401 and up ("heldout54") are round 22's set, committed
    before any run, after the round's first rule (9fc88a0). Ids 5501 and up ("heldout55") are its
    second, committed before any run, after the rules from heldout54 (4fad90f); two
    Traditional-script copies of Simplified news pages in the same set were left out before any
    run. Ids 5601 and up ("heldout56") are its third, committed before any run, after the rules
    from heldout55 (84b15d1). Ids 5701 and up ("heldout57") are round 23's set, committed before
    any run, after the round's first rules (a447b81); en-5715, a copy of the listed en-3336 on
    another host, was left out before any run. Ids 5801 and up ("heldout58") are its second,
    committed before any run, after the rules from heldout57 and the round's review (e8d5e5e);
    four near-copies of listed pages (two letter templates, two reposted texts: en-5823,
    en-5837, zhs-5862, zhs-5876) were left out before any run. Ids 5901 and up ("heldout59") are
    its third, committed before any run, after the round's last rules (37053d1). Ids 6001 and up
    ("heldout60") are its fourth, committed before any run, after the rules from heldout59
    (3ea2f71); a letter template and a reposted news text (en-6017, zht-6055), near-copies of
    listed pages, were left out before any run. Ids 6101 and up ("heldout61") are round 24's
    set, collected on a fresh machine (the cache of earlier sets lost again) and committed before
    any run, with round 23's final rules (abb8f85) fixed. Ids 6201 and up ("heldout62") are its
    second, English only (the index had no new Chinese pages on how a line is ended), committed
    before any run, after the rules from heldout61. Ids 6301 and up ("heldout63") are its third,
    committed before any run, after the rules from heldout62 (3a75437). Ids 6401 and up
    ("heldout64") are its fourth, 13 pages (what the index had left), committed before any run,
    with the round's final rules (997ee38). Ids 6501 and up ("heldout65") are round 25's set,
    collected on the next session's machine and committed before any run, after the round's
    first rule (7d88820, "customer care" alone names no channel). Ids 6601 and up
    ("heldout66") are its second, 29 pages (what the index had left), committed before any run,
    after the rules from heldout65 (c84def6). Ids 6701 and up ("heldout67") are round 27's set,
    76 pages collected and labelled by three readers who never ran the program, committed before
    any run, with round 26's rules (eb68426); their text was read through the search tool and
    given to the program on standard input, never saved. Ids 6801 and up ("heldout68") are its
    second, 80 pages collected the same way by two more readers, committed before any run, after
    the round's rules from heldout67 (9884930). Ids 6901 and up ("heldout69") are its third,
    43 pages, committed before any run, with the round's final rules (8e48dfc). Ids 7001 and up
    ("heldout70") are round 28's set, 53 pages collected the same way by three readers,
    committed before any run, with round 28's rules (826c608). Ids 7101 and up ("heldout71")
    are its second, 54 pages collected the same way by three more readers, committed before any
    run, with the rules after heldout70 (b734e8e). Ids 7201 and up ("heldout72") are its third,
    54 pages from two more readers, committed before any run, with the rules after heldout71 and
    the round's second review (33af59d). Ids 7301 and up ("heldout73") are its fourth, 53 pages
    from two more readers, committed before any run, with the rules after heldout72 (9af2a97).
    Ids 7401 and up ("heldout74") are its fifth, 41 pages, committed before any run, with the
    round's final rules (6b0b716). Ids 7501-7540 ("heldout75") are round 29's first set, 22
    pages, committed before any run, with the rules after round 28 (c29be18); ids 7541 and up
    ("heldout75s") were collected in the same round but are streaming and membership
    subscriptions, outside the protocol's scope, and are reported apart. Ids 7601 and up
    ("heldout76") are its second set, 51 pages, committed before any run, with the rules after
    heldout75's misses (9da9ebc). Ids 7701 and up ("heldout77") are its third, 41 pages,
    committed before any run, with the rules after heldout76's misses and the round's review
    (3e17301). Ids 7801 and up ("heldout78") are round 30's set, 40 pages, committed before any
    run, with the rules of the round's probes of carrier phrasing (f5c12db). Ids 7901 and up
    ("heldout79") are its second, 48 pages, committed before any run, with the rules after
    heldout78's figure and the round's two reviews (998f66f). Ids 8001 and up ("heldout80")
    are its third, 60 pages, committed before any run, with the round's final rules (4c02ca6).
    Ids 8101 and up ("heldout81") are round 31's set, 38 pages, committed before any run, with
    the rules of the round's probes (a phone label, a contact sub-heading, a call centre).
    Ids 8201 and up ("heldout82") are its second, 44 pages, committed before any run, with the
    rules after heldout81's misses and the round's review. Ids 8301 and up ("heldout83") are
    its third, 20 pages, committed before any run, with the round's final rules. Ids 8401 and
    up ("heldout84") are round 32's set, 31 pages, committed before any run, with the rules
    after round 31's misses (an API route, a way's bare label, a support team contacted). Ids
    8501 and up ("heldout85") are its second, 36 pages, committed before any run, with the
    rules after heldout84's figure and the round's review. Ids 8601 and up ("heldout86") are
    round 33's set, 44 pages, committed before any run, with the rules after the round's three
    reviews.
    """
    for first, name in FRESH_SETS:
        if n >= first:
            return name
    return "heldout" if n % 3 == 0 else "tune"


def load_sources(path):
    with open(path, "rb") as f:
        data = tomllib.load(f)
    pages = data.get("page", [])
    seen = set()
    for p in pages:
        for key in ("id", "url", "lang", "label", "pattern", "reason", "split"):
            if key not in p:
                sys.exit(f"{path}: page {p.get('id', '?')} lacks `{key}`")
        if p["id"] in seen:
            sys.exit(f"{path}: duplicate id {p['id']}")
        seen.add(p["id"])
        if p["label"] not in LABELS:
            sys.exit(f"{path}: {p['id']}: bad label {p['label']!r}")
        if p["lang"] not in LANGS:
            sys.exit(f"{path}: {p['id']}: bad lang {p['lang']!r}")
        n = int(p["id"].rsplit("-", 1)[1])
        expected = split_rule(n)
        if p["split"] != expected:
            sys.exit(f"{path}: {p['id']}: split {p['split']!r}, the rule says {expected!r}")
    return pages


def run_one(binary, page_file, timeout):
    """Returns (verdict, evidence_lines, error)."""
    try:
        proc = subprocess.run(
            [binary, "inspect", "--file", page_file, "--select", "main"],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "NO_COLOR": "1"},
        )
    except subprocess.TimeoutExpired:
        return "error", [], "timeout"
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    if not lines or not lines[-1].startswith("VERDICT online-cancellation:"):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return "error", lines, f"exit {proc.returncode}: {tail}"
    verdict = lines[-1].split(":", 1)[1].strip()
    return verdict, lines[:-1], None


def pct(ok, n):
    return f"{ok}/{n} ({100.0 * ok / n:.1f}%)" if n else "0/0 (-)"


def group_acc(results, key):
    acc = defaultdict(lambda: [0, 0])
    for r in results:
        k = r[key]
        acc[k][1] += 1
        acc[k][0] += r["label"] == r["got"]
    return acc


def confusion(results):
    cols = LABELS + (["error"] if any(r["got"] == "error" for r in results) else [])
    m = Counter((r["label"], r["got"]) for r in results)
    return cols, m


def text_report(results, title):
    out = [f"== {title}: {pct(sum(r['label'] == r['got'] for r in results), len(results))}"]
    for key, order in (("lang", LANGS), ("label", LABELS), ("split", SPLITS)):
        acc = group_acc(results, key)
        parts = [f"{k} {pct(*acc[k])}" for k in order if k in acc]
        out.append(f"  per {key}: " + "; ".join(parts))
    cols, m = confusion(results)
    out.append("  confusion (rows = label, columns = program):")
    out.append("    " + "".ljust(14) + "".join(c[:13].rjust(14) for c in cols))
    for lab in LABELS:
        if not any(r["label"] == lab for r in results):
            continue
        out.append("    " + lab.ljust(14) + "".join(str(m[(lab, c)]).rjust(14) for c in cols))
    return out


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def md_report(results):
    out = []
    sets = [("all", results)] + [(s, [r for r in results if r["split"] == s]) for s in SPLITS]
    rows = []
    for name, rs in sets:
        row = [name, pct(sum(r["label"] == r["got"] for r in rs), len(rs))]
        acc = group_acc(rs, "lang")
        row += [pct(*acc[l]) if l in acc else "-" for l in LANGS]
        rows.append(row)
    out += md_table(["set", "overall"] + LANGS, rows)
    out.append("")
    rows = []
    for name, rs in sets:
        acc = group_acc(rs, "label")
        rows.append([name] + [pct(*acc[l]) if l in acc else "-" for l in LABELS])
    out += md_table(["set (per label)"] + LABELS, rows)
    for name, rs in sets:
        out.append("")
        out.append(f"Confusion matrix, {name} (rows: hand label, columns: program):")
        out.append("")
        cols, m = confusion(rs)
        out += md_table(["label \\ program"] + cols, [[lab] + [m[(lab, c)] for c in cols] for lab in LABELS])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", default="/work/corpus-cache/pages", help="folder with <id>.html (default %(default)s)")
    ap.add_argument("--binary", required=True, help="policywatch binary to measure")
    ap.add_argument("--sources", default=os.path.join(HERE, "sources.toml"))
    ap.add_argument("--split", choices=SPLITS + ["dev", "all"], default="all",
                    help="only this split; dev = every set one may tune on: tune, heldout, heldout2-9 (default all)")
    ap.add_argument("--markdown", action="store_true", help="print markdown tables for REPORT.md")
    ap.add_argument("--json", metavar="FILE", help="write per-page results (id, label, got, evidence) to FILE")
    ap.add_argument("--timeout", type=float, default=60.0)
    args = ap.parse_args()

    pages = load_sources(args.sources)
    if args.split == "dev":
        pages = [p for p in pages if p["split"] != NEWEST]
    elif args.split != "all":
        pages = [p for p in pages if p["split"] == args.split]
    results, missing = [], []
    for p in pages:
        f = os.path.join(args.pages, p["id"] + ".html")
        if not os.path.exists(f):
            missing.append(p["id"])
            continue
        got, evidence, err = run_one(args.binary, f, args.timeout)
        results.append({**p, "got": got, "error": err, "evidence": evidence})
    if not results:
        sys.exit(f"no page files found in {args.pages}")

    print(f"pages measured: {len(results)} (listed {len(pages)}, files missing {len(missing)})")
    if missing:
        print("missing: " + " ".join(missing))
    if args.markdown:
        print("\n".join(md_report(results)))
    else:
        print("\n".join(text_report(results, "all")))
        for s in SPLITS:
            rs = [r for r in results if r["split"] == s]
            if rs:
                print("\n".join(text_report(rs, s)))
    misses = [r for r in results if r["label"] != r["got"]]
    print(f"\nmisses: {len(misses)}")
    if args.markdown:
        print("\n".join(md_table(["id", "split", "label", "got", "pattern"],
                                 [[r["id"], r["split"], r["label"], r["got"], r["pattern"]] for r in misses])))
    else:
        for r in misses:
            extra = f"  [{r['error']}]" if r["error"] else ""
            print(f"  {r['id']:8} {r['split']:8} label={r['label']:14} got={r['got']:14} {r['pattern']}{extra}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)
    errors = [r for r in results if r["got"] == "error"]
    return 2 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
