"""The NumPy script of one iteration: each activation's and loss's code, and the script rendered
from templates/numpy.py.j2 (with the optimiser's step from templates/numpy_optimizers/), in
cells marked `# %% title` (one per stage) that the notebook export turns into notebook cells."""

from __future__ import annotations

from app.exports.optimizer_code import optimizer_code
from app.exports.setting import Setting, refuse_unless, render

ACTIVATION_CODE = {
    "sigmoid": '''def sigmoid(z):
    """1 / (1 + e^-z), without overflow for any z."""
    return np.exp(np.minimum(z, 0.0)) / (1.0 + np.exp(-np.abs(z)))


def sigmoid_prime(z, a):
    """sigma'(z) = a (1 - a)."""
    return a * (1.0 - a)
''',
    "tanh": '''def tanh(z):
    return np.tanh(z)


def tanh_prime(z, a):
    """tanh'(z) = 1 - a^2."""
    return 1.0 - a * a
''',
    "relu": '''def relu(z):
    return np.maximum(z, 0.0)


def relu_prime(z, a):
    """1 where z > 0, else 0."""
    return (z > 0).astype(float)
''',
    "leaky_relu": '''def leaky_relu(z, slope=0.01):
    return np.where(z > 0, z, slope * z)


def leaky_relu_prime(z, a, slope=0.01):
    """1 where z > 0, else the slope."""
    return np.where(z > 0, 1.0, slope)
''',
    "linear": '''def linear(z):
    return z.copy()


def linear_prime(z, a):
    return np.ones_like(z)
''',
    "softmax": '''def softmax(z):
    """e^z / sum e^z over each row, shifted by the row's maximum so exp never overflows."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
''',
}

# Each loss: the per-sample losses and dC/da^L, then delta^L when the loss takes the logits.
LOSS_CODE = {
    "squared_error": ("""\
per_sample_loss = 0.5 * ((a{L} - Y) ** 2).sum(axis=1)  # 1/2 ||a_i - y_i||^2
grad_output = (a{L} - Y) / N  # dC/da{L}""", None),
    "binary_cross_entropy": ("""\
# -[y ln sigma(z) + (1 - y) ln(1 - sigma(z))] = ln(1 + e^z) - y z, finite for any z
per_sample_loss = (np.logaddexp(0.0, z{L}) - Y * z{L}).sum(axis=1)
with np.errstate(divide="ignore", invalid="ignore"):
    grad_output = (a{L} - Y) / (a{L} * (1.0 - a{L})) / N  # dC/da{L}, infinite where a saturates""",
                             "delta{L} = (a{L} - Y) / N  # sigma'(z) cancels: (p - y) / N"),
    "cross_entropy": ("""\
shifted = z{L} - z{L}.max(axis=1, keepdims=True)
log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
per_sample_loss = -(Y * log_softmax).sum(axis=1)  # -sum_j y_ij ln softmax(z_i)_j
with np.errstate(divide="ignore", invalid="ignore"):
    grad_output = np.where(Y == 0, 0.0, -Y / a{L}) / N  # dC/da{L}""",
                      "delta{L} = (a{L} * Y.sum(axis=1, keepdims=True) - Y) / N  "
                      "# the softmax Jacobian cancels"),
}


def output_backward(setting: Setting) -> str:
    """The output layer's dC/da^L, f'(z^L) and delta^L for this loss and activation."""
    L, name = setting.depth, setting.activations[-1]
    loss_delta = LOSS_CODE[setting.loss.name][1]
    lines = [f"grad_a{L} = np.zeros_like(a{L})  # a{L} does not reach C: it is computed from z{L}"
             if loss_delta else f"grad_a{L} = grad_output"]
    if setting.has_derivative[-1]:
        lines.append(f"fprime{L} = {name}_prime(z{L}, a{L})")
    if loss_delta:
        lines.append(loss_delta.format(L=L))
    elif setting.has_derivative[-1]:
        lines.append(f"delta{L} = grad_a{L} * fprime{L}  # dC/dz{L}")
    else:
        lines.append(f"delta{L} = a{L} * (grad_a{L} - (grad_a{L} * a{L}).sum(axis=1, "
                     "keepdims=True))  # the softmax Jacobian, sample by sample")
    return "\n".join(lines)


def numpy_script(setting: Setting) -> str:
    """The self-contained script (cells marked `# %%`)."""
    refuse_unless(setting, ACTIVATION_CODE, "NumPy")
    loss = {"name": setting.loss.name,
            "code": LOSS_CODE[setting.loss.name][0].format(L=setting.depth)}
    return render("numpy.py.j2", setting, activation_code=ACTIVATION_CODE, loss=loss,
                  output_backward=output_backward(setting), optimizer=optimizer_code(setting))
