#!/usr/bin/env python3
"""Learns the weights that weigh the rules' reading of a page into its headline.

The program reads each page with its rules; `inspect --weighing` prints the features of that
reading (counts of statements by stance and mark, the concepts they name, their order among the
statements, the rules' own answer, and since round 59 the words of those statements: each
Latin word and each pair of neighbouring words or Han characters, with the statement's
stance). This script gathers those features for every labelled page we may tune on,
the opened probes (corpus/probes/review*/labels.tsv) and the fixtures
(tests/fixtures/verdicts.toml), fits a multinomial logistic regression, and writes
src/extract/verdict/weigh/weights.rs. The weights are a table the program looks up; nothing is
learnt at run time.

    python3 -m venv /tmp/train && /tmp/train/bin/pip install scikit-learn
    cargo build --release
    /tmp/train/bin/python corpus/verdicts/train.py target/release/policywatch
    /tmp/train/bin/python corpus/verdicts/train.py target/release/policywatch --evaluate

`--evaluate` writes nothing: it holds out each wave of probes in turn (eight reviews written
together), trains on the rest and the fixtures, and prints how many of the held-out wave the
rules and the weighing get right. Features do not depend on the weights (they are read from the
rules' answer), so the binary may carry any weights when it is run. `--rounds 62` holds out only
round 62's waves (each still trained on everything else), for a round's own figure in minutes
rather than every wave's in hours.

Needs scikit-learn (development only: the build and the tests do not).
"""

import argparse
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROBES = os.path.join(ROOT, "corpus", "probes")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
OUT = os.path.join(ROOT, "src", "extract", "verdict", "weigh", "weights.rs")

# The answers in the order the program's table lists them (scikit-learn sorts class names).
CLASSES = ["conflicting", "not-supported", "supported", "unknown"]
RUST = {
    "conflicting": "Verdict::Conflicting",
    "not-supported": "Verdict::NotSupported",
    "supported": "Verdict::Supported",
    "unknown": "Verdict::Unknown",
}
# Chosen held out wave by wave (round 59, with the word features): C = 0.3 of 0.1, 0.3 and 1
# (round 56, before them: 1 of 0.1, 0.3, 1 and 3); a margin of 0.2 and
# a fixture weight of 5 are the lightest that leave every fixture as the rules read it (at
# 0.1 and 1 three fixtures changed, for +9 held-out probes of 3,840; on 4,800 probes a
# weight of 3 changed one, for +8).
C = float(os.environ.get("C", "0.3"))
# A word feature ("ng:<stance>:<word or pair>", the words of the statements) is learnt only
# when at least this many training pages have it: rarer ones would name the page, not the
# wording (round 59: 5 keeps about 20,000 of about 240,000).
NG_MIN = int(os.environ.get("NG_MIN", "5"))
# A fixture counts as this many probes: each is a case a rule was written for, and the
# weighing should not undo it.
FIXTURE_WEIGHT = float(os.environ.get("FIXTURE_WEIGHT", "5"))
# How much more likely than the rules' answer the weighing's must be to replace it.
MARGIN = float(os.environ.get("MARGIN", "0.2"))
FEATURE = re.compile(r"^  FEATURE (.+) = (\S+)$")
RULES = re.compile(r"^WEIGHED the rules read (\S+);")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
SET_ORDER = list(LETTERS) + ["a" + c for c in LETTERS] + ["b" + c for c in LETTERS]


def features(binary, path, select=(), remove=()):
    # No config: the built-in lexicon and default limits, as the tests read the fixtures.
    args = [binary, "--config", "/nonexistent/policywatch.toml", "inspect", "--file", path, "--weighing"]
    for s in select or ["main"]:
        args += ["--select", s]
    for r in remove:
        args += ["--remove", r]
    run = subprocess.run(args, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"{path}: inspect failed ({run.returncode}): {run.stderr.strip()[:500]}")
    out = run.stdout
    f, rules = {}, None
    for line in out.splitlines():
        m = FEATURE.match(line)
        if m:
            f[m.group(1)] = float(m.group(2))
        m = RULES.match(line)
        if m:
            rules = m.group(1)
    if rules is None:
        sys.exit(f"{path}: no WEIGHED line in `inspect --weighing`")
    return f, rules


def probes():
    """(wave, key, path, label) for every opened probe: a wave is eight reviews in order."""
    rows = []
    for d in sorted(os.listdir(PROBES)):
        m = re.fullmatch(r"review(\d+)([a-z]+)", d)
        if not m:
            continue
        rnd, letters = m.group(1), m.group(2)
        wave = f"{rnd}w{SET_ORDER.index(letters) // 8 + 1}"
        with open(os.path.join(PROBES, d, "labels.tsv"), encoding="utf-8") as fh:
            for line in fh.read().splitlines()[1:]:
                c = line.split("\t")
                if len(c) >= 3:
                    rows.append((wave, f"{rnd}{letters}/{c[0]}", os.path.join(PROBES, d, c[0] + ".html"), {}, c[2]))
    return rows


def fixtures():
    with open(os.path.join(FIXTURES, "verdicts.toml"), "rb") as fh:
        pages = tomllib.load(fh)["page"]
    return [
        ("fixture", p["file"], os.path.join(FIXTURES, p["file"]), p, p["verdict"])
        for p in pages
    ]


