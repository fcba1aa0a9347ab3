"""The join screen's QR code, made on the server as SVG (segno: a dependency-free encoder that
follows ISO/IEC 18004 and writes SVG itself), so the page needs no outside service and no
script."""

from __future__ import annotations

import io

import segno


def qr_svg(text: str) -> bytes:
    """A QR code of `text` (error correction M, recovering 15% of a smudged projection) as an
    SVG that scales to any size: black modules on white, with the standard quiet zone."""
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=1, border=4, dark="#000", light="#fff", xmldecl=False,
              svgclass=None, lineclass=None, omitsize=True, title="Join code")
    # Crisp edges: scaled to a fractional size, anti-aliased rows would show faint seams.
    return out.getvalue().replace(b"<path stroke=", b'<path shape-rendering="crispEdges" stroke=')
