"""Models for POST /api/v1/exports/{numpy,pytorch,notebook}: an iteration as a file to run."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ExportResponse(BaseModel):
    """A file to save and run: its suggested name, its media type and its text."""

    filename: str = Field(description="A name to save it under, e.g. backprop-iteration.py.")
    media_type: str = Field(description="text/x-python, or application/x-ipynb+json.")
    content: str = Field(description="The whole file: a script, or a notebook's JSON.")

    model_config = {"json_schema_extra": {"examples": [{
        "filename": "backprop-iteration.py", "media_type": "text/x-python",
        "content": "# %% [markdown]\n# # One training iteration ..."}]}}
