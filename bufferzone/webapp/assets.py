"""Offline map assets: point folium's JavaScript and CSS at the vendored copies.

folium loads Leaflet (and jQuery, Bootstrap, Font Awesome...) from public CDNs, which
leaves a blank map without a network. The app needs only Leaflet, Leaflet.draw and jQuery
(folium builds popups with it), vendored in ``static/vendor`` (see its README; an installed
package has them in ``bufferzone/webapp/static``): in the app they are served by Streamlit's
static file serving; in an exported HTML map they are inlined, so the file works anywhere.
"""

from __future__ import annotations

import base64
import functools
import re

import folium

from bufferzone.webapp.launch import static_dir

__all__ = ["STATIC_URL", "VENDOR_DIR", "inline_assets", "serve_assets"]

VENDOR_DIR = static_dir() / "vendor"
#: Where Streamlit serves ``./static`` (``server.enableStaticServing``).
STATIC_URL = "/app/static/vendor"

_JS = {
    "leaflet": "leaflet/leaflet.js",
    "jquery": "jquery/jquery.min.js",  # folium builds popups with jQuery
    "leaflet_draw_js": "leaflet-draw/leaflet.draw.js",
}
_CSS = {"leaflet_css": "leaflet/leaflet.css", "leaflet_draw_css": "leaflet-draw/leaflet.draw.css"}


def _walk(element: folium.MacroElement):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _rewrite(m: folium.Map, url_for) -> folium.Map:
    for element in _walk(m):
        if hasattr(element, "default_js"):
            element.default_js = [(k, url_for(v)) for k, v in _JS.items() if k in dict(element.default_js)]
        if hasattr(element, "default_css"):
            element.default_css = [(k, url_for(v)) for k, v in _CSS.items() if k in dict(element.default_css)]
    return m


def serve_assets(m: folium.Map, base_url: str = STATIC_URL) -> folium.Map:
    """Point the map's scripts and styles at the vendored files served under ``base_url``."""
    return _rewrite(m, lambda rel: f"{base_url}/{rel}")


@functools.cache
def _data_uri(rel: str) -> str:
    path = VENDOR_DIR / rel
    text = path.read_bytes()
    if rel.endswith(".css"):  # inline the images the stylesheet points at
        def image(match: re.Match[bytes]) -> bytes:
            target = path.parent / match.group(1).decode()
            kind = "svg+xml" if target.suffix == ".svg" else "png"
            return b"url(data:image/" + kind.encode() + b";base64," + base64.b64encode(target.read_bytes()) + b")"

        text = re.sub(rb"url\((images/[\w.-]+)\)", image, text)
        return "data:text/css;base64," + base64.b64encode(text).decode()
    return "data:text/javascript;base64," + base64.b64encode(text).decode()


def inline_assets(m: folium.Map) -> folium.Map:
    """Embed the scripts and styles in the map itself (for a standalone HTML file)."""
    return _rewrite(m, _data_uri)
