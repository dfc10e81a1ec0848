"""A bounded load test on loopback: the real app server under several concurrent sessions.

The app is started with ``streamlit run`` on a free port. Sessions are driven the way a
browser drives them, over the ``/_stcore/stream`` WebSocket (a ``rerun_script`` BackMsg with
the buffer-zone width slider's new value, then the ForwardMsgs up to ``script_finished``), so
the scripts run, cache and allocate in the server process whose memory is measured.
``streamlit.testing.AppTest`` is not used for the load: it runs the script in the test's own
process and would leave the server idle.

Two rounds of 4 concurrent sessions × 4 width changes (new widths in the second round, so
the caches keep filling) while 3 probe threads GET ``/_stcore/health`` and the page. Checked:
no exception or error in any session or in the server log; each width shows the same figures
in every session, equal to ``layers.build("buffer-zone", {"width_km": w})``'s zone; every probe
answered 200; the server's resident memory after round 2 is at most 1.5× that after round 1
(the ``st.cache_data`` caches have ``max_entries``). Figures are printed (``-s``) and written
to /tmp/robust_work/load_report.txt. The server is always stopped.
"""

from __future__ import annotations

import json
import re
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

import layers
from tests._server import Server, streamlit_server

#: The buffer zone's headline as the app writes it (label, bold km², people and their range).
_ZONE_HEADLINE = re.compile(r"^Buffer zone\s+\*\*(?P<area>[^*]+)\*\*(?: · (?P<people>.+?) people)?(?: · |$)")

REPORT = Path("/tmp/robust_work/load_report.txt")
WORKERS = 4
#: Widths (km) set in each round: every session sets all four, each in its own order.
ROUNDS = ((40.0, 60.0, 120.0, 150.0), (45.0, 65.0, 125.0, 155.0))
SLIDER_KEY = "w:buffer-zone.width_km"
RUN_TIMEOUT = 120  # seconds for one script run, however loaded the machine
#: Widths whose figures are also compared with ``layers.build`` (with the default, 100 km).
LIBRARY_WIDTHS = (ROUNDS[0][0], ROUNDS[1][-1])
MAX_GROWTH = 1.5
TRACES: list[str] = []  # stack traces of exceptions shown in a session (written next to the report)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for process {pid}")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """``streamlit run app.py`` on a free loopback port, stopped whatever happens."""
    with streamlit_server(REPORT.parent) as running:
        yield running


# ----------------------------------------------------------------------------- a browser-like session


@dataclass
class Run:
    """What one script run showed."""

    seconds: float
    metrics: dict[str, str]
    problems: list[str]
    slider_id: str | None
    map_script_bytes: int = 0
    map_script_has_layers: bool = False


class Session:
    """One app session over the WebSocket, as the browser's frontend drives it."""

    def __init__(self, ws: ClientConnection) -> None:
        self._ws = ws
        self.slider_id: str | None = None

    def rerun(self, width_km: float | None = None) -> Run:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        if width_km is not None:
            assert self.slider_id, "the width slider was not on the page"
            state = WidgetState(id=self.slider_id)
            state.double_array_value.data.append(width_km)
            msg.rerun_script.widget_states.widgets.append(state)
        start = time.monotonic()
        self._ws.send(msg.SerializeToString())
        metrics: dict[str, str] = {}
        problems: list[str] = []
        script = ""
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(self._ws.recv(timeout=RUN_TIMEOUT))
            kind = fm.WhichOneof("type")
            if kind == "script_finished":
                if fm.script_finished not in (ForwardMsg.FINISHED_SUCCESSFULLY,):
                    problems.append(f"script finished with status {fm.script_finished}")
                break
            if kind != "delta" or fm.delta.WhichOneof("type") != "new_element":
                continue
            element = fm.delta.new_element
            etype = element.WhichOneof("type")
            if etype == "exception":
                problems.append(f"exception: {element.exception.type}: {element.exception.message}")
                TRACES.append("\n".join(element.exception.stack_trace) + f"\n{element.exception.type}: "
                              f"{element.exception.message}")
            elif etype == "alert" and element.alert.format == Alert.ERROR:
                problems.append(f"error: {element.alert.body}")
            elif etype == "component_instance" and element.component_instance.component_name.endswith("st_folium"):
                script = json.loads(element.component_instance.json_args).get("script", "")
            elif etype == "slider" and element.slider.id.endswith(SLIDER_KEY):
                self.slider_id = element.slider.id
            elif etype == "markdown" and "Area – zone" not in metrics:
                # the buffer zone's headline box: "Buffer zone", then "**km²** · people people"
                body = re.sub(r"\\(.)", r"\1", element.markdown.body)  # the app escapes Markdown specials
                headline = _ZONE_HEADLINE.match(body)
                if headline:
                    metrics["Area – zone"] = headline["area"]
                    if headline["people"]:
                        metrics["People"] = headline["people"]
        # the session's layers travel in the component's "feature_group" argument; the base
        # map's own script must not carry any (they would be another run's, maybe another user's)
        return Run(time.monotonic() - start, metrics, problems, self.slider_id, len(script.encode()),
                   "feature_group_feature_group" in script)


