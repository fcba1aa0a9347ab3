"""The optimisers: the update an iteration ends with, one module each behind the interface in
base.py, all in one registry (OPTIMIZERS), registered here in menu order."""

from importlib import import_module

from engine.learning.optimizers.base import OPTIMIZERS, SHOWN_BY_EVERY, Settings, configure
from engine.learning.optimizers.state import OptimizerState, initial_state, state_from
from engine.learning.optimizers.update import Update

for _module in ("sgd", "rmsprop", "adam"):
    import_module(f"{__name__}.{_module}")

__all__ = ["OPTIMIZERS", "SHOWN_BY_EVERY", "OptimizerState", "Settings", "Update", "configure",
           "initial_state", "state_from"]
