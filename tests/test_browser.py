"""The app in a real browser (Debian's chromium driven by Playwright): the map draws the layer
from locally served Leaflet with no request leaving the machine, the width slider changes the
figures, the GeoJSON download is a valid file, and a screenshot is taken (to docs/screenshot.png
when BUFFERZONE_SCREENSHOT=docs/screenshot.png is set).

Needs ``chromium`` (``apt-get install chromium``); skipped without it unless ``CI`` is set, in
which case its absence is a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

import layers
from tests._server import ROOT, streamlit_server

#: The README's screenshot is refreshed only when asked (BUFFERZONE_SCREENSHOT=docs/screenshot.png),
#: so that running the tests leaves the working tree as it was.
SCREENSHOT_TARGET = os.environ.get("BUFFERZONE_SCREENSHOT")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
WAIT_MS = 90_000  # upper bound for the page to settle (not a timing assertion)
#: The km² of the headlines in the figures panel (bold in a bordered box).
HEADLINE_AREA = '[data-testid="stMarkdownContainer"] strong:text-matches("km²$")'

#: JavaScript run inside the map's iframe: {id: drawn} for the vector features of a layer on
#: the map, drawn meaning projected to on-screen parts (SVG path data or canvas parts; the
#: app's map uses the canvas renderer, so there are no ``path.leaflet-interactive`` elements).
#: True once Streamlit's script is not running (the page has settled after a rerun).
IDLE = ("() => { const e = document.querySelector('[data-test-script-state]'); "
        "return !!e && e.getAttribute('data-test-script-state') === 'notRunning'; }")
LAYER_FEATURES = """(prefix) => {
  const out = {};
  for (const key of Object.keys(window)) {
    const m = window[key];
    if (!(window.L && m instanceof L.Map)) continue;
    m.eachLayer(l => {
      const id = l.feature && l.feature.id;
      if (!(l instanceof L.Path) || !id || !String(id).startsWith(prefix) || !l._map) return;
      const svg = !!(l._path && l._path.getAttribute('d'));
      const canvas = !!(l._parts && l._parts.length > 0);
      out[String(id)] = out[String(id)] || svg || canvas;
    });
  }
  return out;
}"""


def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path:
        return path
    message = "the browser test needs Debian's chromium at /usr/bin/chromium"
    if os.environ.get("CI"):
        pytest.fail(f"{message}, and CI is set: install it (apt-get install chromium) before running the tests")
    pytest.skip(f"{message}: install it with `apt-get install chromium` to run this test")


@pytest.fixture(scope="module")
def chromium() -> str:
    return _chromium()


@pytest.fixture(scope="module")
def server(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run app.py`` on a free port; yields its base URL; always stopped."""
    with streamlit_server(tmp_path_factory.mktemp("streamlit")) as running:
        yield running.url


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Page:
    """A fresh browser page on the app, recording every request and page error."""

    def __init__(self, browser: Any, url: str, size: tuple[int, int] = (1400, 900)) -> None:
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        #: bytes received over the page's websockets so far
        self.received = 0
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._count))
        self.page.goto(url)

    def _count(self, payload: str | bytes) -> None:
        self.received += len(payload.encode() if isinstance(payload, str) else payload)

    def map_frame(self) -> Any:
        return self.page.wait_for_selector(MAP_FRAME).content_frame()

    def wait_drawn(self, layer: str, parameters: dict[str, Any] | None = None) -> dict[str, bool]:
        """Wait until every feature of ``layer`` is on the map; {feature id: drawn on screen}."""
        expected = len(layers.build(layer, parameters).features)
        frame = self.map_frame()
        frame.wait_for_function(
            f"() => Object.keys(({LAYER_FEATURES})({json.dumps(layer + ':')})).length >= {expected}")
        return frame.evaluate(LAYER_FEATURES, layer + ":")

    def wait_idle(self) -> None:
        """Wait until no rerun is running (a click during a rerun may be dropped with it)."""
        self.page.wait_for_function(IDLE)

    def area_metric(self) -> Any:
        """The first headline's km² (the bold figure of the panel's first bordered headline)."""
        return self.page.locator(HEADLINE_AREA).first