@dataclass
class Probes:
    """HTTP GETs of the health endpoint and the page, in threads, until stopped."""

    server: Server
    results: dict[str, list[tuple[int, float]]] = field(default_factory=lambda: {"health": [], "page": []})
    stop: threading.Event = field(default_factory=threading.Event)

    def _probe(self, kind: str, path: str) -> None:
        while not self.stop.is_set():
            start = time.monotonic()
            try:
                with urllib.request.urlopen(self.server.url + path, timeout=30) as r:
                    r.read()
                    status = r.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except (urllib.error.URLError, OSError):
                status = 0
            self.results[kind].append((status, time.monotonic() - start))
            self.stop.wait(0.2)

    def start(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._probe, args=(k, p), daemon=True)
                   for k, p in (("health", "/_stcore/health"), ("health", "/_stcore/health"), ("page", "/"))]
        for t in threads:
            t.start()
        return threads


def session_worker(server: Server, widths: tuple[float, ...], out: list, errors: list) -> None:
    """Open a session, run the page, set each width in turn; record (width, Run)."""
    try:
        with connect(f"ws://127.0.0.1:{server.port}/_stcore/stream", subprotocols=["streamlit"],
                     max_size=None, open_timeout=30) as ws:
            session = Session(ws)
            out.append((None, session.rerun()))
            for w in widths:
                out.append((w, session.rerun(w)))
    except Exception as exc:  # reported by the test, with the worker's inputs
        errors.append(f"session {widths}: {type(exc).__name__}: {exc}")


def stats(values: list[float]) -> str:
    if not values:
        return "none"
    return (f"min {min(values) * 1000:.0f} ms, median {statistics.median(values) * 1000:.0f} ms, "
            f"max {max(values) * 1000:.0f} ms (n={len(values)})")


