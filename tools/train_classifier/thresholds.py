#!/usr/bin/env python3
"""Measures the shipped model at several reject thresholds, without retraining.

The same rows, splits and pipeline as train.py (`moderation_tool score` with the
shipped model and word list); hold and nudge stay as shipped. For each reject
threshold it prints, on the validation and the held-out test split and on the
project's own examples: precision and recall of "held or rejected" and of
"rejected", the share of civil texts held and of bullying texts sent to a
moderator instead of being rejected.

    cmake --build build --target moderation_tool
    python3 tools/train_classifier/thresholds.py --tool build/src/moderation/moderation_tool
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evaluate  # noqa: E402
import labels  # noqa: E402
import train  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tool", required=True, help="path to moderation_tool")
    parser.add_argument("--model", default=os.path.join(train.DATA, "bullying.ftz"))
    parser.add_argument("--rules", default=os.path.join(train.DATA, "word_rules.txt"))
    parser.add_argument("--hold", type=float, default=0.89)
    parser.add_argument("--nudge", type=float, default=0.53)
    parser.add_argument("--reject", default="0.89,0.93,0.95,0.97,0.99")
    args = parser.parse_args()

    rows = labels.load_all(train.DATA)
    for row, norm in zip(rows, train.normalise(args.tool, [r["text"] for r in rows])):
        row["norm"] = norm
        row["split"] = labels.split_of(norm)
    rows = [r for r in rows if r["norm"].strip()]
    rows = train.drop_civil_with_listed_terms(args.tool, args.rules, rows)
    evaluate.score(args.tool, args.model, args.rules, rows)
    sets = {"valid": [r for r in rows if r["split"] == "valid"],
            "test": [r for r in rows if r["split"] == "test"],
            "own_test": [r for r in rows if r["split"] == "test" and r["source"] == "own"]}
    f = lambda v: "-" if v is None else "%.3f" % v  # noqa: E731
    for name, subset in sets.items():
        print("%s: n=%d ROC-AUC %s" % (name, len(subset), f(evaluate.roc_auc(subset))))
    print("%-8s %-8s %-13s %-13s %-10s %-14s" % ("reject", "set", "hold P/R", "reject P/R",
                                                  "civil held", "bullying held*"))
    for reject in [float(x) for x in args.reject.split(",")]:
        th = {"nudge": args.nudge, "hold": args.hold, "reject": reject}
        for name, subset in sets.items():
            m = evaluate.measure(subset, th)
            bullying = [r for r in subset if r["label"] in evaluate.BULLYING]
            to_moderator = sum(1 for r in bullying if evaluate.decide(r, args.hold, reject) == 1)
            print("%-8.2f %-8s %s/%s   %s/%s   %-10s %s" % (
                reject, name,
                f(m["hold_or_reject"]["precision"]), f(m["hold_or_reject"]["recall"]),
                f(m["reject"]["precision"]), f(m["reject"]["recall"]),
                f(m["civil_held"]["share"]), f(to_moderator / max(1, len(bullying)))))
    print("* bullying texts held for a moderator rather than rejected (rules included)")


if __name__ == "__main__":
    main()
