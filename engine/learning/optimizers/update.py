"""One iteration's update with one optimiser: every weight matrix and bias vector (or, in the
eager order on the scalar graph, every entry of them) stepped with its own state; the state
after; and, when recorded, what the step showed, each quantity shaped like the parameters."""

from __future__ import annotations

import numpy as np

from engine.learning.optimizers.base import Settings, zeros_like
from engine.learning.optimizers.state import OptimizerState
from engine.networks.spec import Params


class Update:
    """Steps parameters one by one at step count t = the state's step + 1, as PyTorch steps
    each parameter with its own state; the state given is left as it was."""

    def __init__(self, settings: Settings, learning_rate: float, state: OptimizerState,
                 params: Params, record: bool = False):
        self.settings = settings
        self.learning_rate = learning_rate
        self.t = state.step + 1
        self.params = params
        self.record = record
        # Whole arrays are replaced, never changed; an entry is written into a copy.
        self.buffers = {name: Params(list(p.weights), list(p.biases))
                        for name, p in state.buffers.items()}
        self.shown: dict[str, Params] = {}
        self._copied: set[tuple[str, str, int]] = set()
        self._rule = settings.optimizer.step

    def step(self, kind: str, layer: int, index: tuple | None, value: np.ndarray,
             grad: np.ndarray) -> np.ndarray:
        """The new value of W^layer or b^layer (kind "weight" or "bias"), or of its entry at
        `index`; its state and what the step showed are kept at the same place."""
        own = {name: _part(_arrays(p, kind)[layer - 1], index)
               for name, p in self.buffers.items()} if self.buffers else {}
        new_value, new_state, shown = self._rule(value, grad, own, self.t, self.learning_rate,
                                                 self.settings.hyper, self.record)
        for name, array in new_state.items():
            if index is not None:
                self._own_copy(name, kind, layer)
            _put(self.buffers[name], kind, layer, index, array)
        if self.record:
            self._show(kind, layer, index, {"grad": grad,
                                            "gradient_step": -self.learning_rate * grad,
                                            "param_step": new_value - value,
                                            **shown, **new_state})
        return new_value

    def step_all(self, params: Params, grads: Params) -> Params:
        """Every weight matrix and bias vector stepped whole, by its gradient in `grads`."""
        layers = range(1, len(params.weights) + 1)
        return Params([self.step("weight", l, None, params.weights[l - 1], grads.weights[l - 1])
                       for l in layers],
                      [self.step("bias", l, None, params.biases[l - 1], grads.biases[l - 1])
                       for l in layers])

    def state_after(self) -> OptimizerState:
        return OptimizerState(self.t, self.buffers)

    def _show(self, kind: str, layer: int, index: tuple | None, quantities: dict) -> None:
        for name, array in quantities.items():
            if name not in self.shown:
                self.shown[name] = zeros_like(self.params)
            _put(self.shown[name], kind, layer, index, array)

    def _own_copy(self, name: str, kind: str, layer: int) -> None:
        """Before an entry of a buffer's array is written: a copy, once, of the array given."""
        if (name, kind, layer) not in self._copied:
            arrays = _arrays(self.buffers[name], kind)
            arrays[layer - 1] = arrays[layer - 1].copy()
            self._copied.add((name, kind, layer))


def _put(target: Params, kind: str, layer: int, index: tuple | None, array: np.ndarray) -> None:
    arrays = _arrays(target, kind)
    if index is None:
        arrays[layer - 1] = array
    else:
        arrays[layer - 1][index] = array


def _arrays(params: Params, kind: str) -> list[np.ndarray]:
    return params.weights if kind == "weight" else params.biases


def _part(array: np.ndarray, index: tuple | None) -> np.ndarray:
    return array if index is None else array[index]
