#!/usr/bin/env python3
"""Trains Masthead's bullying classifier (data/moderation/bullying.ftz).

Reproducible: python3 standard library, the `fasttext` CLI (Debian package
`fasttext`) and the repo's own `moderation_tool` (built from src/moderation/), so
training text is normalised by exactly the code that normalises comments.
Everything it reads is in the repo under data/moderation/ (training/ holds the
public sets with their licences and SOURCE notes, examples/ the project's own).

    cmake --build build --target moderation_tool
    python3 tools/train_classifier/train.py --tool build/src/moderation/moderation_tool

Steps: build labelled rows (labels.py) -> normalise -> split by a hash of the
text into train 70% / validation 15% / test 15% -> fastText supervised ->
quantise -> score validation and test through the real pipeline
(`moderation_tool score`) -> choose thresholds on validation -> report metrics
on test and on the project's own examples (evaluate.py) into a JSON file that
MODEL_CARD.md quotes.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compose  # noqa: E402
import evaluate  # noqa: E402
import labels  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(REPO, "data", "moderation")

# fastText settings. Word unigrams+bigrams without character n-grams: the
# normaliser already folds spelling evasions, and subword rows would cost most
# of the per-comment time budget (100,000 comments/s per core).
FASTTEXT_ARGS = [
    "-dim", "32", "-wordNgrams", "2", "-minn", "0", "-maxn", "0",
    "-epoch", "5", "-lr", "0.2", "-bucket", "200000", "-minCount", "2",
    "-loss", "softmax", "-thread", "1", "-seed", "7",
]
QUANTIZE_ARGS = ["-qnorm", "-dsub", "2", "-thread", "1"]


def normalise(tool, texts):
    """Normalises texts with the pipeline's own normaliser (one per line)."""
    flat = [t.replace("\n", " ").replace("\r", " ") for t in texts]
    result = subprocess.run([tool, "normalise"], input="\n".join(flat) + "\n",
                            capture_output=True, text=True, check=True)
    out = result.stdout.split("\n")[:len(flat)]
    assert len(out) == len(flat), "normaliser output is misaligned"
    return out


def listed_terms(tool, rules_path):
    """The banned and suspect terms of the word list, normalised like the text."""
    terms = []
    with open(rules_path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if len(line) >= 3 and line[0] in ("banned", "suspect"):
                terms.append(" ".join(line[2:]))
    return [t for t in normalise(tool, terms) if t]


def drop_civil_with_listed_terms(tool, rules_path, rows):
    """Public rows labelled normal/neither that contain a slur or attack phrase
    from our word list are label noise for this policy (it would reject or hold
    them): drop them instead of teaching the classifier they are civil."""
    pattern = re.compile(r"(?:^| )(?:%s)(?= |$)" % "|".join(
        re.escape(t) for t in sorted(listed_terms(tool, rules_path), key=len, reverse=True)))
    kept = [r for r in rows if not (r["label"] == "civil" and r["source_kind"] == "public"
                                    and pattern.search(r["norm"]))]
    print("dropped %d public civil rows containing listed terms" % (len(rows) - len(kept)))
    return kept


def write_fasttext(path, rows, weights):
    lines = []
    for row in rows:
        repeat = weights.get(row["source_kind"], 1)
        if row["label"] == "threat" and row["source_kind"] == "own":
            repeat *= 2  # threats are rare in the public sets
        lines.extend(["__label__%s %s" % (row["label"], row["norm"])] * repeat)
    random.Random(11).shuffle(lines)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tool", required=True, help="path to moderation_tool")
    parser.add_argument("--fasttext", default="fasttext", help="fastText CLI")
    parser.add_argument("--out", default=os.path.join(DATA, "bullying.ftz"))
    parser.add_argument("--rules", default=os.path.join(DATA, "word_rules.txt"))
    parser.add_argument("--metrics", default=os.path.join(DATA, "metrics.json"))
    parser.add_argument("--own-weight", type=int, default=15,
                        help="how many times each own example is repeated")
    parser.add_argument("--extra", default="",
                        help="extra fastText supervised arguments (experiments)")
    args = parser.parse_args()
    fasttext_args = FASTTEXT_ARGS + args.extra.split()

    rows = labels.load_all(DATA)
    norms = normalise(args.tool, [r["text"] for r in rows])
    for row, norm in zip(rows, norms):
        row["norm"] = norm
        row["split"] = labels.split_of(norm)
    rows = [r for r in rows if r["norm"].strip()]
    rows = drop_civil_with_listed_terms(args.tool, args.rules, rows)
    civil_train = [r["text"] for r in rows
                   if r["source"] == "own" and r["label"] == "civil" and r["split"] == "train"]
    composed = compose.compose(os.path.join(DATA, "examples", "parts"), civil_train)
    for row, norm in zip(composed, normalise(args.tool, [r["text"] for r in composed])):
        row["norm"] = norm
        row["split"] = "train"  # never measured
    rows += composed
    counts = {}
    for r in rows:
        key = (r["source"], r["label"], r["split"])
        counts[key] = counts.get(key, 0) + 1
    for key in sorted(counts):
        print("%-14s %-14s %-6s %6d" % (key + (counts[key],)))

    with tempfile.TemporaryDirectory() as tmp:
        train_path = os.path.join(tmp, "train.txt")
        write_fasttext(train_path, [r for r in rows if r["split"] == "train"],
                       {"own": args.own_weight})
        prefix = os.path.join(tmp, "model")
        subprocess.run([args.fasttext, "supervised", "-input", train_path, "-output", prefix]
                       + fasttext_args, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([args.fasttext, "quantize", "-input", train_path, "-output", prefix]
                       + QUANTIZE_ARGS, check=True, stdout=subprocess.DEVNULL)
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(prefix + ".ftz", "rb") as src, open(args.out, "wb") as dst:
            dst.write(src.read())
    size = os.path.getsize(args.out)
    print("model %s: %.2f MB" % (args.out, size / 1e6))

    report = evaluate.evaluate(args.tool, args.out, args.rules, rows)
    report["model_bytes"] = size
    report["fasttext_args"] = fasttext_args
    report["quantize_args"] = QUANTIZE_ARGS
    report["own_weight"] = args.own_weight
    report["counts"] = {"%s/%s/%s" % k: v for k, v in sorted(counts.items())}
    with open(args.metrics, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, sort_keys=True)
        f.write("\n")
    evaluate.print_report(report)


if __name__ == "__main__":
    main()
