"""GET /api/v1/formulas: the formulas the pages show, as MathML with slots for numbers."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.formulas import all_formulas

router = APIRouter(prefix="/api/v1/formulas", tags=["formulas"])


class FormulaOut(BaseModel):
    title: str
    latex: str = Field(description="The formula with slot names in place of numbers.")
    mathml: str = Field(description='MathML; each slot is <mn class="slot" data-slot="name">.')
    slots: list[str]


@router.get("", response_model=dict[str, FormulaOut], summary="Formulas as MathML with slots")
def list_formulas() -> dict[str, FormulaOut]:
    """Every formula template, rendered on the server so browsers show it natively."""
    return {name: FormulaOut(title=f.title, latex=f.latex, mathml=f.mathml, slots=list(f.slots))
            for name, f in all_formulas().items()}
