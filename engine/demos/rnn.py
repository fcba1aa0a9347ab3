"""Backprop through time: an Elman RNN unrolled into one graph whose parameters all steps share.

The model, for one sequence x_1..x_T of rows (1, n_in), with h_0 = 0:
  z_t    = x_t W_xh^T + h_{t-1} W_hh^T + b_h
  h_t    = tanh(z_t)
  yhat_t = h_t W_hy^T + b_y
Each parameter is a single leaf, so step t's use of it is one child among T and backward sums
them: dC/dW = sum_t (dC/dW)_t. The trace keeps every term of that sum (`step_contributions`)
and how large dC/dh_t is at each step (`grad_norm_by_step`), which is where vanishing and
exploding gradients show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from engine.autodiff import ops
from engine.autodiff.graph import Graph, Node, backward
from engine.networks.losses import squared_error
from engine.views.serialize import all_finite, clean, events_dict, graph_dict, plain

MAX_STEPS = 200
MAX_HIDDEN = 32
MAX_INPUT = 8
MAX_OUTPUT = 8
MAX_GRAPH_NODES = 400  # larger graphs are traced without their nodes and events
LOSS_AT = ("last", "every")
PARAM_NAMES = ("W_xh", "W_hh", "b_h", "W_hy", "b_y")
TASKS = ("mean", "echo")


class RnnError(ValueError):
    """An RNN request outside the shapes or limits this module accepts."""


@dataclass(frozen=True)
class RnnSpec:
    """The sizes of one unrolled RNN: n_in -> n_hidden (recurrent) -> n_out, over `steps` steps."""

    n_in: int
    n_hidden: int
    n_out: int
    steps: int

    def param_shapes(self) -> dict[str, tuple[int, ...]]:
        """W_xh (n_h, n_in), W_hh (n_h, n_h), b_h (n_h,), W_hy (n_out, n_h), b_y (n_out,)."""
        h, n_out = self.n_hidden, self.n_out
        return {"W_xh": (h, self.n_in), "W_hh": (h, h), "b_h": (h,), "W_hy": (n_out, h),
                "b_y": (n_out,)}


@dataclass
class RnnParams:
    """The five parameters (float64 arrays), each shared by every time step."""

    w_xh: np.ndarray
    w_hh: np.ndarray
    b_h: np.ndarray
    w_hy: np.ndarray
    b_y: np.ndarray

    def __post_init__(self):
        for f in fields(self):
            setattr(self, f.name, _array(getattr(self, f.name), f.name))

    def arrays(self) -> dict[str, np.ndarray]:
        """The parameters by graph name: {"W_xh": w_xh, "W_hh": w_hh, ...}."""
        return {name: getattr(self, name.lower()) for name in PARAM_NAMES}


@dataclass
class BpttTrace:
    """One forward and backward pass through the unrolled RNN, split by time step."""

    spec: RnnSpec
    loss_at: str
    hidden_states: list[np.ndarray]           # h_1..h_T, each (n_hidden,)
    outputs: list[np.ndarray]                 # yhat_1..yhat_T, each (n_out,)
    loss: float
    grads: dict[str, np.ndarray]              # dC/dW, summed over steps
    step_contributions: dict[str, list[np.ndarray]]  # (dC/dW)_t for t = 1..T
    grad_norm_by_step: list[float]            # ||dC/dh_t|| for t = 1..T
    graph: Graph

    @property
    def diverged(self) -> bool:
        """True when any value or gradient is NaN or infinite."""
        parts = [p for steps in self.step_contributions.values() for p in steps]
        return not all_finite(self.loss, self.grad_norm_by_step, *self.hidden_states,
                              *self.outputs, *self.grads.values(), *parts)

    def to_dict(self) -> dict:
        """JSON-ready: non-finite numbers as None; graph and events only for small graphs."""
        small = len(self.graph.nodes) <= MAX_GRAPH_NODES
        return {
            "steps": self.spec.steps,
            "loss_at": self.loss_at,
            "hidden_states": [clean(h) for h in self.hidden_states],
            "outputs": [clean(y) for y in self.outputs],
            "loss": clean(self.loss),
            "grads": {name: clean(g) for name, g in self.grads.items()},
            "step_contributions": {name: [clean(p) for p in parts]
                                   for name, parts in self.step_contributions.items()},
            "grad_norm_by_step": clean(self.grad_norm_by_step),
            "diverged": self.diverged,
            "graph": graph_dict(self.graph) if small else None,
            "events": plain(events_dict(self.graph)) if small and self.graph.record else None,
        }


# ---------------------------------------------------------------- checks

def _array(value, field: str) -> np.ndarray:
    """value as a float64 array, or RnnError naming the field."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise RnnError(f"{field} must be a numeric array: {error}") from None


def _finite(array: np.ndarray, field: str) -> np.ndarray:
    """array itself, or RnnError if it holds NaN or infinity."""
    if not np.isfinite(array).all():
        raise RnnError(f"{field} must be finite")
    return array


