"""POST /api/v1/iterations: one training iteration, stage by stage."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from app.admission import heavy
from app.body_route import JSONBodyRoute
from app.convert import optimizer_from, params_from, spec_from
from app.graph_views import graph_view
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.iterations import IterationRequest, IterationResponse
from engine.learning.iteration import run_iteration
from engine.limits import MAX_PER_SAMPLE, MAX_SCALAR_WEIGHTS, records_events
from engine.networks.spec import NetworkSpec, SpecError, check_data

router = APIRouter(prefix="/api/v1/iterations", tags=["iterations"], route_class=JSONBodyRoute)

# Below this many (rows x parameters) an iteration takes about a millisecond and is computed on
# the event loop: handing it to a worker thread would cost as much again. Larger ones go to the
# thread pool, so a worker keeps answering while it computes them, and count as heavy requests.
INLINE_WORK = 20_000


def is_large(request: IterationRequest) -> bool:
    """rows x parameters above INLINE_WORK."""
    sizes = request.network.layer_sizes
    parameters = sum((sizes[l - 1] + 1) * sizes[l] for l in range(1, len(sizes)))
    return len(request.inputs) * parameters > INLINE_WORK


def sends_events(request: IterationRequest, spec: NetworkSpec, rows: int) -> bool:
    """Per-node events by default within their limits; asked for beyond them, a 422: they grow
    with rows x edges, and a 512-row batch through six layers of 32 made 32 MB of JSON."""
    within = records_events(spec.weight_count, rows, request.granularity)
    if request.include_events and not within:
        over = (f"{rows} rows" if rows > MAX_PER_SAMPLE else
                f"{spec.weight_count} weights on the layer graph")
        raise SpecError("include_events", f"per-node events are sent for batches of up to "
                        f"{MAX_PER_SAMPLE} rows, on the scalar graph or on networks of up to "
                        f"{MAX_SCALAR_WEIGHTS} weights; this request has {over}: leave "
                        "include_events out or send a smaller batch or network")
    return within if request.include_events is None else request.include_events


def trace_response(request: IterationRequest) -> FastJSONResponse:
    spec = spec_from(request.network, request.l2)
    params = params_from(spec, request.params, request.seed, request.init)
    optimizer, state = optimizer_from(spec, request)
    inputs, targets = check_data(spec, request.inputs, request.targets)
    events = sends_events(request, spec, len(inputs))
    # Only a trace that sends its events records them: recording every edge's local derivative
    # was a sixth of the computation.
    trace = run_iteration(spec, params, inputs, targets, request.learning_rate,
                          request.update_order, request.granularity, record=events,
                          optimizer=optimizer, optimizer_state=state,
                          input_gradient=request.input_gradient)
    body = trace.to_data(include_graph=False)
    body["graph"] = graph_view(spec, request.granularity, len(inputs))
    return FastJSONResponse(body)


@router.post("", response_model=IterationResponse, responses=ERROR_RESPONSES,
             summary="Run one training iteration and return every stage")
@heavy(when=is_large)
async def create_iteration(request: IterationRequest) -> FastJSONResponse:
    """Forward per layer, the loss, backward per layer from the last, then the update."""
    if not is_large(request):
        return trace_response(request)
    return await run_in_threadpool(trace_response, request)
