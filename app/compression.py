"""gzip for responses, compressed by ISA-L (python-isal) instead of zlib.

Starlette's GZipMiddleware decides what to compress (size, content type, streaming, ranges); only
the compressor is swapped. At the same level of compression, ISA-L's deflate is about four times
as fast as zlib's: a 70 kB iteration trace takes 0.3 ms instead of 1.2 ms, which on two cores was
the largest single cost of answering one. ISA-L has levels 0 to 3.
"""

from __future__ import annotations

from isal import isal_zlib
from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder

LEVELS = (isal_zlib.ISAL_BEST_SPEED, isal_zlib.ISAL_BEST_COMPRESSION)
GZIP_WBITS = 16 + isal_zlib.MAX_WBITS   # a gzip header and trailer around the deflate stream


class IsalGZipResponder(GZipResponder):
    """Starlette's gzip responder with an ISA-L compression object (same interface as zlib's).

    A body that comes whole (every JSON response) is compressed in one call, without a stream
    object: in the server that took 5-10% less time than compress() and flush(). Streamed bodies
    (files) go through the compression object chunk by chunk, as Starlette does it.
    """

    @property
    def compressor(self):
        if self._compressor is None:
            self._compressor = isal_zlib.compressobj(self.compresslevel, isal_zlib.DEFLATED,
                                                     GZIP_WBITS)
        return self._compressor

    def _compress_body(self, body: bytes, more_body: bool) -> bytes:
        if more_body or self._compressor is not None:
            return super()._compress_body(body, more_body)
        return isal_zlib.compress(body, self.compresslevel, GZIP_WBITS)


class GZip(GZipMiddleware):
    """gzip when the client accepts it, with ISA-L; otherwise Starlette's identity responder."""

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and "gzip" in Headers(scope=scope).get("accept-encoding", ""):
            responder = IsalGZipResponder(
                self.app, self.minimum_size, compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types)
            return await responder(scope, receive, send)
        return await super().__call__(scope, receive, send)
