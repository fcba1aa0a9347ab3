"""Models of the live-session and saved-state endpoints. A session's state is opaque to the
server: any JSON object within its size (the pages send the playground's shareable state)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, JsonValue, model_validator

from app.schemas.common import ERROR_RESPONSES, ErrorOut, StrictModel

# A state as the server keeps it: a JSON object; its size is checked once serialised.
State = dict[str, JsonValue]
MAX_PROMPT = 500
MAX_OPTION = 80
MAX_OPTIONS = 8
MAX_NUMBER = 1e12   # answers and correct answers are finite and at most this large


class SessionCreate(StrictModel):
    title: str | None = Field(None, max_length=120, description="Shown on the join screen.")

    model_config = {"json_schema_extra": {"examples": [{"title": "Backprop, week 3"}]}}


class SessionCreated(StrictModel):
    code: str = Field(description="The join code: 6 characters without look-alikes.")
    teacher_token: str = Field(description="The secret that drives the session: send it as "
                                           "`Authorization: Bearer <teacher_token>`.")
    join_url: str = Field(description="Where students join (the QR code's address).")


class SessionView(StrictModel):
    code: str
    title: str
    seq: int = Field(description="How many states the teacher has sent.")
    state: State
    students: int = Field(description="Students connected now.")


class StatePut(StrictModel):
    state: State = Field(description="An opaque JSON object (the playground's shareable state), "
                                     "at most 64 kB as JSON.")


class SeqOut(StrictModel):
    seq: int


class PollCreate(StrictModel):
    """A question at the current stage: a choice among options, or a number."""

    kind: Literal["choice", "number"]
    prompt: str = Field(min_length=1, max_length=MAX_PROMPT)
    options: list[Annotated[str, Field(min_length=1, max_length=MAX_OPTION)]] | None = Field(
        None, min_length=2, max_length=MAX_OPTIONS, description="For a choice: its options.")
    answer: float | None = Field(
        None, allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER,
        description="The engine's answer, revealed at the end: an option's index for a choice, "
                    "a number for a number. May be left out for a question with no one answer.")
    tolerance: float = Field(1e-3, ge=0, le=1, allow_inf_nan=False,
                             description="For a number: the relative error still counted right.")

    model_config = {"json_schema_extra": {"examples": [
        {"kind": "choice", "prompt": "Which way will w²₁₁ move in this update?",
         "options": ["up", "down", "it stays"], "answer": 1},
        {"kind": "number", "prompt": "What is ∂C/∂w²₁₁?", "answer": 0.08217}]}}

    @model_validator(mode="after")
    def options_fit_kind(self):
        if self.kind == "choice":
            if not self.options:
                raise ValueError("a choice needs options (2 to 8)")
            if self.answer is not None and (self.answer != int(self.answer)
                                            or not 0 <= self.answer < len(self.options)):
                raise ValueError(f"answer must be the index of an option, 0 to "
                                 f"{len(self.options) - 1}")
        elif self.options is not None:
            raise ValueError("a number question takes no options")
        return self


class PollOut(StrictModel):
    id: int
    kind: Literal["choice", "number"]
    prompt: str
    options: list[str] | None = None
    answer: float | None = Field(None, description="Only for the teacher, or once revealed.")
    tolerance: float
    status: Literal["open", "closed", "revealed"]
    seq: int = Field(description="The state the question was asked at.")


class ResultsOut(StrictModel):
    poll: int
    kind: Literal["choice", "number"]
    status: Literal["open", "closed", "revealed"]
    answered: int = Field(description="Students who answered.")
    counts: list[int] | None = Field(None, description="For a choice: answers per option.")
    values: list[float] | None = Field(None, description="For a number: every answer, sorted.")
    correct: int | None = Field(None, description="Answers that match the engine's.")
    answer: float | None = None


class SavedIn(StrictModel):
    state: State = Field(description="An opaque JSON object (the playground's shareable state).")

    model_config = {"json_schema_extra": {"examples": [
        {"state": {"hash": "preset=tiny-2-2-2&stage=3"}}]}}


class SavedOut(StrictModel):
    id: str
    url: str = Field(description="The short link that reopens it: /s/<id>.")
    state: State | None = None


LIVE_ERRORS = {
    **ERROR_RESPONSES,
    401: {"model": ErrorOut, "description": "No teacher token was sent."},
    403: {"model": ErrorOut, "description": "The token is not this session's."},
    404: {"model": ErrorOut, "description": "No live session has this code (or it ended)."},
    409: {"model": ErrorOut, "description": "The poll is not in a state that allows this."},
}