@pytest.fixture
def open_page(browser: Any, server: str) -> Iterator[Any]:
    pages: list[Page] = []

    def _open(query: str = "", size: tuple[int, int] = (1400, 900)) -> Page:
        pages.append(Page(browser, server + "/" + query, size))
        return pages[-1]

    yield _open
    for p in pages:
        with contextlib.suppress(Exception):
            p.context.close()


def _number(text: str) -> float:
    match = re.match(r"\s*([\d,]+(?:\.\d+)?)", text)
    assert match, text
    return float(match.group(1).replace(",", ""))


# ----------------------------------------------------------------------------- tests


def test_map_draws_the_layer_from_local_files_only(open_page, server: str) -> None:
    app = open_page()
    on_map = app.wait_drawn("buffer-zone")
    assert sorted(on_map) == sorted(f.id for f in layers.build("buffer-zone").features)
    assert on_map["buffer-zone:zone"] and on_map["buffer-zone:border"]  # visible in the default view
    assert sum(on_map.values()) >= 5  # the bands on screen too (Norway's is off the default view)
    frame = app.map_frame()
    # Leaflet came from the vendored copy served by the app, and it is that version
    vendored = (ROOT / "static" / "vendor" / "leaflet" / "leaflet.js").read_text(encoding="utf-8")[:300]
    assert frame.evaluate("() => L.version") == re.search(r"Leaflet (\d+\.\d+\.\d+)", vendored).group(1)
    assert f"{server}/app/static/vendor/leaflet/leaflet.js" in app.requests
    assert frame.locator(".leaflet-control-scale").is_visible()  # scale bar
    # the offline base map (fetched once from the app's static files) names places: capitals in the
    # default view each get their own label
    frame.wait_for_function("() => document.querySelectorAll('.leaflet-tooltip').length >= 7")
    labels = set(frame.locator(".leaflet-tooltip").all_inner_texts())
    assert {f"{server}/app/static/context/{name}.geojson" for name in ("land", "river", "places")} <= set(app.requests)
    assert {"Kyiv", "Minsk", "Warsaw", "Vilnius", "Riga", "Tallinn", "Helsinki"} <= labels, sorted(labels)[:20]
    # nothing was asked of any other host (offline requirement)
    outside = [u for u in app.requests if urlparse(u).scheme not in ("data", "blob", "about")
               and urlparse(u).hostname not in ("127.0.0.1", "localhost")]
    assert outside == []
    assert app.errors == []


def test_width_slider_changes_the_area(open_page) -> None:
    app = open_page()
    app.wait_drawn("buffer-zone")
    metric = app.area_metric()
    before_text = metric.inner_text().strip()  # read before the change (the rerun may be done before the wait)
    before = _number(before_text)
    assert before == pytest.approx(layers.build("buffer-zone").features[0].figures.area_km2, abs=0.5)
    slider = app.page.get_by_role("slider", name=re.compile("Width"))
    minimum = layers.REGISTRY["buffer-zone"].parameter("width_km").minimum
    slider.focus()
    slider.press("Home")  # to the minimum, 1 km
    app.page.wait_for_function("([el, v]) => Number(el.value) === v",  # the thumb moved
                               arg=[slider.element_handle(), minimum])
    expected = layers.build("buffer-zone", {"width_km": minimum}).features[0].figures.area_km2
    app.page.wait_for_function(
        "(before) => { const e = [...document.querySelectorAll('[data-testid=stMarkdownContainer] strong')]"
        ".find(s => s.innerText.trim().endsWith('km²')); return e && e.innerText.trim() !== before; }",
        arg=before_text,
    )
    assert _number(metric.inner_text()) == pytest.approx(expected, abs=0.5)
    assert "buffer-zone.width_km=1.0" in app.page.url
    assert app.wait_drawn("buffer-zone", {"width_km": minimum})["buffer-zone:zone"]  # the map survives the rerun
    assert app.errors == []


