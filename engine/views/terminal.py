"""One training iteration in a terminal: a Rich table per stage, each quantity's symbol, shape
and numbers, read from the trace's JSON-ready data (the same that the API sends)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

SUPERSCRIPTS = str.maketrans("0123456789L", "⁰¹²³⁴⁵⁶⁷⁸⁹ᴸ")

# What each stage shows, in order: the trace's key and the symbol, with {l} the layer and {p}
# the layer before it (both written as superscripts).
QUANTITIES = {
    "forward": [("pre_activation", "z{l} = a{p} (W{l})ᵀ + b{l}"), ("activation", "a{l} = f(z{l})")],
    "loss": [("loss", "C"), ("per_sample_loss", "C_i, per sample"), ("targets", "y"),
             ("grad_output", "∂C/∂a{l}")],
    "backward": [("grad_activation", "∂C/∂a{l}"), ("activation_derivative", "f′(z{l})"),
                 ("delta", "δ{l} = ∂C/∂z{l}"), ("grad_weights", "∂C/∂W{l} = (δ{l})ᵀ a{p} / N"),
                 ("grad_biases", "∂C/∂b{l} = Σᵢ δ{l}ᵢ / N"),
                 ("updated_weights", "W{l}, updated now"), ("updated_biases", "b{l}, updated now")],
}
SIGNIFICANT = 6


def superscript(number: int | str) -> str:
    return str(number).translate(SUPERSCRIPTS)


def number_text(value) -> Text:
    """A number to SIGNIFICANT digits, red if negative; a non-finite one (null) as a dash."""
    if value is None:
        return Text("—", style="yellow")
    return Text(f"{value:.{SIGNIFICANT}g}", style="red" if value < 0 else "")


def matrix(value) -> Table | Text:
    """A number, a vector (one row) or a matrix (a row per sample, or per neuron of W) as a grid."""
    if not isinstance(value, list):
        return number_text(value)
    rows = value if value and isinstance(value[0], list) else [value]
    grid = Table.grid(padding=(0, 2))
    for _ in rows[0] if rows else []:
        grid.add_column(justify="right")
    for row in rows:
        grid.add_row(*(number_text(v) for v in row))
    return grid


def shape_text(value) -> str:
    if not isinstance(value, list):
        return "scalar"
    if value and isinstance(value[0], list):
        return f"{len(value)} × {len(value[0])}"
    return f"{len(value)}"


def stage_table(stage: dict, depth: int) -> Table:
    """One stage as a table of quantity, shape and numbers."""
    layer = stage.get("layer", depth)
    table = Table(title=f"{stage['name']}  [{stage['tag']}]", title_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False, expand=False)
    table.add_column("quantity", style="bold")
    table.add_column("shape", style="dim")
    table.add_column("values")
    if stage["phase"] == "update":
        for l, (weights, biases) in enumerate(zip(stage["weights"], stage["biases"],
                                                  strict=True), start=1):
            table.add_row(f"W{superscript(l)} ← W{superscript(l)} − η ∂C/∂W{superscript(l)}",
                          shape_text(weights), matrix(weights))
            table.add_row(f"b{superscript(l)} ← b{superscript(l)} − η ∂C/∂b{superscript(l)}",
                          shape_text(biases), matrix(biases))
        return table
    for key, symbol in QUANTITIES[stage["phase"]]:
        if key in stage:
            label = symbol.format(l=superscript(layer), p=superscript(layer - 1))
            table.add_row(label, shape_text(stage[key]), matrix(stage[key]))
    return table


def header(trace: dict, network: dict) -> Text:
    sizes = "-".join(map(str, network["layer_sizes"]))
    loss = trace["loss"]
    return Text.assemble(
        ("One training iteration\n", "bold"),
        f"network {sizes}, activations {', '.join(network['activations'])}, "
        f"loss {network['loss']}\n",
        f"batch of {len(trace['stages'][0]['activation'])}, learning rate η = "
        f"{trace['learning_rate']:g}, update {trace['update_order']}\n",
        ("C = " + (f"{loss:.{SIGNIFICANT}g}" if loss is not None else "not finite"), "bold"),
        ("  (diverged)" if trace["diverged"] else ""))


def render(trace: dict, network: dict, console: Console) -> None:
    """Print the trace (plain JSON data, as the API sends it) stage by stage."""
    depth = len(network["layer_sizes"]) - 1
    console.print(header(trace, network))
    for stage in trace["stages"]:
        console.print()
        console.print(stage_table(stage, depth))
