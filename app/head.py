"""HEAD on every GET route and file: answered as the GET would be, without the body.

FastAPI's routes take only the methods they declare, so `HEAD /healthz` was a 405; declaring
HEAD on each route would add an operation per route to the OpenAPI schema.
"""

from __future__ import annotations


class HeadAsGet:
    """Runs a HEAD request as a GET and sends its status and headers alone."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def send_head(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        return await self.app({**scope, "method": "GET"}, receive, send_head)
