"""Throughput of the full pipeline against the raw backbone, on a generated corpus.

    python benchmarks/throughput.py [--conversations 2000] [--batch-size 64] [--skip-workers]

Prints conversations/s, user turns/s, the time ratio of the protected gate's clause pass (same corpus
without it), the speed-up of ``encoder_dtype="bfloat16"`` and how many conversations it gives the
same interests and intents as float32 (same corpus, same run), peak RSS, the 1-worker vs 2-worker speed-up of
``extractor run``, the privacy normaliser's sentences/s, and on its last line
``pipeline_vs_backbone=R ...``: the full pipeline's
throughput divided by the raw backbone forward pass's throughput on exactly the same user
sentences (the segments the pipeline embeds), with the same batch size, in the same run.
The corpus is generated from this project's own training sentences (never from eval data).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor import Extractor, ExtractorConfig  # noqa: E402
from extractor.components import segments_of  # noqa: E402
from extractor.privacy.normalize import normalize  # noqa: E402
from extractor.resources import shared_encoder  # noqa: E402
from extractor.schema import parse_record  # noqa: E402

ASSISTANT_REPLIES = [
    "That sounds great! What would you like to know?",
    "Here are a few options to consider, depending on your budget.",
    "Good question. It depends on how often you plan to use it.",
    "Sure, I can help with that.",
    "Many people start with a simple setup and upgrade later.",
    "Would you like some recommendations?",
]
FILLER = ["Thanks!", "ok cool", "Can you say more?", "What do you think?", "Got it, thanks a lot."]


def generate_corpus(n: int, seed: int = 7) -> list[dict]:
    """``n`` varied conversations: 1-4 user turns of 1-2 sentences from the training data, with replies."""
    rng = random.Random(seed)
    data = ROOT / "models" / "training_data"
    sentences = sorted(
        {json.loads(line)["text"] for p in sorted(data.glob("*.jsonl")) for line in p.open(encoding="utf-8")}
    )
    corpus = []
    for i in range(n):
        turns = []
        for _ in range(rng.randint(1, 4)):
            k = rng.choice((1, 1, 2))
            text = " ".join(rng.choice(sentences) for _ in range(k))
            if rng.random() < 0.15:
                text += " " + rng.choice(FILLER)
            turns.append({"speaker": "user", "text": text})
            turns.append({"speaker": "assistant", "text": rng.choice(ASSISTANT_REPLIES)})
        corpus.append({"id": f"bench-{i:06d}", "region": "US", "user_id": f"u{i % 97}", "turns": turns})
    return corpus


def embedded_sentences(ex: Extractor, corpus: list[dict]) -> list[str]:
    """Exactly the segments the pipeline sends to the backbone."""
    out: list[str] = []
    for record in corpus:
        docs = ex.make_docs(parse_record(record))
        for name, proc in ex.nlp.pipeline:
            if name == "ise_encoder":
                break
            docs = [proc(d) for d in docs]
        out.extend(s.text for d in docs for s in segments_of(d) if s.is_user and s.supported)
    return out


def time_workers(corpus: list[dict], workers: int, batch_size: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in corpus), encoding="utf-8")
        cmd = [sys.executable, "-m", "extractor", "run", str(src), "-o", str(dst), "--quiet"]
        cmd += ["--workers", str(workers), "--batch-size", str(batch_size)]
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True)
        return time.perf_counter() - start


def _outcome(result: Any) -> tuple:
    """What a run decides for a conversation: its status and its interests with their intent."""
    d = result.to_dict()
    return d["status"], sorted((i["id"], i["intent"]) for i in d["interests"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conversations", type=int, default=2000)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--skip-workers", action="store_true", help="skip the 1- vs 2-worker comparison")
    args = ap.parse_args()

    corpus = generate_corpus(args.conversations)
    user_turns = sum(1 for r in corpus for t in r["turns"] if t["speaker"] == "user")
    ex = Extractor().warm_up()
    sentences = embedded_sentences(ex, corpus)
    encoder = ex.nlp.get_pipe("ise_encoder").encoder or shared_encoder()

    # Warm both paths once on a slice, then time them back to back on the full corpus.
    list(ex.pipe(corpus[:50], batch_size=args.batch_size))
    encoder.embed(sentences[:200], batch_size=args.batch_size)

    t0 = time.perf_counter()
    encoder.embed(sentences, batch_size=args.batch_size)
    t_backbone = time.perf_counter() - t0

    t0 = time.perf_counter()
    results = list(ex.pipe(corpus, batch_size=args.batch_size))
    t_pipeline = time.perf_counter() - t0

    # The same corpus with the protected gate reading whole sentences only (no clause pass), to price it.
    whole = Extractor(config=ExtractorConfig(protected_clause_min_words=None)).warm_up()
    list(whole.pipe(corpus[:50], batch_size=args.batch_size))
    t0 = time.perf_counter()
    list(whole.pipe(corpus, batch_size=args.batch_size))
    t_whole = time.perf_counter() - t0

    # The same corpus with the encoder under bfloat16 autocast: its speed-up and how often it changes an output.
    bf16 = Extractor(config=ExtractorConfig(encoder_dtype="bfloat16")).warm_up()
    list(bf16.pipe(corpus[:50], batch_size=args.batch_size))
    t0 = time.perf_counter()
    bf16_results = list(bf16.pipe(corpus, batch_size=args.batch_size))
    t_bf16 = time.perf_counter() - t0
    same = sum(_outcome(a) == _outcome(b) for a, b in zip(results, bf16_results, strict=True))

    assert len(results) == len(corpus)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(corpus)} conversations, {user_turns} user turns, {len(sentences)} embedded sentences")
    print(f"pipeline: {len(corpus) / t_pipeline:.1f} conversations/s, {user_turns / t_pipeline:.1f} user turns/s")
    print(f"backbone: {len(sentences) / t_backbone:.1f} sentences/s (forward pass alone)")
    print(
        f"protected clause reading: {len(corpus) / t_whole:.1f} conversations/s without it, "
        f"clause_reading_time_ratio={t_pipeline / t_whole:.2f}"
    )
    print(
        f"encoder_dtype=bfloat16: {len(corpus) / t_bf16:.1f} conversations/s, "
        f"bfloat16_speedup={t_pipeline / t_bf16:.2f}x, "
        f"same interests and intents as float32 in {same} of {len(corpus)} conversations"
    )
    print(f"peak RSS: {peak_rss_mb:.0f} MiB")
    if not args.skip_workers:
        sub = corpus[: min(len(corpus), 1000)]
        one = time_workers(sub, 1, args.batch_size)
        two = time_workers(sub, 2, args.batch_size)
        print(f"workers: 1 -> {len(sub) / one:.1f} conv/s, 2 -> {len(sub) / two:.1f} conv/s, speed-up {one / two:.2f}x")
    # The privacy gate folds every sentence (homoglyphs, spaced letters, leetspeak) before matching.
    t0 = time.perf_counter()
    for sentence in sentences:
        normalize(sentence)
    print(f"privacy normalize: {len(sentences) / (time.perf_counter() - t0):.0f} sentences/s")
    ratio = t_backbone / t_pipeline
    print(
        f"pipeline_vs_backbone={ratio:.3f} pipeline_s={t_pipeline:.2f} backbone_s={t_backbone:.2f} "
        f"sentences={len(sentences)} batch_size={args.batch_size}"
    )


if __name__ == "__main__":
    main()
