"""uvicorn's httptools protocol with the bounds a server open to any client needs; app.serve
runs every worker with it.

- The request head (request line and headers) is bounded in bytes and in header lines: past
  either, 431. httptools joins the pieces of a header line as they arrive into a new bytes
  object each time, so a line of n bytes cost O(n^2): one 128 MiB line took 18 s of a worker's
  CPU. The head is now fed to the parser no further than its limit, so the work is linear and
  stops there.
- Deadlines: for a request's head to arrive (from the connection's start, or from the first
  byte after a keep-alive wait), for its body, for an idle keep-alive connection, and for a
  client to read a response. Past the first two, 408; past the others, the connection closes.
- Open connections per worker are bounded: past the bound, a new connection gets 503.
- A connection closes after a bounded number of requests or seconds, once its current request
  is answered, so clients spread again over the workers, a replaced one included.
- A refused request whose body is still arriving gets its answer, then the connection reads and
  drops what the client still sends for up to `linger_seconds` before it closes, as nginx's
  lingering close does: closing at once, with bytes unread, sends a reset that can destroy the
  answer before the client reads it (Python's urllib never saw its 413).
- The HTTP layer's own errors (400, 408, 431, 503) are in the one error shape.
"""

from __future__ import annotations

import asyncio

import httptools
import orjson
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from app.responses import error_content
from app.settings import get_settings


class TooManyHeaders(Exception):
    """Raised in the parser's callback for the header line past the limit: parsing stops."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's HttpToolsProtocol with bounded heads, deadlines, a connection bound, recycled
    keep-alive connections and lingering closes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limits = get_settings()
        self.timeout_keep_alive = self.limits.keep_alive_timeout
        self.in_head = True       # waiting for or reading a request's head
        self.head_bytes = 0       # of the head being read
        self.requests = 0
        self.opened = 0.0
        self.lingering = False
        self.deadline: asyncio.TimerHandle | None = None      # head, body or linger
        self.send_deadline: asyncio.TimerHandle | None = None

    # The connection

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self.opened = self.loop.time()
        if len(self.connections) > self.limits.max_connections:
            self.refuse(503, "too_many_connections",
                        f"this worker has {self.limits.max_connections} connections open, its "
                        "limit (BACKPROP_MAX_CONNECTIONS); retry in a moment",
                        b"retry-after: 1\r\n")   # before the request came: let it come
            return
        self.set_deadline(self.limits.header_timeout, self.head_timed_out)

    def connection_lost(self, exc) -> None:
        self.cancel_deadlines()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        if self.lingering:
            return   # read and dropped
        if self.in_head and self.deadline is None:   # the first byte after a keep-alive wait
            self.set_deadline(self.limits.header_timeout, self.head_timed_out)
        limit = self.limits.max_header_bytes
        while data:
            if self.in_head:   # no more of a head than its limit reaches the parser
                piece, data = data[:limit - self.head_bytes], data[limit - self.head_bytes:]
                self.head_bytes += len(piece)
            else:
                piece, data = data, b""
            if not self.feed(piece):
                return
            if self.in_head and self.head_bytes >= limit:
                self.refuse(431, "headers_too_large", f"the request line and headers are longer "
                            f"than {limit} bytes (BACKPROP_MAX_HEADER_BYTES)", loc="header")
                return

    def feed(self, piece: bytes) -> bool:
        """Parse the bytes; False once the connection is handed over or refused."""
        try:
            self.parser.feed_data(piece)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return False
        except httptools.HttpParserError as error:
            if isinstance(error.__context__, TooManyHeaders):
                self.refuse(431, "headers_too_large", f"the request has more than "
                            f"{self.limits.max_headers} header lines (BACKPROP_MAX_HEADERS)",
                            loc="header")
            else:
                self.refuse(400, "http_invalid", f"the request is not valid HTTP/1.1: {error}")
            return False
        return True

    # Parser callbacks

    def on_header(self, name: bytes, value: bytes) -> None:
        if len(self.headers) >= self.limits.max_headers:
            raise TooManyHeaders
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self.in_head = False
        self.cancel_deadline()
        if self.parser.should_upgrade() and self._should_upgrade():
            return
        self.requests += 1
        self.cycle.transport = LingeringClose(self)
        if (self.requests >= self.limits.connection_requests
                or self.loop.time() - self.opened >= self.limits.connection_seconds):
            self.cycle.keep_alive = False   # this answer says `connection: close`
        self.set_deadline(self.limits.body_timeout, self.body_timed_out)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self.in_head, self.head_bytes = True, 0
        self.cancel_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.lingering:
            self._unset_keepalive_if_required()

    # Deadlines

    def set_deadline(self, seconds: float, expired) -> None:
        self.cancel_deadline()
        self.deadline = self.loop.call_later(seconds, expired)

    def cancel_deadline(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def cancel_deadlines(self) -> None:
        self.cancel_deadline()
        if self.send_deadline is not None:
            self.send_deadline.cancel()
            self.send_deadline = None

    def head_timed_out(self) -> None:
        self.deadline = None
        if self.head_bytes == 0:   # an idle connection: nothing to answer
            self.transport.close()
            return
        self.refuse(408, "request_timeout", "the request line and headers did not arrive "
                    f"within {self.limits.header_timeout:g} s (BACKPROP_HEADER_TIMEOUT)")

    def body_timed_out(self) -> None:
        self.deadline = None
        if self.cycle.response_started:
            self.transport.close()
            return
        self.refuse(408, "request_timeout", "the request body did not arrive within "
                    f"{self.limits.body_timeout:g} s (BACKPROP_BODY_TIMEOUT)", loc="body")

    def pause_writing(self) -> None:
        super().pause_writing()
        self.send_deadline = self.loop.call_later(self.limits.send_timeout, self.transport.abort)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self.send_deadline is not None:
            self.send_deadline.cancel()
            self.send_deadline = None

    # Answers and closes of our own

    def refuse(self, status: int, type_: str, msg: str, extra_headers: bytes = b"",
               loc: str = "request") -> None:
        """Answer in the one error shape, without the app, and close the connection; a request
        the app was given sees a disconnect."""
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        body = orjson.dumps(error_content([loc], msg, type_))
        head = b"".join(name + b": " + value + b"\r\n"
                        for name, value in self.server_state.default_headers)
        self.transport.write(b"".join([
            STATUS_LINE[status], head, b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body), b"connection: close\r\n", extra_headers,
            b"\r\n", body]))
        self.linger()

    def close_lingering(self) -> None:
        """Close now if the client has nothing more to send, else linger."""
        if self.in_head and self.head_bytes == 0:
            self.transport.close()
        else:
            self.linger()

    def linger(self) -> None:
        """Send our end's close after the answer, and drop what still arrives until the client
        closes its end or `linger_seconds` pass."""
        if self.transport.is_closing() or self.lingering:
            return
        self.lingering = True
        self._unset_keepalive_if_required()
        self.flow.resume_reading()
        self.transport.write_eof()
        self.set_deadline(self.limits.linger_seconds, self.transport.close)


class LingeringClose:
    """A request's view of the connection's transport whose close() lingers (see above)."""

    def __init__(self, protocol: BoundedHttpToolsProtocol):
        self.protocol = protocol
        self.transport = protocol.transport

    def __getattr__(self, name: str):
        return getattr(self.transport, name)

    def close(self) -> None:
        self.protocol.close_lingering()
