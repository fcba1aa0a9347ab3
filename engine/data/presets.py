"""Named starting points for lessons and demos: content only, served by GET /api/v1/presets.

Each preset is a network, its parameters (explicit, or null to draw them from `seed`), its data
(explicit `inputs`/`targets`, or a `dataset` reference to engine.data.datasets) and the SGD settings
that make it train well. `data` holds exactly the fields of a POST /api/v1/train request.
"""

from __future__ import annotations

# Three clusters of six points around (0, 1), (-0.87, -0.5) and (0.87, -0.5), classes
# interleaved so that any mini-batch sees all three.
_THREE_CLASS_INPUTS = [
    [0.10, 1.10], [-0.90, -0.40], [0.90, -0.40],
    [-0.20, 0.90], [-1.10, -0.60], [1.10, -0.65],
    [0.25, 0.80], [-0.70, -0.70], [0.70, -0.60],
    [-0.10, 1.30], [-0.80, -0.30], [0.85, -0.25],
    [0.30, 1.20], [-1.20, -0.35], [1.20, -0.45],
    [-0.30, 1.05], [-0.60, -0.50], [0.60, -0.80],
]
_THREE_CLASS_TARGETS = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]] * 6

PRESETS: list[dict] = [
    {
        "name": "tiny-2-2-2",
        "title": "The classic worked example",
        "description": "Two inputs, two sigmoid hidden neurons, two sigmoid outputs, squared "
                       "error, fixed weights and one training sample: the network of the "
                       "well-known step-by-step backpropagation example. Its first loss is "
                       "0.298371109 and every number can be checked by hand.",
        "network": {"layer_sizes": [2, 2, 2], "activations": ["sigmoid", "sigmoid"],
                    "loss": "squared_error"},
        "params": {"weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
                   "biases": [[0.35, 0.35], [0.60, 0.60]]},
        "seed": 0,
        "data": {"inputs": [[0.05, 0.10]], "targets": [[0.01, 0.99]]},
        "learning_rate": 0.5,
        "batch_size": None,
        "iterations": 1000,
    },
    {
        "name": "logistic-regression",
        "title": "Logistic regression",
        "description": "One sigmoid neuron with binary cross-entropy separating two gaussian "
                       "blobs: the smallest classifier, whose delta at the output is simply "
                       "prediction minus target.",
        "network": {"layer_sizes": [2, 1], "activations": ["sigmoid"],
                    "loss": "binary_cross_entropy"},
        "params": None,
        "seed": 0,
        "data": {"dataset": {"name": "gaussians", "samples": 100, "noise": 0.1, "seed": 0}},
        "learning_rate": 0.5,
        "batch_size": None,
        "iterations": 300,
    },
    {
        "name": "xor",
        "title": "XOR needs a hidden layer",
        "description": "Class 1 where both coordinates share a sign. No single line separates "
                       "the classes; four tanh hidden neurons bend the boundary.",
        "network": {"layer_sizes": [2, 4, 1], "activations": ["tanh", "sigmoid"],
                    "loss": "binary_cross_entropy"},
        "params": None,
        "seed": 1,
        "data": {"dataset": {"name": "xor", "samples": 200, "noise": 0.05, "seed": 0}},
        "learning_rate": 0.5,
        "batch_size": 32,
        "iterations": 2000,
    },
    {
        "name": "spiral",
        "title": "Two interleaved spirals",
        "description": "A hard 2-D problem: two spiral arms wound around each other. Two tanh "
                       "layers of 16 neurons learn a boundary that follows the arms.",
        "network": {"layer_sizes": [2, 16, 16, 1], "activations": ["tanh", "tanh", "sigmoid"],
                    "loss": "binary_cross_entropy"},
        "params": None,
        "seed": 0,
        "data": {"dataset": {"name": "spiral", "samples": 300, "noise": 0.05, "seed": 0}},
        "learning_rate": 0.3,
        "batch_size": 32,
        "iterations": 3000,
    },
    {
        "name": "circles",
        "title": "A disc inside a ring, with relu",
        "description": "Class 1 inside, class 0 around it. Relu hidden layers (He "
                       "initialisation) carve the disc out of straight pieces.",
        "network": {"layer_sizes": [2, 8, 8, 1], "activations": ["relu", "relu", "sigmoid"],
                    "loss": "binary_cross_entropy"},
        "params": None,
        "seed": 0,
        "data": {"dataset": {"name": "circles", "samples": 200, "noise": 0.05, "seed": 0}},
        "learning_rate": 0.2,
        "batch_size": 32,
        "iterations": 1500,
    },
    {
        "name": "sine",
        "title": "Fitting a sine wave",
        "description": "Regression: a linear output with squared error fits a noisy sine over "
                       "one period, built from the tanh curves of two hidden layers.",
        "network": {"layer_sizes": [1, 16, 16, 1], "activations": ["tanh", "tanh", "linear"],
                    "loss": "squared_error"},
        "params": None,
        "seed": 0,
        "data": {"dataset": {"name": "sine", "samples": 200, "noise": 0.1, "seed": 0}},
        "learning_rate": 0.1,
        "batch_size": 32,
        "iterations": 2000,
    },
    {
        "name": "softmax-3",
        "title": "Three classes with softmax",
        "description": "Three clusters, a softmax output of three neurons and cross-entropy: "
                       "the delta at the output is again prediction minus the one-hot target.",
        "network": {"layer_sizes": [2, 8, 3], "activations": ["tanh", "softmax"],
                    "loss": "cross_entropy"},
        "params": None,
        "seed": 0,
        "data": {"inputs": _THREE_CLASS_INPUTS, "targets": _THREE_CLASS_TARGETS},
        "learning_rate": 0.5,
        "batch_size": None,
        "iterations": 300,
    },
    {
        "name": "line",
        "title": "A line through seven points: two parameters",
        "description": "One linear neuron, y = w x + b, fitted by squared error: a network with "
                       "exactly two parameters, so its whole loss surface can be drawn. The "
                       "inputs all lie right of 0, so w and b pull against each other and the "
                       "surface is a long, narrow valley, where plain SGD crawls and momentum "
                       "or Adam do better.",
        "network": {"layer_sizes": [1, 1], "activations": ["linear"], "loss": "squared_error"},
        "params": {"weights": [[[-1.0]]], "biases": [[4.0]]},
        "seed": 0,
        "data": {"inputs": [[0.0], [0.5], [1.0], [1.5], [2.0], [2.5], [3.0]],
                 "targets": [[0.9], [2.2], [2.8], [4.1], [5.2], [5.9], [6.9]]},
        "learning_rate": 0.1,
        "batch_size": None,
        "iterations": 100,
    },
]

PRESETS_BY_NAME: dict[str, dict] = {preset["name"]: preset for preset in PRESETS}
