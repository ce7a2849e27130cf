"""Measures a model through the real pipeline (`moderation_tool score`).

Bullying = attack, threat or identity_hate. Thresholds are chosen on the
validation split and reported on the test split and on the project's own
examples, so the reported figures are not tuned on what they measure.
"""

import json
import subprocess

BULLYING = {"attack", "threat", "identity_hate"}
RANK = {"publish": 0, "hold": 1, "reject": 2}
# Civil texts held must stay under 1%; we aim below that on validation.
CIVIL_HOLD_BUDGET = 0.007
CIVIL_NUDGE_BUDGET = 0.03
REJECT_PRECISION = 0.95


def score(tool, model, rules, rows):
    """Adds score, rule outcome and per-label probabilities to each row."""
    lines = "".join(json.dumps({"text": r["text"], "id": i}) + "\n" for i, r in enumerate(rows))
    result = subprocess.run([tool, "score", "--model", model, "--rules", rules],
                            input=lines, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise RuntimeError("moderation_tool score failed: " + result.stderr)
    for line in result.stdout.splitlines():
        out = json.loads(line)
        if "id" not in out:
            continue
        row = rows[out["id"]]
        row["score"] = out["score"]
        row["labels"] = out["labels"]
        rule = 0
        for reason in out["reasons"]:
            if reason["code"] == "banned_term":
                rule = max(rule, 2)
            elif reason["code"] == "suspect_term":
                rule = max(rule, 1)
            elif reason["code"] in ("invalid_text", "too_long"):
                rule = max(rule, 2)
        row["rule"] = rule


def decide(row, hold, reject):
    s = row["score"]
    classifier = 2 if s >= reject else (1 if s >= hold else 0)
    return max(row["rule"], classifier)


def roc_auc(rows):
    pos = [r["score"] for r in rows if r["label"] in BULLYING]
    neg = [r["score"] for r in rows if r["label"] not in BULLYING]
    if not pos or not neg:
        return None
    # Rank-sum (Mann-Whitney) with ties counted half.
    allv = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank_sum, i = 0.0, 0
    while i < len(allv):
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        avg = (i + j + 1) / 2.0
        rank_sum += avg * sum(1 for k in range(i, j) if allv[k][1] == 1)
        i = j
    return (rank_sum - len(pos) * (len(pos) + 1) / 2.0) / (len(pos) * len(neg))


def pr(rows, hold, reject, level):
    flagged = [r for r in rows if decide(r, hold, reject) >= level]
    tp = sum(1 for r in flagged if r["label"] in BULLYING)
    pos = sum(1 for r in rows if r["label"] in BULLYING)
    return {"precision": tp / len(flagged) if flagged else None,
            "recall": tp / pos if pos else None, "flagged": len(flagged), "positives": pos}


def share(rows, label, pred):
    sel = [r for r in rows if r["label"] == label]
    return {"n": len(sel), "share": (sum(1 for r in sel if pred(r)) / len(sel)) if sel else None}


def measure(rows, th):
    hold, reject, nudge = th["hold"], th["reject"], th["nudge"]
    m = {"n": len(rows), "roc_auc": roc_auc(rows),
         "hold_or_reject": pr(rows, hold, reject, 1), "reject": pr(rows, hold, reject, 2),
         "civil_held": share(rows, "civil", lambda r: decide(r, hold, reject) >= 1),
         "civil_nudged": share(rows, "civil", lambda r: r["score"] >= nudge or r["rule"] > 0),
         "profanity_held": share(rows, "profanity", lambda r: decide(r, hold, reject) >= 1)}
    for label in sorted(BULLYING):
        m["recall_" + label] = share(rows, label, lambda r: decide(r, hold, reject) >= 1)
    for source in sorted({r["source"] for r in rows}):
        m["civil_held_" + source] = share([r for r in rows if r["source"] == source], "civil",
                                          lambda r: decide(r, hold, reject) >= 1)
    return m


# Sources whose "civil" label we trust for the civil-hold budget. HateXplain's
# "normal" posts keep slurs and group-directed claims that annotators let pass
# ("reminder that the jews control the media"); they are reported on their own.
RELIABLE_CIVIL = {"own", "davidson", "jigsaw"}


def choose_thresholds(valid):
    grid = [x / 100.0 for x in range(20, 100)]
    civil = [r for r in valid if r["label"] == "civil" and r["source"] in RELIABLE_CIVIL]

    def civil_rate(pred):
        return sum(1 for r in civil if pred(r)) / max(1, len(civil))

    hold = next((t for t in grid if civil_rate(lambda r: decide(r, t, 1.01) >= 1)
                 <= CIVIL_HOLD_BUDGET), 0.99)
    nudge = next((t for t in grid if civil_rate(lambda r: r["score"] >= t)
                  <= CIVIL_NUDGE_BUDGET), hold)
    nudge = min(nudge, hold)
    # The classifier alone rejects only where it is precise enough; when no
    # threshold reaches that, it never rejects (1.0) and only holds, and the
    # word list's banned terms are the only automatic rejections.
    reject = 1.0
    for t in [x for x in grid if x >= hold]:
        flagged = [r for r in valid if r["score"] >= t]
        tp = sum(1 for r in flagged if r["label"] in BULLYING)
        if flagged and tp / len(flagged) >= REJECT_PRECISION:
            reject = t
            break
    return {"nudge": nudge, "hold": hold, "reject": reject}


def evaluate(tool, model, rules, rows):
    score(tool, model, rules, rows)
    valid = [r for r in rows if r["split"] == "valid"]
    test = [r for r in rows if r["split"] == "test"]
    th = choose_thresholds(valid)
    own = [r for r in rows if r["source"] == "own"]
    return {
        "thresholds": th,
        "valid": measure(valid, th),
        "test": measure(test, th),
        "test_public": measure([r for r in test if r["source"] != "own"], th),
        "own_test": measure([r for r in test if r["source"] == "own"], th),
        "own_all_seen_in_training": measure(own, th),
    }


def print_report(report):
    th = report["thresholds"]
    print("thresholds (chosen on validation): nudge %.2f hold %.2f reject %.2f"
          % (th["nudge"], th["hold"], th["reject"]))
    for name in ("valid", "test", "test_public", "own_test", "own_all_seen_in_training"):
        m = report[name]
        f = lambda v: "-" if v is None else "%.3f" % v  # noqa: E731
        print("%-26s n=%5d auc=%s hold P=%s R=%s reject P=%s R=%s civil_held=%s (n=%d) "
              "civil_nudged=%s profanity_held=%s recall attack=%s threat=%s hate=%s" % (
                  name, m["n"], f(m["roc_auc"]),
                  f(m["hold_or_reject"]["precision"]), f(m["hold_or_reject"]["recall"]),
                  f(m["reject"]["precision"]), f(m["reject"]["recall"]),
                  f(m["civil_held"]["share"]), m["civil_held"]["n"],
                  f(m["civil_nudged"]["share"]), f(m["profanity_held"]["share"]),
                  f(m["recall_attack"]["share"]), f(m["recall_threat"]["share"]),
                  f(m["recall_identity_hate"]["share"])))
        print("    civil held by source: " + " ".join(
            "%s=%s(n=%d)" % (k[len("civil_held_"):], f(v["share"]), v["n"])
            for k, v in sorted(m.items()) if k.startswith("civil_held_") and v["n"]))
