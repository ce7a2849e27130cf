"""Composes training examples from the project's written parts.

Reader comments often mix a civil argument with one insult or threat, and
mention groups of people in civil ways far more often than hateful ones. The
handwritten parts in data/moderation/examples/parts/ are combined with the
civil lines of the training split so the classifier learns that the insult,
threat or dehumanising predicate is what matters, not the topic around it.
Deterministic (fixed seed). Composed rows are training-only: they are never
measured, and they use only civil lines from the training split.
"""

import os
import random


def _lines(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def compose(parts_dir, civil_train, seed=5):
    rng = random.Random(seed)
    part = lambda name: _lines(os.path.join(parts_dir, name + ".txt"))  # noqa: E731
    insults, threats = part("insult_clauses"), part("threat_clauses")
    groups, hate, civil_pred = part("groups"), part("hate_predicates"), part("civil_predicates")
    profanity, heated = part("profanity_clauses"), part("heated_clauses")
    rows = []

    def add(label, text):
        rows.append({"source": "composed", "source_kind": "composed", "label": label,
                     "text": text})

    def mix(sentence, clause):
        return sentence + " " + clause if rng.random() < 0.6 else clause + " " + sentence

    for _ in range(1200):
        add("attack", mix(rng.choice(civil_train), rng.choice(insults)))
    for _ in range(500):
        add("threat", mix(rng.choice(civil_train), rng.choice(threats)))
    for group in groups:
        for pred in hate:
            frame = rng.choice(["{g} {p}.", "All {g} {p}.", "Honestly, {g} {p}.",
                                "{c} {g} {p}."])
            add("identity_hate", frame.format(g=group, p=pred, c=rng.choice(civil_train)))
        for pred in civil_pred:
            # Two frames per pair: group words must not read as hate by themselves.
            for frame in rng.sample(["{g} {p}.", "Many {g} {p}.", "{c} {g} {p}.",
                                     "Most {g} {p}.", "In my experience {g} {p}."], 2):
                add("civil", frame.format(g=group, p=pred, c=rng.choice(civil_train)))
    for _ in range(400):
        add("civil", mix(rng.choice(civil_train), rng.choice(heated)))
    for _ in range(400):
        add("profanity", mix(rng.choice(civil_train), rng.choice(profanity)))
    return rows
