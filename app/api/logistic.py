"""POST /api/v1/logistic: logistic regression's hand-derived gradient beside the backward pass."""

from __future__ import annotations

import numpy as np
from fastapi import APIRouter

from app.body_route import JSONBodyRoute
from app.convert import params_from
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.logistic import LogisticRequest, LogisticResponse
from engine.autodiff.graph import backward
from engine.demos.logistic import hand_gradient, logistic_spec
from engine.networks.network import build
from engine.networks.spec import check_data
from engine.views.serialize import clean

router = APIRouter(prefix="/api/v1/logistic", tags=["logistic"], route_class=JSONBodyRoute)


@router.post("", response_model=LogisticResponse, responses=ERROR_RESPONSES,
             summary="Logistic regression's gradient by the hand formula and by backprop")
def create_logistic(request: LogisticRequest) -> FastJSONResponse:
    """For one sigmoid unit with binary cross-entropy: p_i, p_i - y_i and
    dC/dw = (1/N) sum (p_i - y_i) x_i, dC/dw_0 = (1/N) sum (p_i - y_i) straight from the
    formula, beside dC/dW^1 and dC/db^1 from one backward pass of the engine."""
    spec = logistic_spec(len(request.inputs[0]))
    params = params_from(spec, request.params, request.seed, request.init)
    inputs, targets = check_data(spec, request.inputs, request.targets)
    with np.errstate(all="ignore"):
        hand = hand_gradient(params, inputs, targets)
        net = build(spec, params, inputs, targets)
        backward(net.loss)
    return FastJSONResponse({
        "params": params.to_dict(),
        "loss": clean(net.loss.value),
        "hand": {"probabilities": clean(hand.probabilities), "errors": clean(hand.errors),
                 "grad_weights": clean(hand.grad_weights), "grad_bias": clean(hand.grad_bias)},
        "backward": {"grad_weights": clean(net.grad_weights(1)),
                     "grad_biases": clean(net.grad_biases(1))},
    })
