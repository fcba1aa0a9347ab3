"""POST /api/v1/maps: every hidden and output neuron's activation, error and weight-gradient
size over the input plane (or line), from one batched pass of the engine."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from app.admission import heavy
from app.body_route import JSONBodyRoute
from app.convert import params_from, spec_from
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.maps import MapsRequest, MapsResponse
from app.workload import NEURON_UNITS, ROW_UNITS, WORK_BUDGET
from engine.learning.maps import check_request, map_points, neuron_maps
from engine.networks.spec import NetworkSpec, SpecError, check_data

router = APIRouter(prefix="/api/v1/maps", tags=["maps"], route_class=JSONBodyRoute)

# Below this many work units (about a millisecond) the maps are computed on the event loop, as a
# small iteration is; larger ones go to the thread pool and count as heavy requests.
INLINE_WORK = 2_000_000


def map_work(sizes: list[int], size: int, samples: int) -> int:
    """The training budget's units for one forward and backward pass over the map's points, and
    for finding each point's nearest data point."""
    points = map_points(size, sizes[0])
    parameters = sum((sizes[l - 1] + 1) * sizes[l] for l in range(1, len(sizes)))
    row = parameters + NEURON_UNITS * sum(sizes[1:]) + ROW_UNITS
    return points * (row + samples * sizes[0])


def is_large(request: MapsRequest) -> bool:
    return map_work(request.network.layer_sizes, request.size, len(request.inputs)) > INLINE_WORK


def maps_response(request: MapsRequest) -> FastJSONResponse:
    spec: NetworkSpec = spec_from(request.network)
    quantities = tuple(request.quantities)
    check_request(spec, request.size, quantities)
    work = map_work(request.network.layer_sizes, request.size, len(request.inputs))
    if work > WORK_BUDGET:
        raise SpecError("size", f"these maps would cost about {work:.3g} work units, over the "
                        f"budget of {WORK_BUDGET:.3g}; ask for a smaller size or send fewer points")
    params = params_from(spec, request.params, request.seed, request.init)
    inputs, targets = check_data(spec, request.inputs, request.targets)
    return FastJSONResponse(neuron_maps(spec, params, inputs, targets, request.size)
                            .to_data(quantities))


@router.post("", response_model=MapsResponse, responses=ERROR_RESPONSES,
             summary="Map every hidden and output neuron over the input plane")
@heavy(when=is_large)
async def create_maps(request: MapsRequest) -> FastJSONResponse:
    """On a size x size grid over the data's box (size points along it for 1-D data), for a
    sample at each point labelled as its nearest data point: each neuron's activation, its error
    δ and the size of its incoming weights' gradient, with each layer's range for a shared
    colour scale."""
    if not is_large(request):
        return maps_response(request)
    return await run_in_threadpool(maps_response, request)