def test_concurrent_sessions_same_figures_bounded_memory(server: Server) -> None:
    t0 = time.monotonic()
    pid = server.proc.pid
    memory = {"started": rss_kib(pid)}
    probes = Probes(server)
    probe_threads = probes.start()
    runs: list[tuple[float | None, Run]] = []
    errors: list[str] = []
    try:
        warm: list = []
        session_worker(server, (), warm, errors)  # first run imports everything: not part of the load
        runs += warm
        memory["warmed up"] = rss_kib(pid)
        for index, widths in enumerate(ROUNDS, start=1):
            out: list = []
            workers = [threading.Thread(target=session_worker,
                                        args=(server, widths[i:] + widths[:i], out, errors), daemon=True)
                       for i in range(WORKERS)]
            for t in workers:
                t.start()
            for t in workers:
                t.join(timeout=RUN_TIMEOUT * (len(widths) + 1))
                assert not t.is_alive(), f"a session of round {index} did not finish"
            runs += out
            memory[f"after round {index}"] = rss_kib(pid)
    finally:
        probes.stop.set()
        for t in probe_threads:
            t.join(timeout=35)
    load_seconds = time.monotonic() - t0
    changes = [r for w, r in runs if w is not None]
    firsts = [r for w, r in runs if w is None]

    # every session shows the same figures for a width; for LIBRARY_WIDTHS they are checked
    # against the library's own, computed after the load so that they do not compete with it
    default = layers.REGISTRY["buffer-zone"].parameter("width_km").default
    runs = [(default if w is None else w, r) for w, r in runs]  # a session's first run: the default width
    shown: dict[float, set[tuple[tuple[str, str], ...]]] = {}
    for w, r in runs:
        if not r.problems:  # a run that failed is reported as such, not as different figures
            shown.setdefault(w, set()).add(tuple(sorted(r.metrics.items())))
    expected = {}
    for w in (default, *LIBRARY_WIDTHS):
        zone = next(f for f in layers.build("buffer-zone", {"width_km": w}).features if f.role == "zone")
        expected[w] = {"Area – zone": f"{zone.figures.area_km2:,.0f} km²",
                       "People": zone.figures.people.text()}  # the number and its range, as shown

    health = [s for s, _ in probes.results["health"]]
    page = [s for s, _ in probes.results["page"]]
    rerun_times = [r.seconds for r in changes]
    growth = memory["after round 2"] / memory["after round 1"]
    lines = [
        f"load test: {WORKERS} concurrent sessions × {len(ROUNDS[0])} width changes × {len(ROUNDS)} rounds "
        f"+ 1 warm-up session, {load_seconds:.1f} s",
        "server RSS: " + ", ".join(f"{k} {v / 1024:.0f} MiB" for k, v in memory.items())
        + f"; round 2 / round 1 = {growth:.2f} (limit {MAX_GROWTH})",
        f"width change → script finished: {stats(rerun_times)}",
        f"first page run of a session: {stats([r.seconds for r in firsts])}",
        f"GET /_stcore/health: {stats([t for _, t in probes.results['health']])}, "
        f"{sum(s == 200 for s in health)}/{len(health)} answered 200",
        f"map script sent per run: {min(r.map_script_bytes for _, r in runs) / 1e3:,.0f}–"
        f"{max(r.map_script_bytes for _, r in runs) / 1e3:,.0f} kB; runs whose base map carried layers of an "
        f"earlier run: {sum(r.map_script_has_layers for _, r in runs)}/{len(runs)}",
        f"GET /: {stats([t for _, t in probes.results['page']])}, "
        f"{sum(s == 200 for s in page)}/{len(page)} answered 200",
    ]
    report = "\n".join(lines)
    print("\n" + report)
    REPORT.write_text(report + "\n", encoding="utf-8")
    if TRACES:
        REPORT.with_name("load_exceptions.txt").write_text("\n\n".join(TRACES), encoding="utf-8")

    failures = [f"session failed: {e}" for e in errors]
    failures += [f"width {w}: {p}" for w, r in runs for p in r.problems]
    if len(runs) != 1 + len(ROUNDS) * WORKERS * (len(ROUNDS[0]) + 1):
        failures.append(f"only {len(runs)} runs completed")
    failures += [f"width {w}: sessions showed different figures {sorted(v)}" for w, v in shown.items() if len(v) != 1]
    failures += [f"width {w}: shown {r.metrics}, library {expected[w]}"
                 for w, r in runs if w in expected and not r.problems and r.metrics != expected[w]]
    leaks = sum(r.map_script_has_layers for _, r in runs)
    if leaks:
        failures.append(f"{leaks}/{len(runs)} runs were sent a base map carrying layers added by an earlier run "
                        "(st_folium adds feature_group_to_add to the map it is given: a map shared between "
                        "sessions collects other sessions' layers)")
    log = server.log.read_text(errors="replace")
    if "Traceback" in log:
        failures.append(f"server log has a traceback: {log[-2000:]}")
    if not health or any(s != 200 for s in health):
        failures.append(f"health probes: {probes.results['health']}")
    if not page or any(s != 200 for s in page):
        failures.append(f"page probes: {probes.results['page']}")
    if growth > MAX_GROWTH:
        failures.append(f"server memory grew {growth:.2f}× from round 1 to round 2")
    if failures:
        REPORT.write_text(report + "\nFAILURES\n" + "\n".join(dict.fromkeys(failures)) + "\n", encoding="utf-8")
    assert not failures, "\n".join(dict.fromkeys(failures)) + "\n" + report