def gather(binary):
    rows = probes() + fixtures()

    def one(r):
        wave, key, path, spec, label = r
        select = spec.get("select", ["body"]) if wave == "fixture" else ["main"]
        f, rules = features(binary, path, select, spec.get("remove", []))
        return wave, key, label, f, rules

    with ThreadPoolExecutor(os.cpu_count() or 2) as ex:
        return list(ex.map(one, rows))


def fit(rows):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    seen = Counter(k for r in rows for k in r[3] if k.startswith("ng:"))
    rare = {k for k, n in seen.items() if n < NG_MIN}
    dv = DictVectorizer()
    x = dv.fit_transform([{k: v for k, v in r[3].items() if k not in rare} for r in rows])
    # Stops at a tolerance looser than scikit-learn's default: with the word features the
    # solver creeps on for minutes without changing an answer.
    model = LogisticRegression(C=C, max_iter=2000, tol=1e-3)
    weight = [FIXTURE_WEIGHT if r[0] == "fixture" else 1.0 for r in rows]
    model.fit(x, [r[2] for r in rows], sample_weight=weight)
    assert list(model.classes_) == CLASSES, model.classes_
    return dv, model


def backed(f, answer):
    """Can the evidence back this answer (weigh::backed)?"""
    # Deciding statements are those about the service: add-on lines are counted apart.
    def some(s):
        return f.get(f"ev:{s}", 0) - f.get(f"ev:{s}+add-on", 0) > 0

    offer = some("online")
    refusal = any(some(s) for s in ["online, negated", "offline only", "offline required", "cannot be cancelled"])
    # Products answered differently are no contradiction (round 59).
    split = f.get("line:PRODUCT=supported", 0) > 0 and f.get("line:PRODUCT=not-supported", 0) > 0
    return {
        "supported": offer,
        "not-supported": refusal,
        "conflicting": offer and refusal and not split,
        "unknown": True,
    }[answer]


def decide(dv, model, f, rules):
    """The program's rule (weigh::decide), in Python, for --evaluate."""
    p = dict(zip(CLASSES, model.predict_proba(dv.transform([f]))[0]))
    ranked = sorted(CLASSES, key=lambda c: -p[c])
    best = next((c for c in ranked if backed(f, c)), rules)
    if p[best] - p[rules] > MARGIN:
        return best
    return rules


def evaluate(rows, rounds=None):
    waves = sorted({r[0] for r in rows if r[0] != "fixture"}, key=lambda w: (int(w.split("w")[0]), int(w.split("w")[1])))
    # Each wave is still held out from all the others; only the waves reported are chosen.
    if rounds:
        waves = [w for w in waves if w.split("w")[0] in rounds]
    total = [0, 0, 0]
    for w in waves:
        train = [r for r in rows if r[0] != w]
        test = [r for r in rows if r[0] == w]
        dv, model = fit(train)
        rules = sum(r[4] == r[2] for r in test)
        weighed = sum(decide(dv, model, r[3], r[4]) == r[2] for r in test)
        total = [total[0] + len(test), total[1] + rules, total[2] + weighed]
        print(f"{w}\t{len(test)}\trules {rules}\tweighed {weighed}\t{weighed - rules:+d}")
    fixtures = [r for r in rows if r[0] == "fixture"]
    dv, model = fit(rows)
    flipped = [r[1] for r in fixtures if r[4] == r[2] and decide(dv, model, r[3], r[4]) != r[2]]
    print(f"fixtures the rules read right and the weighing would not: {len(flipped)} {flipped}")
    n, a, b = total
    print(f"all\t{n}\trules {a} ({100 * a / n:.1f} %)\tweighed {b} ({100 * b / n:.1f} %)")


def write(dv, model, n_probes, n_fixtures):
    names = dv.get_feature_names_out()
    coef = model.coef_
    rows = sorted(
        (name, [float(coef[k][i]) for k in range(len(CLASSES))]) for i, name in enumerate(names)
    )
    lines = [
        "//! Generated by corpus/verdicts/train.py: do not edit by hand. Multinomial logistic",
        f"//! regression (C = {C}) on {n_probes} opened probes and {n_fixtures} fixtures, one",
        "//! row per feature of the rules' reading, one weight per answer in [`CLASSES`] order.",
        "use super::super::Verdict;",
        "pub(super) const CLASSES: [Verdict; 4] = [" + ", ".join(RUST[c] for c in CLASSES) + "];",
        "pub(super) const INTERCEPT: [f32; 4] = [" + ", ".join(f"{v:.5}" for v in model.intercept_) + "];",
        f"pub(super) const MARGIN: f32 = {MARGIN};",
        f"pub(super) static WEIGHTS: [(&str, [f32; 4]); {len(rows)}] = [",
    ]
    for name, w in rows:
        lines.append(f"    ({rust_str(name)}, [{', '.join(f'{v:.5}' for v in w)}]),")
    lines.append("];")
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"wrote {OUT}: {len(rows)} features, {n_probes} probes, {n_fixtures} fixtures")


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--evaluate", action="store_true")
    ap.add_argument(
        "--rounds",
        nargs="+",
        help="with --evaluate: hold out only these rounds' waves, one at a time (e.g. 62)",
    )
    args = ap.parse_args()
    rows = gather(args.binary)
    if args.evaluate:
        evaluate(rows, args.rounds)
        return
    dv, model = fit(rows)
    write(dv, model, sum(r[0] != "fixture" for r in rows), sum(r[0] == "fixture" for r in rows))


if __name__ == "__main__":
    main()
