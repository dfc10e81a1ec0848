"""Speed a user feels: the real app in Chromium, end to end, beside the server's CPU (run by hand).

Starts ``streamlit run app.py`` on a loopback port and drives it with Playwright in Debian's
chromium. Reports:

* the cold first load: from opening the page to the first figures on screen, on a server
  that has not built anything yet;
* for 10 changes of each layer's main parameter (one arrow-key step of the slider of the buffer
  zone, frozen line and Trans-Dnieper; one "+" step, 50 km, of the range rings' custom range
  box): the wall time from
  the key press to the end of the rerun in the page (Streamlit's script state back to "not
  running", the figures then on screen), the bytes the page received over the websocket,
  and the server's CPU seconds for the change (``/proc/PID/stat``, user + system);
* for 5 drags of the map (the map reports its view, so a pan reruns the page), the same
  figures from the mouse release to the end of the rerun (not counted in "all changes").

Usage::

    .venv/bin/python benchmarks/bench_browser.py            # needs /usr/bin/chromium
"""

from __future__ import annotations

import functools
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests._server import streamlit_server  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
#: layer → label of its main slider (regular expression on the accessible name), extra link parameters
SLIDERS = {"buffer-zone": ("Width", ""), "frozen-line": ("DMZ width", ""),
           "trans-dnieper": ("Checkpoint belt", ""), "range-rings": ("Range", "&range-rings.preset=custom")}
#: layers whose main parameter is a number box (range above 1,000), not a slider
NUMBER_INPUTS = {"range-rings"}
CHANGES = 10
#: The figures on screen: a headline's bold area ("… km²") in the figures panel.
FIGURES = '[data-testid="stMarkdownContainer"] strong:has-text("km²")'
#: The map's component frame (streamlit-folium).
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: Drags of the map (pixels) for the pan measurement, each followed by a wait for its rerun.
PANS = [(120, 0), (0, 80), (-120, 0), (0, -80), (60, 60)]
#: How long to wait (ms) for a rerun after a pan before counting it as none.
PAN_WAIT_MS = 8_000
_ARM = """() => {
  const el = document.querySelector('[data-test-script-state]');
  const t0 = performance.now();
  window.__bzDone = new Promise(resolve => {
    if (window.__bzLimit) { setTimeout(() => resolve(-1), window.__bzLimit); }
    let started = el.getAttribute('data-test-script-state') === 'running';  // a rerun already under way
    const obs = new MutationObserver(() => {
      const s = el.getAttribute('data-test-script-state');
      if (s === 'running') { started = true; }
      else if (started) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(el, {attributes: true});
  });
}"""
_IDLE = "() => { const e = document.querySelector('[data-test-script-state]'); " \
        "return e && e.getAttribute('data-test-script-state') === 'notRunning'; }"


def _settle(page: Any, quiet_ms: int = 2_500) -> None:
    """Wait until no rerun has started for ``quiet_ms``.

    After a first draw the map reports its size, and the app fits the view again for it once.
    """
    page.wait_for_function(_IDLE)
    while True:
        page.evaluate(f"() => {{ window.__bzLimit = {quiet_ms}; }}")
        page.evaluate(_ARM)
        if page.evaluate("() => window.__bzDone") < 0:  # nothing ran
            page.evaluate("() => { window.__bzLimit = 0; }")
            return


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Bytes:
    def __init__(self, page: Any) -> None:
        self.total = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._add))

    def _add(self, payload: str | bytes) -> None:
        self.total += len(payload.encode() if isinstance(payload, str) else payload)


def _open(browser: Any, url: str) -> tuple[Any, Any, _Bytes]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(180_000)
    received = _Bytes(page)
    page.goto(url)
    return context, page, received


