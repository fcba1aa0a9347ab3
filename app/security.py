"""ASGI middleware: security headers on every response, a cap on request body size, and CORS
refusals in the one error shape."""

from __future__ import annotations

import orjson
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from app.responses import FastJSONResponse, error_content

# The one inline style the pages allow: an empty <style> element (the hash of ""). Plotly adds one
# and fills it through the CSSOM (insertRule), which a policy does not restrict; an empty element
# can carry no style of anyone else's. Style attributes stay refused.
EMPTY_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


def content_security_policy(frame_ancestors: list[str]) -> str:
    """Everything from this server only; no inline scripts or styles, no eval, no remote
    sources."""
    return (f"default-src 'self'; script-src 'self'; style-src 'self' {EMPTY_STYLE}; "
            "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; "
            f"frame-ancestors {' '.join(frame_ancestors)}")


def security_headers(frame_ancestors: list[str]) -> list[tuple[bytes, bytes]]:
    """The headers every response carries; X-Frame-Options only while framing is same-origin."""
    headers = [
        (b"content-security-policy", content_security_policy(frame_ancestors).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if frame_ancestors == ["'self'"]:
        headers.append((b"x-frame-options", b"SAMEORIGIN"))
    return headers


class SecurityHeaders:
    """Adds the security headers to every HTTP response, errors included."""

    def __init__(self, app, frame_ancestors: list[str]):
        self.app = app
        self.headers = security_headers(frame_ancestors)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    header for header in self.headers if header[0] not in names]
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def body_too_large(max_bytes: int) -> str:
    """The 413's message."""
    return (f"request body is larger than the limit of {max_bytes} bytes "
            "(BACKPROP_MAX_BODY_BYTES)")


class BodyTooLarge(Exception):
    """Raised inside receive() once the body passes the limit."""


class BodySizeLimit:
    """Refuses request bodies over `max_bytes` with 413, by Content-Length or while streaming."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                return await self._refuse(send)
        received = 0
        started = False

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send):
        body = orjson.dumps(error_content(["body"], body_too_large(self.max_bytes),
                                          "body_too_large"))
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class CORS(CORSMiddleware):
    """Starlette's CORS, with a refused preflight in the one error shape (an item for each of
    origin, method and headers that was refused) instead of plain text."""

    REFUSED_HEADER = {"origin": "origin", "method": "access-control-request-method",
                      "headers": "access-control-request-headers",
                      "private-network": "access-control-request-private-network"}

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ").split(", ")
        detail = [{"loc": ["header", self.REFUSED_HEADER[what]], "type": "cors_refused",
                   "msg": self._refusal(what, request_headers.get(self.REFUSED_HEADER[what]))}
                  for what in refused]
        kept = {name: value for name, value in response.headers.items()
                if name not in ("content-length", "content-type")}
        return FastJSONResponse({"detail": detail}, status_code=400, headers=kept)

    def _refusal(self, what: str, value: str | None) -> str:
        if what == "origin":
            return f"the origin {value!r} is not allowed (BACKPROP_CORS_ORIGINS)"
        allowed = {"method": self.allow_methods, "headers": self.allow_headers}.get(what)
        return f"{value!r} is not allowed across origins" + (
            f"; allowed: {', '.join(sorted(allowed))}" if allowed else "")
