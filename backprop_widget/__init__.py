"""The playground as a notebook widget (anywidget): `Playground(network=..., data=...)`."""

from backprop_widget.widget import Playground, PlaygroundError

__all__ = ["Playground", "PlaygroundError"]