def main() -> None:
    """Print the report (``--pan-only``: only the cold load and the pans)."""
    pan_only = "--pan-only" in sys.argv[1:]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    with tempfile.TemporaryDirectory() as tmp, streamlit_server(Path(tmp)) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        pid = server.proc.pid
        cpu0, t0 = _cpu_seconds(pid), time.perf_counter()
        context, page, received = _open(browser, server.url + "/")
        page.locator(FIGURES).first.wait_for()
        page.wait_for_function(_IDLE)
        cold_s, cold_cpu, cold_kb = time.perf_counter() - t0, _cpu_seconds(pid) - cpu0, received.total / 1e3
        context.close()
        print(f"cold first load to figures: {cold_s:.1f} s wall, {cold_cpu:.1f} CPU-s on the server, "
              f"{cold_kb:,.0f} KB over the websocket")
        print(f"\n{'layer':16} {'wall median':>11} {'wall max':>9} {'CPU median':>10} {'CPU max':>8} {'KB median':>9}")
        walls_all: list[float] = []
        cpus_all: list[float] = []
        for layer, (label, extra) in ({} if pan_only else SLIDERS).items():
            context, page, received = _open(browser, f"{server.url}/?layers={layer}{extra}")
            page.locator(FIGURES).first.wait_for()
            _settle(page)
            if layer in NUMBER_INPUTS:  # a wide range is a number box: its "+" button commits one step
                box = page.locator('[data-testid="stNumberInput"]').filter(has_text=re.compile(label))
                change = box.get_by_test_id("stNumberInputStepUp").click
            else:
                slider = page.get_by_role("slider", name=re.compile(label))
                slider.focus()
                change = functools.partial(slider.press, "ArrowRight")
            walls, cpus, sizes = [], [], []
            for _ in range(CHANGES):
                page.wait_for_function(_IDLE)
                before_bytes, before_cpu = received.total, _cpu_seconds(pid)
                page.evaluate(_ARM)
                change()
                walls.append(page.evaluate("() => window.__bzDone") / 1000.0)
                cpus.append(_cpu_seconds(pid) - before_cpu)
                sizes.append((received.total - before_bytes) / 1e3)
            context.close()
            walls_all += walls
            cpus_all += cpus
            print(f"{layer:16} {statistics.median(walls):10.2f}s {max(walls):8.2f}s {statistics.median(cpus):9.2f}s "
                  f"{max(cpus):7.2f}s {statistics.median(sizes):8.0f}")
        pan_walls, pan_cpus, pan_sizes, no_rerun = [], [], [], 0
        context, page, received = _open(browser, f"{server.url}/?layers=buffer-zone")
        page.locator(FIGURES).first.wait_for()
        _settle(page)
        box = page.locator(MAP_FRAME).bounding_box(timeout=30_000)
        x0, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.evaluate(f"() => {{ window.__bzLimit = {PAN_WAIT_MS}; }}")
        for dx, dy in PANS:
            page.wait_for_function(_IDLE)
            page.wait_for_timeout(500)
            before_bytes, before_cpu = received.total, _cpu_seconds(pid)
            page.mouse.move(x0, y0)
            page.mouse.down()
            page.mouse.move(x0 + dx, y0 + dy, steps=8)
            page.evaluate(_ARM)
            page.mouse.up()
            wall = page.evaluate("() => window.__bzDone") / 1000.0
            print(f"  pan {dx:+d},{dy:+d} px: {wall:.2f} s", file=sys.stderr, flush=True)
            if wall < 0:  # no rerun within PAN_WAIT_MS
                no_rerun += 1
                continue
            pan_walls.append(wall)
            pan_cpus.append(_cpu_seconds(pid) - before_cpu)
            pan_sizes.append((received.total - before_bytes) / 1e3)
        context.close()
        if pan_walls:
            print(f"{'pan (buffer)':16} {statistics.median(pan_walls):10.2f}s {max(pan_walls):8.2f}s "
                  f"{statistics.median(pan_cpus):9.2f}s {max(pan_cpus):7.2f}s {statistics.median(pan_sizes):8.0f}"
                  f"   ({len(pan_walls)} reruns, {no_rerun} drags without one)")
        else:
            print(f"pan (buffer): {no_rerun} drags, none reran the page")
        if not walls_all:
            browser.close()
            return
        print(f"\nall changes: median {statistics.median(walls_all):.2f} s, max {max(walls_all):.2f} s "
              f"(targets: median < 1 s, none over 2 s; cold load < 10 s)")
        print(f"server CPU per change: median {statistics.median(cpus_all):.2f} s, max {max(cpus_all):.2f} s "
              f"(target < 0.25 s); load average {os.getloadavg()[0]:.1f} at the end")
        browser.close()


if __name__ == "__main__":
    main()
