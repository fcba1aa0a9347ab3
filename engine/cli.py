"""The engine in a terminal: `python -m engine trace` runs one training iteration and prints it
stage by stage as tables, or with --json exactly the JSON that POST /api/v1/iterations answers
for the same request (--body prints that request)."""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console

from engine.data.datasets import generate
from engine.data.presets import PRESETS_BY_NAME
from engine.learning.iteration import UPDATE_ORDERS, run_iteration
from engine.limits import records_events
from engine.networks.init import SCHEMES, init_params
from engine.networks.network import GRANULARITIES
from engine.networks.spec import NetworkSpec, Params, SpecError, check_data
from engine.views.serialize import to_json
from engine.views.terminal import render

DEFAULT_PRESET = "tiny-2-2-2"
DEFAULT_BATCH = 8  # rows of a dataset stepped at once, as the playground does


def parser() -> argparse.ArgumentParser:
    """The command line: a preset, or a network and data given piece by piece."""
    main = argparse.ArgumentParser(prog="python -m engine", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    trace = commands.add_parser("trace", help="one training iteration, stage by stage")
    trace.add_argument("--preset", help=f"a named starting point (default {DEFAULT_PRESET}); "
                       f"the flags below change it. Known: {', '.join(PRESETS_BY_NAME)}")
    trace.add_argument("--layers", help="layer sizes, input first, as 2-3-1")
    trace.add_argument("--activations", help="one per computing layer, as tanh,sigmoid")
    trace.add_argument("--loss", help="squared_error, binary_cross_entropy or cross_entropy")
    trace.add_argument("--seed", type=int, help="draw the parameters from this seed")
    trace.add_argument("--init", choices=list(SCHEMES), help="initialisation scheme")
    trace.add_argument("--lr", type=float, help="learning rate")
    trace.add_argument("--order", choices=list(UPDATE_ORDERS), default="after_backward")
    trace.add_argument("--granularity", choices=list(GRANULARITIES), default="layer")
    trace.add_argument("--inputs", help="rows separated by ';', numbers by ',': 0.05,0.1;1,2")
    trace.add_argument("--targets", help="as --inputs, one row per input row")
    trace.add_argument("--dataset", help="a generated dataset's name, as xor")
    trace.add_argument("--samples", type=int, default=100, help="points of --dataset")
    trace.add_argument("--noise", type=float, default=0.1, help="noise of --dataset")
    trace.add_argument("--data-seed", type=int, default=0, help="seed of --dataset")
    trace.add_argument("--batch", type=int, default=DEFAULT_BATCH,
                       help=f"first rows of a dataset to step (default {DEFAULT_BATCH})")
    output = trace.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="the API's JSON for this request")
    output.add_argument("--body", action="store_true", help="the POST /api/v1/iterations body")
    return main


def rows(text: str, flag: str) -> list[list[float]]:
    """'1,2;3,4' as [[1.0, 2.0], [3.0, 4.0]]."""
    try:
        return [[float(x) for x in row.split(",")] for row in text.split(";") if row.strip()]
    except ValueError:
        raise SpecError(flag, f"cannot read {text!r}: write rows as 1,2;3,4") from None


def network_of(args, preset: dict) -> dict:
    """The preset's network with the flags' changes."""
    network = dict(preset["network"])
    if args.layers:
        try:
            network["layer_sizes"] = [int(n) for n in args.layers.split("-")]
        except ValueError:
            raise SpecError("layers", f"cannot read {args.layers!r}: write sizes as 2-3-1") \
                from None
        if not args.activations and len(network["activations"]) != len(network["layer_sizes"]) - 1:
            network["activations"] = ["sigmoid"] * (len(network["layer_sizes"]) - 1)
    if args.activations:
        network["activations"] = args.activations.split(",")
    if args.loss:
        network["loss"] = args.loss
    return network


def data_of(args, preset: dict) -> tuple[list, list]:
    """Inputs and targets: given, a dataset's first --batch rows, or the preset's."""
    if args.inputs or args.targets:
        return rows(args.inputs or "", "inputs"), rows(args.targets or "", "targets")
    reference = {"name": args.dataset, "samples": args.samples, "noise": args.noise,
                 "seed": args.data_seed} if args.dataset else preset["data"].get("dataset")
    if reference is None:
        return preset["data"]["inputs"], preset["data"]["targets"]
    data = generate(reference["name"], reference["samples"], reference["noise"],
                    reference["seed"])
    return data.inputs[: args.batch].tolist(), data.targets[: args.batch].tolist()


def request_body(args) -> dict:
    """The POST /api/v1/iterations body the flags describe."""
    name = args.preset or DEFAULT_PRESET
    if name not in PRESETS_BY_NAME:
        raise SpecError("preset", f"unknown preset {name!r}; known: {', '.join(PRESETS_BY_NAME)}")
    preset = PRESETS_BY_NAME[name]
    network = network_of(args, preset)
    inputs, targets = data_of(args, preset)
    body = {"network": network, "seed": preset["seed"] if args.seed is None else args.seed,
            "init": args.init or "auto", "inputs": inputs, "targets": targets,
            "learning_rate": preset["learning_rate"] if args.lr is None else args.lr,
            "update_order": args.order, "granularity": args.granularity}
    if preset["params"] and network == preset["network"] and args.seed is None:
        body["params"] = preset["params"]
    return body


def run(body: dict):
    """The trace of the iteration a body asks for, with the API's default for events."""
    network = body["network"]
    spec = NetworkSpec(tuple(network["layer_sizes"]), tuple(network["activations"]),
                       network["loss"])
    params = (Params.from_lists(spec, body["params"]["weights"], body["params"]["biases"])
              if "params" in body else init_params(spec, body["seed"], body["init"]))
    inputs, targets = check_data(spec, body["inputs"], body["targets"])
    events = records_events(spec.weight_count, len(inputs), body["granularity"])
    return run_iteration(spec, params, inputs, targets, body["learning_rate"],
                         body["update_order"], body["granularity"], record=events)


def main(argv: list[str] | None = None) -> int:
    """Run the command; 0 on success, 2 with the field and the problem on stderr otherwise."""
    args = parser().parse_args(argv)
    try:
        body = request_body(args)
        if args.body:
            print(json.dumps(body))
            return 0
        trace = run(body)
    except (SpecError, ValueError) as error:
        field = getattr(error, "field", "")
        print(f"error: {field + ': ' if field else ''}{getattr(error, 'message', error)}",
              file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.buffer.write(to_json(trace.to_data()) + b"\n")
        return 0
    render(trace.to_dict(), body["network"], Console(highlight=False))
    return 0
