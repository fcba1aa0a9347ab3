"""How a trained classifier does on a set of rows: the confusion matrix and the rows it gets wrong.

A row's class is the argmax of its one-hot target, or its 0/1 target for one sigmoid output; the
network's class is the argmax of a softmax output, or its one output thresholded at 0.5. Other
networks (regression, several sigmoid outputs) are not classifiers here and get no report.
"""

from __future__ import annotations

import numpy as np

from engine.limits import MAX_MISCLASSIFIED
from engine.networks.network import predict
from engine.networks.spec import NetworkSpec, Params
from engine.views.serialize import clean


def classes(spec: NetworkSpec, outputs: np.ndarray, targets: np.ndarray):
    """(predicted, actual) class per row, or None for a network that is not a classifier."""
    if spec.activations[-1] == "softmax":
        return outputs.argmax(axis=1), targets.argmax(axis=1)
    if spec.layer_sizes[-1] == 1 and spec.activations[-1] == "sigmoid":
        return (outputs[:, 0] >= 0.5).astype(int), (targets[:, 0] >= 0.5).astype(int)
    return None


def confusion(predicted: np.ndarray, actual: np.ndarray, count: int) -> np.ndarray:
    """counts[a, p]: how many rows of class a the network put in class p."""
    counts = np.zeros((count, count), dtype=np.int64)
    np.add.at(counts, (actual, predicted), 1)
    return counts


def evaluate(spec: NetworkSpec, params: Params, inputs: np.ndarray, targets: np.ndarray,
             which: str) -> dict | None:
    """The confusion matrix on these rows (`which` names them: "test" or "train") and up to
    MAX_MISCLASSIFIED misclassified rows in order, each with its inputs, its class, the
    network's class and the network's outputs (the probabilities, for softmax)."""
    outputs = predict(spec, params, inputs)
    found = classes(spec, outputs, targets)
    if found is None:
        return None
    predicted, actual = found
    count = max(2, spec.layer_sizes[-1])
    wrong = np.flatnonzero(predicted != actual)
    return {
        "set": which,
        "rows": len(inputs),
        "classes": count,
        "confusion": confusion(predicted, actual, count).tolist(),
        "accuracy": float(np.mean(predicted == actual)),
        "misclassified_count": len(wrong),
        "misclassified": [{"row": int(i), "target": int(actual[i]), "predicted": int(predicted[i]),
                           "outputs": clean(outputs[i]), "inputs": clean(inputs[i])}
                          for i in wrong[:MAX_MISCLASSIFIED]],
    }
