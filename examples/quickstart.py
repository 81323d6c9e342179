"""Quickstart: the extractor's Python API in five steps.

Run from the repository root:

    .venv/bin/python examples/quickstart.py

Everything runs offline; the first call loads the models (a few seconds).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

# Never reach for a model hub: every model ships with the package or lives in models/.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

EXAMPLES = Path(__file__).resolve().parent

try:  # imported after the environment is set, before any model loads
    from extractor import Extractor
except ModuleNotFoundError:  # a source checkout without `pip install -e .`: use the package beside this folder
    sys.path.insert(0, str(EXAMPLES.parent))
    from extractor import Extractor


def read_jsonl(path: str | Path) -> Iterator[str]:
    """Yield the non-blank lines of a JSON Lines file; ``Extractor.pipe`` parses and validates each."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield line


def main() -> None:
    ex = Extractor()

    # 1. One conversation, as a dict. Evidence is taken from the user's own words only; the
    #    diagnosis sentence is dropped by the privacy gate and the running shoes survive.
    result = ex.extract(
        {
            "id": "quickstart-1",
            "region": "US",
            "turns": [
                {"speaker": "user", "text": "I was just diagnosed with type 2 diabetes."},
                {"speaker": "assistant", "text": "That's a lot to take in. How can I help?"},
                {"speaker": "user", "text": "I need new trail running shoes for my weekend runs in the hills."},
            ],
        }
    )
    print("== one conversation ==")
    print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))

    # 2. OpenAI-style "messages" are accepted as an alias of "turns".
    result = ex.extract(
        {
            "id": "quickstart-2",
            "messages": [
                {"role": "user", "content": "Which espresso grinder should I buy for a Gaggia Classic Pro?"},
                {"role": "assistant", "content": "The DF54 and the Baratza Sette 270 are popular matches."},
            ],
        }
    )
    print("\n== messages alias ==")
    print(result.id, result.status, [(i.name, i.intent) for i in result.interests])

    # 3. A whole file, lazily: records are read, validated and processed batch by batch, and every
    #    input line yields exactly one result (ok, excluded or error) in input order.
    print("\n== examples/transcripts.jsonl ==")
    statuses: Counter[str] = Counter()
    for r in ex.pipe(read_jsonl(EXAMPLES / "transcripts.jsonl"), batch_size=32):
        statuses[r.status] += 1
        if r.status == "ok":
            top = ", ".join(f"{i.name} ({i.score:.2f})" for i in r.interests[:3]) or "-"
            notes = f"  [{', '.join(r.policy.notes)}]" if r.policy.notes else ""
            print(f"{r.id:<34} {top}{notes}")
        elif r.status == "excluded":
            print(f"{r.id:<34} excluded: {r.policy.reason}")
        else:
            print(f"{r.id:<34} error: {r.error.code if r.error else '?'}")
    print(dict(statuses))

    # 4. Bad input never raises: each bad line becomes an error result whose message names the
    #    record and field at fault, never the transcript text.
    print("\n== examples/malformed.jsonl ==")
    for r in ex.pipe(read_jsonl(EXAMPLES / "malformed.jsonl")):
        detail = f"{r.error.code}: {r.error.message}" if r.error else f"{len(r.interests)} interest(s)"
        print(f"{r.id!s:<20} {r.status:<6} {detail}")

    # 5. Audit helper: which protected categories does the gate see in a text? (For evaluation and
    #    audits only - the categories never appear in extraction output.)
    print("\n== protected_categories ==")
    print(sorted(ex.protected_categories("I was just diagnosed with diabetes")))


if __name__ == "__main__":
    main()