def test_geojson_download(open_page) -> None:
    app = open_page()
    app.wait_drawn("buffer-zone")
    app.wait_idle()  # the map's first report of its view reruns the page once
    app.page.get_by_role("tab", name="Downloads").click()
    app.wait_idle()
    with app.page.expect_download() as info:
        app.page.get_by_role("button", name="GeoJSON – NATO–Russia buffer zone").click()
    download = info.value
    assert download.suggested_filename == "buffer-zone.geojson"
    doc = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and doc["features"]
    for feature in doc["features"]:
        props = feature["properties"]
        assert isinstance(props["area_km2"], int | float) and isinstance(props["population"], int)
    reference = {f.id: (f.export_properties()["area_km2"], f.export_properties()["population"])
                 for f in layers.build("buffer-zone").features}
    assert {f["properties"]["id"]: (f["properties"]["area_km2"], f["properties"]["population"])
            for f in doc["features"]} == reference
    assert app.errors == []


def test_screenshot(open_page, tmp_path) -> None:
    shot = Path(SCREENSHOT_TARGET) if SCREENSHOT_TARGET else tmp_path / "screenshot.png"
    app = open_page("?layers=buffer-zone,frozen-line&view=europe")
    app.wait_drawn("buffer-zone")
    app.wait_drawn("frozen-line")
    app.area_metric().wait_for()
    app.page.wait_for_load_state("networkidle")
    shot.parent.mkdir(parents=True, exist_ok=True)
    app.page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 400_000
    assert app.errors == []


#: In the map's iframe: the map's bounds, the zone's bounds, and whether the first holds the second.
ZONE_IN_VIEW = """() => {
  for (const key of Object.keys(window)) {
    const m = window[key];
    if (!(window.L && m instanceof L.Map)) continue;
    let zone = null;
    m.eachLayer(l => { if (l.feature && l.feature.id === "buffer-zone:zone") zone = l; });
    if (zone) return {view: m.getBounds().toBBoxString(), zone: zone.getBounds().toBBoxString(),
                      contains: m.getBounds().contains(zone.getBounds()), zoom: m.getZoom()};
  }
  return null;
}"""


@pytest.mark.parametrize("size", [(1000, 800), (1920, 1080)])
def test_default_view_contains_the_whole_default_buffer_zone(open_page, size: tuple[int, int],
                                                             tmp_path: Path) -> None:
    """Issue 16, point 3: the default view used to cut off the northern third of the zone."""
    app = open_page("", size)
    app.wait_drawn("buffer-zone")
    app.page.wait_for_load_state("networkidle")
    app.map_frame().wait_for_function("() => document.querySelectorAll('.leaflet-tooltip').length > 0")
    seen = app.map_frame().evaluate(ZONE_IN_VIEW)
    shot = Path(os.environ.get("BUFFERZONE_VIEW_SHOTS", tmp_path)) / f"default-{size[0]}x{size[1]}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    app.page.screenshot(path=str(shot))
    assert seen is not None and seen["contains"], seen
    assert re.search(r"view=[-\d.]+(,|%2C)[-\d.]+(,|%2C)\d+", app.page.url), app.page.url  # the link carries it
    assert app.errors == []


def test_enter_in_the_date_field_applies_the_typed_date(open_page) -> None:
    """Issue 16, point 7: a year typed in the as-of field and Enter pressed was ignored."""
    app = open_page()
    app.wait_drawn("buffer-zone")
    year = app.page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"] [data-type="year"]').first
    year.click()
    app.page.keyboard.type("2023")
    app.page.keyboard.press("Enter")
    app.page.wait_for_url(re.compile(r"date=2023-02-12"))  # the link (the scenario) took the new date
    assert app.errors == []


