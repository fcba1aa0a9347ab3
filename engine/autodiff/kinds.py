"""What a graph node can be: the kinds a node carries beside its display name, each with the
letter the maths writes it with (for one entry, and for the whole matrix or vector), whether
its layer is written above it, and a word for people. The browser reads these through the
catalog instead of parsing names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeKind:
    kind: str
    label: str           # "pre-activation"
    symbol: str | None   # one entry: "w"; None where the node's name is all there is to show
    whole: str | None    # the whole matrix or vector: "W"
    layered: bool = False  # written with its layer as a superscript: w^l


NODE_KINDS = {k.kind: k for k in (
    NodeKind("input", "input", "x", "x"),
    NodeKind("target", "target", "y", "y"),
    NodeKind("weight", "weight", "w", "W", layered=True),
    NodeKind("bias", "bias", "b", "b", layered=True),
    NodeKind("pre_activation", "pre-activation", "z", "z", layered=True),
    NodeKind("activation", "activation", "a", "a", layered=True),
    NodeKind("loss", "cost", "C", "C"),
    NodeKind("loss_term", "cost of one step", "C", "C"),
    NodeKind("data_loss", "loss on the data", "C₀", "C₀"),
    NodeKind("penalty", "L2 penalty", "Ω", "Ω"),
    NodeKind("hidden_state", "hidden state", "h", "h"),
    NodeKind("prediction", "prediction", "ŷ", "ŷ"),
    NodeKind("parameter", "parameter", None, None),
    NodeKind("variable", "variable", None, None),
    NodeKind("constant", "constant", None, None),
    NodeKind("operation", "operation", None, None),
)}
