"""The sizes the engine works within: every limit a network, a batch or a training run is held
to, written down once. The checks, the API's request bounds and the browser's field limits all
read these numbers (the browser through GET /api/v1/catalog)."""

from __future__ import annotations

MAX_LAYERS = 6            # computing layers (not counting the input)
MAX_NEURONS = 32          # per layer, input and output included
MAX_SCALAR_WEIGHTS = 200  # the scalar graph (a node per weight) is refused above this
MAX_PER_SAMPLE = 16       # per-sample gradient contributions are kept for batches up to this
MAX_BATCH = 512           # rows in one stepped iteration's batch
MIN_SAMPLES = 4           # rows a generated dataset has at least
MAX_SAMPLES = 2000        # rows in a dataset or a training set
MAX_SEED = 2**32 - 1      # seeds are unsigned 32-bit numbers
MAX_LEARNING_RATE = 1e6   # larger steps only ever diverge
MAX_WEIGHT_DECAY = 10.0   # an optimiser's weight decay, and the L2 penalty's λ
MAX_OPTIMIZER_STEP = 10**9  # an optimiser's step count carried in its state
MAX_ITERATIONS = 5000     # training iterations in one run
MAX_SNAPSHOTS = 100       # training snapshots in one run
MAX_NOISE = 1.0           # standard deviation of a generated dataset's noise
MAX_TEST_FRACTION = 0.9   # share of a training set kept aside for testing
MAX_SURFACE_RESOLUTION = 101   # grid points along each axis of a loss surface
MAX_SURFACE_WORK = 200_000_000  # a loss surface's multiply-adds: points x rows x parameters


def records_events(weight_count: int, batch: int, granularity: str) -> bool:
    """Whether an iteration's trace carries per-node events unless asked otherwise: batches of
    up to MAX_PER_SAMPLE rows, on the scalar graph or on a network small enough to have one."""
    return batch <= MAX_PER_SAMPLE and (granularity == "scalar"
                                        or weight_count <= MAX_SCALAR_WEIGHTS)


def as_dict() -> dict[str, int | float]:
    """Every limit by its lower-case name, as the catalog lists them."""
    return {name.lower(): value for name, value in globals().items()
            if name.isupper() and isinstance(value, (int, float))}
