"""The PyTorch script of one iteration: the network as torch.nn modules set to the exported
parameters, the loss, autograd's backward and one torch.optim.SGD step (templates/pytorch.py.j2).
"""

from __future__ import annotations

from app.exports.setting import Setting, refuse_unless, render
from engine.networks.spec import SpecError

MODULES = {"sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()", "relu": "nn.ReLU()",
           "leaky_relu": "nn.LeakyReLU(0.01)", "linear": "nn.Identity()",
           "softmax": "nn.Softmax(dim=1)"}

# Each loss as the engine defines it: the per-sample losses, their mean (the loss autograd
# differentiates) and dC/da^L.
LOSS_CODE = {
    "squared_error": """\
per_sample_loss = 0.5 * ((a[{L}] - Y) ** 2).sum(dim=1)  # 1/2 ||a_i - y_i||^2
loss = nn.MSELoss(reduction="sum")(a[{L}], Y) / (2 * N)
grad_output = (a[{L}] - Y).detach() / N  # dC/da{L}""",
    "binary_cross_entropy": """\
per_sample_loss = nn.BCEWithLogitsLoss(reduction="none")(z[{L}], Y).sum(dim=1)
loss = nn.BCEWithLogitsLoss(reduction="sum")(z[{L}], Y) / N  # on the logits: finite for any z
p = a[{L}].detach()
grad_output = (p - Y) / (p * (1 - p)) / N  # dC/da{L}, infinite where p saturates""",
    "cross_entropy": """\
per_sample_loss = -(Y * torch.log_softmax(z[{L}], dim=1)).sum(dim=1)
loss = nn.CrossEntropyLoss()(z[{L}], Y)  # targets as class probabilities; mean over the batch
p = a[{L}].detach()
grad_output = torch.where(Y == 0, 0.0, -Y / p) / N  # dC/da{L}""",
}


def pytorch_script(setting: Setting) -> str:
    """The script; the eager order (no single optimiser step) is refused."""
    if setting.eager:
        raise SpecError("update_order", "the PyTorch export takes one torch.optim.SGD step after "
                                        "the whole backward pass: choose after_backward")
    refuse_unless(setting, MODULES, "PyTorch")
    return render("pytorch.py.j2", setting, loss_name=setting.loss.name,
                  modules=[MODULES[name] for name in setting.activations],
                  loss_code=LOSS_CODE[setting.loss.name].format(L=setting.depth))
