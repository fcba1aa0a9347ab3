"""The PyTorch script of one iteration: the network as torch.nn modules set to the exported
parameters, the loss (with the L2 penalty when there is one), autograd's backward and one step of
the request's torch.optim optimiser, loaded with the state sent (templates/pytorch.py.j2)."""

from __future__ import annotations

from app.exports.optimizer_code import OptimizerCode, optimizer_code
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
    optimizer = optimizer_code(setting)
    if setting.eager:
        refuse_eager(optimizer)
    refuse_unless(setting, MODULES, "PyTorch")
    return render("pytorch.py.j2", setting, loss_name=setting.loss.name,
                  modules=[MODULES[name] for name in setting.activations],
                  loss_code=LOSS_CODE[setting.loss.name].format(L=setting.depth),
                  optimizer=optimizer)


def refuse_eager(optimizer: OptimizerCode | None) -> None:
    """A 422 on update_order: torch.optim steps after the whole backward pass."""
    if optimizer is None:
        raise SpecError("update_order", "the PyTorch export takes one torch.optim.SGD step after "
                                        "the whole backward pass: choose after_backward")
    raise SpecError("update_order", f"the PyTorch export takes one torch.optim."
                    f"{optimizer.torch_class} step after the whole backward pass, so it cannot "
                    "reproduce the eager order, where each parameter takes its step with its own "
                    "state during the backward pass: choose after_backward, or export NumPy, "
                    "which writes the eager order out")
