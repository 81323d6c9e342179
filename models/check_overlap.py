"""Check that no training sentence copies evaluation text: shared word 8-grams or near-identical lines.

    python models/check_overlap.py [--eval-dir DIR ...] [--n 8]

The evaluation text is the real dev data in ``../shared/eval`` and our own red-team chats in
``benchmarks/redteam`` (by default both; ``--eval-dir`` replaces them and may be repeated). Exit 1 and
list the offending training lines (file:line, never the evaluation text) when any training sentence
shares an ``n``-word sequence with an evaluation record, or when a training line equals an evaluation
sentence after case and punctuation folding. A folder that is absent is skipped; with none present
the check is skipped (exit 0).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_WORD = re.compile(r"[a-z0-9']+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def eval_texts(eval_dir: Path) -> list[str]:
    out = []
    for path in sorted(eval_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.extend(t["text"] for t in json.loads(line).get("turns", []))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--eval-dir", type=Path, action="append", help="folder of evaluation JSONL files (repeatable)")
    ap.add_argument("--data", type=Path, default=HERE / "training_data")
    ap.add_argument("--n", type=int, default=8, help="shared word n-gram length that counts as copying")
    args = ap.parse_args()
    redteam = HERE.parent / "benchmarks" / "redteam"
    dirs = args.eval_dir or [HERE.parent.parent / "shared" / "eval", redteam, redteam / "probes"]
    present = [d for d in dirs if d.is_dir()]
    for d in dirs:
        if d not in present:
            print(f"skipped: {d} not found")
    if not present:
        return 0
    grams: set[tuple[str, ...]] = set()
    sentences: set[str] = set()
    for text in (t for d in present for t in eval_texts(d)):
        tokens = words(text)
        grams |= ngrams(tokens, args.n)
        for sent in re.split(r"(?<=[.!?])\s+|\n+", text):
            folded = " ".join(words(sent))
            if len(folded.split()) >= 7:  # shorter lines ("What do you think?") are common phrases
                sentences.add(folded)
    bad = 0
    checked = 0
    for path in sorted(args.data.glob("*.jsonl")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            checked += 1
            tokens = words(json.loads(line)["text"])
            if ngrams(tokens, args.n) & grams or " ".join(tokens) in sentences:
                bad += 1
                print(f"{path.name}:{lineno}: shares text with the evaluation data")
    print(f"{checked} training lines checked against {len(grams)} evaluation {args.n}-grams: {bad} overlapping")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
