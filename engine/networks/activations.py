"""The activation functions a layer can use: each one's primitive beside what people are shown of
it (its name, f(z) and f'(z) in LaTeX) and the facts the rest of the engine needs (its default
initialisation, which targets an output of it can reach and, for one that mixes the whole layer
like softmax, the primitive for one neuron of the scalar graph).

This table is the one place an activation is defined: the spec's checks, the initialisation, the
API's allowed values and the browser's menus all read it (through engine/catalog.py). Adding an
activation is one `register` call.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.autodiff import primitives
from engine.autodiff.primitives import Primitive

FITS = ("any", "unit", "classes")  # targets: any numbers, numbers in [0, 1], class labels


@dataclass(frozen=True)
class Activation:
    """f applied to a layer's pre-activations: a^l = f(z^l)."""

    name: str                   # as a spec writes it: "leaky_relu"
    label: str                  # as people read it: "leaky ReLU"
    primitive: Primitive
    formula: str                # f(z) in LaTeX
    derivative: str             # f'(z) in LaTeX
    init: str                   # the default initialisation: "xavier" or "he"
    fits: str = "any"           # the targets an output layer of it can reach, one of FITS
    component: Primitive | None = None  # mixes the layer: a_j from every z_k (scalar graph)

    @property
    def output_only(self) -> bool:
        """An activation that mixes the whole layer is only used on the output layer."""
        return self.component is not None


ACTIVATIONS: dict[str, Activation] = {}


def register(activation: Activation) -> Activation:
    """Make an activation available to specs, the API and the pages."""
    if activation.fits not in FITS:
        raise ValueError(f"fits must be one of {FITS}, got {activation.fits!r}")
    ACTIVATIONS[activation.name] = activation
    return activation


register(Activation("tanh", "tanh", primitives.tanh, r"\tanh z",
                    r"1 - \tanh^{2} z", "xavier"))
register(Activation("sigmoid", "sigmoid", primitives.sigmoid, r"\sigma(z) = \frac{1}{1 + e^{-z}}",
                    r"\sigma(z)\left(1 - \sigma(z)\right)", "xavier", fits="unit"))
register(Activation("relu", "ReLU", primitives.relu, r"\max(0, z)",
                    r"1 \text{ if } z > 0 \text{, else } 0", "he"))
register(Activation("leaky_relu", "leaky ReLU", primitives.leaky_relu,
                    r"z \text{ if } z > 0 \text{, else } 0.01 z",
                    r"1 \text{ if } z > 0 \text{, else } 0.01", "he"))
register(Activation("linear", "linear (identity)", primitives.identity, "z", "1", "xavier"))
register(Activation("softmax", "softmax", primitives.softmax,
                    r"\frac{e^{z_{j}}}{\sum_{k} e^{z_{k}}}",
                    r"a_{j}\left(\delta_{jk} - a_{k}\right)", "xavier", fits="classes",
                    component=primitives.softmax_component))
