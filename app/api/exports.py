"""POST /api/v1/exports/{numpy,pytorch,notebook}: the iteration a body describes (the body of
POST /api/v1/iterations) as code to run elsewhere: a NumPy script, a PyTorch script, a notebook."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter

from app.body_route import JSONBodyRoute
from app.exports.notebook import notebook
from app.exports.numpy_code import numpy_script
from app.exports.pytorch_code import pytorch_script
from app.exports.setting import Setting, setting_from
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.exports import ExportResponse
from app.schemas.iterations import IterationRequest

router = APIRouter(prefix="/api/v1/exports", tags=["exports"], route_class=JSONBodyRoute)


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    write: Callable[[Setting], str]


EXPORTS = {
    "numpy": Export("backprop-iteration.py", "text/x-python", numpy_script),
    "pytorch": Export("backprop-iteration-torch.py", "text/x-python", pytorch_script),
    "notebook": Export("backprop-iteration.ipynb", "application/x-ipynb+json", notebook),
}


def export_file(kind: str, request: IterationRequest) -> dict:
    """The file of one kind for the request's iteration."""
    export = EXPORTS[kind]
    return {"filename": export.filename, "media_type": export.media_type,
            "content": export.write(setting_from(request))}


@router.post("/numpy", response_model=ExportResponse, responses=ERROR_RESPONSES,
             summary="The iteration as a self-contained NumPy script")
def export_numpy(request: IterationRequest) -> FastJSONResponse:
    """A script that computes the same iteration and prints every stage's numbers under the
    trace's keys; its `# %%` lines mark one cell per stage."""
    return FastJSONResponse(export_file("numpy", request))


@router.post("/pytorch", response_model=ExportResponse, responses=ERROR_RESPONSES,
             summary="The iteration as a PyTorch script (torch.nn, torch.optim.SGD)")
def export_pytorch(request: IterationRequest) -> FastJSONResponse:
    """The network as torch.nn modules with the same parameters, autograd's backward and one
    SGD step, printing the same stage numbers (the eager order is refused)."""
    return FastJSONResponse(export_file("pytorch", request))


@router.post("/notebook", response_model=ExportResponse, responses=ERROR_RESPONSES,
             summary="The iteration as a Jupyter notebook, one cell per stage")
def export_notebook(request: IterationRequest) -> FastJSONResponse:
    """The NumPy script as an .ipynb (nbformat 4): setup, data, then a cell per stage."""
    return FastJSONResponse(export_file("notebook", request))