def _check_count(field: str, value, limit: int) -> None:
    """RnnError unless value is an integer with 1 <= value <= limit."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not (
            1 <= value <= limit):
        raise RnnError(f"{field} must be an integer from 1 to {limit}, got {value!r}")


def _check_sizes(n_in, n_hidden, n_out) -> None:
    """n_in <= MAX_INPUT, n_hidden <= MAX_HIDDEN, n_out <= MAX_OUTPUT, all at least 1."""
    _check_count("n_in", n_in, MAX_INPUT)
    _check_count("n_hidden", n_hidden, MAX_HIDDEN)
    _check_count("n_out", n_out, MAX_OUTPUT)


def rnn_spec(params: RnnParams, inputs: np.ndarray, max_steps: int = MAX_STEPS) -> RnnSpec:
    """The sizes read from W_xh (n_h, n_in), W_hy (n_out, n_h) and inputs (T, n_in), checked."""
    if params.w_xh.ndim != 2 or params.w_hy.ndim != 2:
        raise RnnError(f"w_xh and w_hy must be matrices, got shapes {params.w_xh.shape} "
                       f"and {params.w_hy.shape}")
    n_hidden, n_in = params.w_xh.shape
    n_out = params.w_hy.shape[0]
    _check_sizes(n_in, n_hidden, n_out)
    if inputs.ndim != 2 or inputs.shape[1] != n_in:
        raise RnnError(f"inputs must have shape (steps, n_in) = (T, {n_in}), one row per time "
                       f"step, got {inputs.shape}")
    _check_count("steps", inputs.shape[0], max_steps)
    spec = RnnSpec(n_in, n_hidden, n_out, inputs.shape[0])
    arrays = params.arrays()
    for name, shape in spec.param_shapes().items():
        if arrays[name].shape != shape:
            raise RnnError(f"{name} must have shape {shape} to match W_xh {params.w_xh.shape} "
                           f"and W_hy {params.w_hy.shape}, got {arrays[name].shape}")
    return spec


def _check_targets(targets: np.ndarray, spec: RnnSpec, loss_at: str) -> None:
    """Targets are (n_out,) for loss_at="last" and (T, n_out) for loss_at="every"."""
    if loss_at == "last":
        expected, meaning = (spec.n_out,), "one target, for the final step only"
    else:
        expected, meaning = (spec.steps, spec.n_out), "one target row per time step"
    if targets.shape != expected:
        raise RnnError(f"targets for loss_at={loss_at!r} must have shape {expected} ({meaning}), "
                       f"got {targets.shape}")


# ---------------------------------------------------------------- parameters

def _xavier(rng: np.random.Generator, n_out: int, n_in: int) -> np.ndarray:
    """W ~ N(0, 2 / (n_in + n_out)), shape (n_out, n_in)."""
    return rng.normal(0.0, math.sqrt(2.0 / (n_in + n_out)), size=(n_out, n_in))


def _orthogonal(a: np.ndarray) -> np.ndarray:
    """Q of a = QR with diag(R) > 0: a uniformly random orthogonal matrix when a is Gaussian."""
    q, r = np.linalg.qr(a)
    return q * np.sign(np.diag(r))


def init_rnn_params(n_in: int, n_hidden: int, n_out: int, seed, scale: float | None = None
                    ) -> RnnParams:
    """Xavier normal weights, zero biases; with `scale`, W_hh = scale Q for a random orthogonal Q.

    Every singular value of scale Q is `scale`, so while tanh stays near its linear part
    ||dC/dh_{t-1}|| = scale ||dC/dh_t||: scale < 1 shows vanishing, scale > 1 exploding gradients.
    W_xh and W_hy do not depend on `scale`.
    """
    _check_sizes(n_in, n_hidden, n_out)
    rng = np.random.default_rng(seed)
    w_xh = _xavier(rng, n_hidden, n_in)
    w_hh = _xavier(rng, n_hidden, n_hidden)
    if scale is not None:
        if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale >= 0):
            raise RnnError(f"scale must be a finite number >= 0, got {scale!r}")
        w_hh = scale * _orthogonal(w_hh)
    w_hy = _xavier(rng, n_out, n_hidden)
    return RnnParams(w_xh, w_hh, np.zeros(n_hidden), w_hy, np.zeros(n_out))


# ---------------------------------------------------------------- the unrolled graph

def _unroll(params: RnnParams, inputs: np.ndarray, targets: np.ndarray, loss_at: str,
            record: bool) -> tuple[Graph, dict[str, Node], list[Node], list[Node], Node]:
    """h_t = tanh(x_t W_xh^T + b_h + h_{t-1} W_hh^T), yhat_t = h_t W_hy^T + b_y, then C."""
    graph = Graph(record=record)
    leaves = {name: graph.leaf(value, name=name, role="param",
                               kind="weight" if name.startswith("W") else "bias")
              for name, value in params.arrays().items()}
    h = graph.leaf(np.zeros((1, params.w_hh.shape[0])), name="h0", role="constant", layer=0,
                   kind="hidden_state")
    hidden, outputs = [], []
    for t, row in enumerate(inputs, start=1):
        x = graph.leaf(row[None, :], name=f"x{t}", role="input", layer=t)
        from_x = ops.affine(x, leaves["W_xh"], leaves["b_h"], name=f"zx{t}", layer=t)
        from_h = ops.affine(h, leaves["W_hh"], name=f"zh{t}", layer=t)
        z = ops.add(from_x, from_h, name=f"z{t}", layer=t, kind="pre_activation")
        h = ops.tanh(z, name=f"h{t}", layer=t, kind="hidden_state")
        hidden.append(h)
        outputs.append(ops.affine(h, leaves["W_hy"], leaves["b_y"], name=f"yhat{t}",
                                  role="output", layer=t, kind="prediction"))
    return graph, leaves, hidden, outputs, _loss(graph, outputs, targets, loss_at)


def _loss(graph: Graph, outputs: list[Node], targets: np.ndarray, loss_at: str) -> Node:
    """C = 1/2 ||yhat_T - y||^2 ("last") or C = (1/T) sum_t 1/2 ||yhat_t - y_t||^2 ("every")."""
    steps = len(outputs)
    if loss_at == "last":
        y = graph.leaf(targets[None, :], name=f"y{steps}", role="target", layer=steps)
        return ops.apply(squared_error, outputs[-1], y, name="C", role="loss", layer=steps)
    total = None
    for t, (output, target) in enumerate(zip(outputs, targets, strict=True), start=1):
        y = graph.leaf(target[None, :], name=f"y{t}", role="target", layer=t)
        c_t = ops.apply(squared_error, output, y, name=f"C{t}", layer=t, kind="loss_term")
        total = c_t if total is None else ops.add(total, c_t, name=f"S{t}", layer=t)
    inverse = graph.leaf(1.0 / steps, name=f"1/{steps}", role="constant", layer=steps)
    return ops.multiply(total, inverse, name="C", role="loss", layer=steps)


def _sent_to_params(graph: Graph, leaves: dict[str, Node]):
    """(param name, child node, gradient the child sent it) for every use of a parameter leaf.

    A recorded graph keeps what each leaf received; otherwise each child's vjp rule is asked again.
    """
    if graph.record:
        for name, leaf in leaves.items():
            for child_id, grad in leaf.received:
                yield name, graph.node(child_id), grad
        return
    for node in graph.nodes:
        if node.grad is None:
            continue
        values = [p.value for p in node.parents]
        for i, parent in enumerate(node.parents):
            if parent.role == "param":
                yield parent.name, node, node.prim.vjp(i, node.grad, node.value, values,
                                                       node.attrs)


def _step_contributions(graph: Graph, leaves: dict[str, Node], steps: int
                        ) -> dict[str, list[np.ndarray]]:
    """(dC/dW)_t for t = 1..T: what the uses of W at step t (child.layer == t) sent to W."""
    parts = {name: [np.zeros_like(leaf.value) for _ in range(steps)]
             for name, leaf in leaves.items()}
    for name, child, grad in _sent_to_params(graph, leaves):
        parts[name][child.layer - 1] += grad
    return parts


def bptt(params: RnnParams, inputs, targets, loss_at: str = "last", record: bool = True,
         max_steps: int = MAX_STEPS) -> BpttTrace:
    """Unroll over inputs (T, n_in), backward from C, and split dC/dW = sum_t (dC/dW)_t by step."""
    if loss_at not in LOSS_AT:
        raise RnnError(f"loss_at must be one of {LOSS_AT}, got {loss_at!r}")
    inputs = _finite(_array(inputs, "inputs"), "inputs")
    targets = _finite(_array(targets, "targets"), "targets")
    spec = rnn_spec(params, inputs, max_steps)
    _check_targets(targets, spec, loss_at)
    with np.errstate(all="ignore"):
        graph, leaves, hidden, outputs, loss = _unroll(params, inputs, targets, loss_at, record)
        backward(loss)
        contributions = _step_contributions(graph, leaves, spec.steps)
        norms = [float(np.linalg.norm(h.grad)) for h in hidden]
    return BpttTrace(
        spec=spec,
        loss_at=loss_at,
        hidden_states=[h.value[0] for h in hidden],
        outputs=[y.value[0] for y in outputs],
        loss=float(loss.value),
        grads={name: leaf.grad for name, leaf in leaves.items()},
        step_contributions=contributions,
        grad_norm_by_step=norms,
        graph=graph,
    )


# ---------------------------------------------------------------- teaching data

def sequence_task(name: str, steps: int, seed) -> tuple[np.ndarray, np.ndarray]:
    """One sequence (steps, 1) and its target (1,) for loss_at="last".

    "mean": x_t ~ U(-1, 1), y = (1/T) sum_t x_t (every step matters equally).
    "echo": x_t = +-1 at random, y = x_1 (only the first step matters: a long memory).
    """
    _check_count("steps", steps, MAX_STEPS)
    rng = np.random.default_rng(seed)
    if name == "mean":
        inputs = rng.uniform(-1.0, 1.0, size=(steps, 1))
        return inputs, inputs.mean(axis=0)
    if name == "echo":
        inputs = rng.choice([-1.0, 1.0], size=(steps, 1))
        return inputs, inputs[0].copy()
    raise RnnError(f"task must be one of {TASKS}, got {name!r}")