#: JavaScript run in the page: how the figures table sits in its panel. For every cell, whether its
#: content is wider than the cell (a word that could not wrap), and the table's and the panel's widths.
FIGURES_LAYOUT = """() => {
  const box = document.querySelector('.bz-figs');
  if (!box) return null;
  const panel = box.closest('[data-testid="stColumn"]') || box.parentElement;
  const cells = [...box.querySelectorAll('td')].filter(td => td.offsetParent !== null);
  const style = getComputedStyle(cells[0]);
  const headers = [...box.querySelectorAll('thead th')].filter(th => th.getBoundingClientRect().width > 0)
    .map(th => th.innerText.trim());
  return {
    box: box.clientWidth, scroll: box.scrollWidth,
    table_right: box.querySelector('table').getBoundingClientRect().right,
    panel_right: panel.getBoundingClientRect().right, panel_width: panel.clientWidth,
    overflowing: cells.filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.innerText.slice(0, 60)),
    wrap: style.overflowWrap, word_break: style.wordBreak, headers,
    names: [...box.querySelectorAll('td.nm')].map(td => td.firstChild.textContent),
  };
}"""


@pytest.mark.parametrize("size", [(1000, 800), (1920, 1080)])
def test_figures_table_fits_its_panel(open_page, size: tuple[int, int]) -> None:
    """Issue 16, point 1: at 1000×800 the panel is about 200 px wide and the old table ran past it.

    The table must be no wider than its panel (no horizontal scroll, nothing clipped), no cell may
    hold content wider than itself, and words wrap only at their boundaries (no ``anywhere``
    breaking). At 1920 px the columns read feature, km², people, largest towns in that order.
    """
    app = open_page("", size)
    app.page.wait_for_selector(".bz-figs td.nm")
    got = app.page.evaluate(FIGURES_LAYOUT)
    assert got is not None
    assert got["scroll"] <= got["box"] + 1, got
    assert got["table_right"] <= got["panel_right"] + 1, got
    assert got["overflowing"] == [], got
    assert (got["wrap"], got["word_break"]) == ("normal", "normal"), got
    names = [f.name for f in layers.build("buffer-zone", None).features]
    assert got["names"] == names, got  # every feature is a row, in the layer's order
    if size[0] >= 1920:
        assert got["headers"] == ["feature", "km²", "people", "largest towns"], got
    else:
        assert got["panel_width"] < 480, got  # the narrow case the stacked rows are for
    assert app.errors == []


def test_a_pan_does_not_resend_the_layer_geojson(open_page) -> None:
    """A drag of the map reruns the page (the map reports its view and the link keeps it), but the
    layer's display GeoJSON at that zoom is not sent again: the page receives less than half of it.
    """
    from urllib.parse import parse_qs

    from bufferzone.webapp.mapview import display_text

    app = open_page()
    app.wait_drawn("buffer-zone")
    app.wait_idle()
    app.page.wait_for_timeout(1_000)  # the map's first report of its view has been answered
    app.wait_idle()
    url_before, bytes_before = app.page.url, app.received
    box = app.page.locator(MAP_FRAME).bounding_box()
    x0, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    app.page.mouse.move(x0, y0)
    app.page.mouse.down()
    app.page.mouse.move(x0 + 150, y0 + 60, steps=8)
    app.page.mouse.up()
    app.page.wait_for_function("(before) => window.location.href !== before", arg=url_before)  # it reran
    app.wait_idle()
    app.page.wait_for_timeout(500)
    sent = app.received - bytes_before
    zoom = int(parse_qs(urlparse(app.page.url).query)["view"][0].split(",")[2])
    layer_bytes = len(display_text(layers.build("buffer-zone"), zoom=zoom).encode())
    assert 0 < sent < layer_bytes / 2, (sent, layer_bytes)
    assert app.errors == []
