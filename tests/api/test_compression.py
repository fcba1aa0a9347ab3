"""gzip: large responses compressed by ISA-L, byte-identical once decompressed; small ones not."""

from __future__ import annotations

import gzip

import numpy as np
import pydantic
import pytest

from app.compression import IsalGZipResponder
from app.pages import PLOTLY_JS
from app.settings import Settings

BODY = {"network": {"layer_sizes": [2, 8, 8, 1], "activations": ["tanh", "tanh", "sigmoid"],
                    "loss": "binary_cross_entropy"},
        "seed": 1, "inputs": np.linspace(-1, 1, 64).reshape(32, 2).tolist(),
        "targets": [[float(i % 2)] for i in range(32)], "learning_rate": 0.5}


def raw_post(client, encoding: str):
    """The response body as sent, without the client's own decoding."""
    with client.stream("POST", "/api/v1/iterations", json=BODY,
                       headers={"accept-encoding": encoding}) as response:
        return response, b"".join(response.iter_raw())


def test_a_large_trace_is_gzipped_and_decompresses_to_the_plain_body(client):
    plain_response, plain = raw_post(client, "identity")
    zipped_response, zipped = raw_post(client, "gzip, deflate, br, zstd")
    assert "content-encoding" not in plain_response.headers
    assert zipped_response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in zipped_response.headers["vary"].lower()
    assert int(zipped_response.headers["content-length"]) == len(zipped)
    assert len(zipped) < 0.6 * len(plain)
    assert gzip.decompress(zipped) == plain


def test_a_small_response_is_sent_as_is(client):
    response = client.get("/healthz", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in response.headers
    assert response.json() == {"status": "ok"}


def test_a_streamed_file_is_gzipped_chunk_by_chunk_and_arrives_whole(client):
    with client.stream("GET", "/vendor/plotly.min.js",
                       headers={"accept-encoding": "gzip"}) as response:
        zipped = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(zipped) == PLOTLY_JS.read_bytes()


def test_the_compressor_is_isal():
    # Starlette's responder asks its `compressor` property for the compression object; if a
    # Starlette release stopped doing so, this would be zlib again, four times as slow.
    responder = IsalGZipResponder(None, 500, compresslevel=1)
    assert type(responder.compressor).__module__.startswith("isal")


@pytest.mark.parametrize("level", [-1, 4])
def test_levels_outside_isal_range_are_refused(level):
    with pytest.raises(pydantic.ValidationError, match="gzip_level"):
        Settings(gzip_level=level)
