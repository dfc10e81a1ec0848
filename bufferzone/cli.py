"""The ``bufferzone`` command line: geodesic buffers, measures and proposal layers from the shell.

Exit status is 0 on success and 2 for bad usage or bad input, with a one-line reason on
standard error. Every GeoJSON written is RFC 7946 (lon/lat, right-hand rule, no ``crs``
member) and every feature carries ``area_km2`` and ``population``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, get_args

import numpy as np
import shapely

from geo import BufferZoneError, buffer, measure, people_text
from geo.buffering import MAX_WIDTH_KM, Side
from geo.edges import DEFAULT_EDGES, Edges, densify
from geo.geodesy import length_km
from geo.io import feature_collection, read_vector, write_geojson

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors on one line and exits 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


class _UsageError(Exception):
    """Bad arguments found after parsing (exit 2)."""


_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _km(text: str) -> float:
    """A width in km written as a plain ASCII decimal (``float`` alone also takes ``1_000`` and other digits)."""
    value = float(text)  # a ValueError is argparse's "invalid float value"; nan and inf are refused by the engine
    if np.isfinite(value) and not _PLAIN_NUMBER.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(
            f"expected a number of km written with digits 0-9 (like 12.5), got {text[:40]!r}")
    return value


_km.__name__ = "float"  # argparse names the type in "invalid float value: 'ten'"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bufferzone",
        description=(
            "Buffer-zone mapper: geodesic buffers, areas and population figures for "
            "geopolitical proposals (WGS84 ellipsoid; embedded offline data)."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("buffer", help="buffer any vector file geodesically and write GeoJSON")
    p.add_argument("input", help="GeoJSON, KML, KMZ, zipped Shapefile or GeoPackage")
    p.add_argument("--width-km", type=_km, required=True, metavar="W",
                   help=f"buffer distance in km (0 < W <= {MAX_WIDTH_KM:,.0f})")
    p.add_argument("--side", default=None, choices=["both", "left", "right", "outside", "inside"],
                   help="both (default for points and lines), outside (default for polygons), "
                        "inside, or left/right of a directed line")
    p.add_argument("-o", "--output", required=True, help="output .geojson")
    p.add_argument("--raster", help="population GeoTIFF to count people with instead of the default model")
    _edges_option(p)

    p = sub.add_parser("measure", help="area, population and breakdowns of the polygons in a file; "
                                       "geodesic length of its lines (and their buffer's figures with --width-km)")
    p.add_argument("input", help="GeoJSON, KML, KMZ, zipped Shapefile or GeoPackage")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--raster", help="population GeoTIFF to count people with instead of the default model")
    p.add_argument("--top", type=int, default=10, help="how many of the largest settlements to list")
    p.add_argument("--width-km", type=_km, default=None, metavar="W",
                   help="also buffer the geometry by W km (as `bufferzone buffer`) and give the buffer's figures")
    p.add_argument("--side", default=None, choices=["both", "left", "right", "outside", "inside"],
                   help="side of the buffer with --width-km (default: both for points and lines, outside for polygons)")
    _edges_option(p)

    p = sub.add_parser("layers", help="list the proposal layers and their parameters")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = sub.add_parser("build", help="build one proposal layer and write GeoJSON or CSV")
    p.add_argument("layer", help="registry name, e.g. buffer-zone (see `bufferzone layers`)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="set a parameter (repeatable), e.g. --set width_km=50")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="as-of date (same as --set as_of=...)")
    p.add_argument("-o", "--output", required=True,
                   help="output: .geojson or .gpkg (features), .csv (figures), .html (standalone map), "
                        ".png or .pdf (briefing image)")
    _edges_option(p, build=True)
    _image_options(p)

    _loc_parser(sub)

    p = sub.add_parser("scenario", help="render a saved scenario (the app's scenario file) to every output")
    p.add_argument("file", help="scenario .json saved from the app")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write into (created if needed)")
    _image_options(p)

    p = sub.add_parser("app", help="start the web app (needs the [app] extra: pip install 'bufferzone[app]')")
    p.add_argument("--port", type=int, default=None, help="TCP port to serve on (default: Streamlit's, 8501)")
    p.add_argument("--address", default=None,
                   help="address to bind (default: Streamlit's, every interface; 127.0.0.1 keeps it on this machine)")
    p.add_argument("--headless", action="store_true", help="do not open a browser")
    p.add_argument("--dry-run", action="store_true", help="print the streamlit command (and the app's file) and exit")
    return parser


def _loc_parser(sub: Any) -> None:
    p = sub.add_parser("loc", help="the line of contact's history: list, fetch, import, show")
    loc = p.add_subparsers(dest="loc_command", metavar="ACTION", parser_class=_Parser, required=True)
    q = loc.add_parser("list", help="every snapshot in the history (built-in dates and loaded lines)")
    q.add_argument("--json", action="store_true", help="print JSON instead of a table")
    q = loc.add_parser("fetch", help="download the newest DeepStateMap line (or a day's) into the history")
    q.add_argument("--date", metavar="YYYY-MM-DD", help="the day wanted (default: the newest in the mirror's history)")
    q.add_argument("--url", help="download from this URL instead of the public mirror")
    q = loc.add_parser("import", help="add an occupied-area file to the history")
    q.add_argument("file", help="DeepStateMap daily file, history (.geojson.gz) or JSON; ISW KMZ/KML; zipped "
                                "Shapefile; any polygon GeoJSON or GeoPackage")
    q.add_argument("--date", metavar="YYYY-MM-DD",
                   help="the date it describes (default: the file's own); for a history, the day wanted")
    q = loc.add_parser("show", help="the snapshot in force on a date: its date, source and age")
    q.add_argument("date", metavar="DATE", help="as-of date YYYY-MM-DD")
    q.add_argument("--json", action="store_true", help="print JSON instead of text")
def _edges_option(p: argparse.ArgumentParser, *, build: bool = False) -> None:
    where = "of the layer's own geometry (layers that take one, e.g. custom)" if build else "in the input file"
    p.add_argument("--edges", default=None if build else DEFAULT_EDGES, choices=list(get_args(Edges)),
                   help=f"what an edge between two vertices {where} means: straight in lon/lat "
                        "(RFC 7946, the default) or a geodesic (PostGIS geography)")


def _image_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", choices=["slide", "a4", "a4-landscape"], default=None,
                   help="briefing page: 16:9 slide (default for .png), A4 portrait (default for .pdf) or A4 "
                        "landscape")
    p.add_argument("--bounds", metavar="W,S,E,N", help="area shown in briefing images, lon/lat degrees")
    p.add_argument("--dpi", type=int, default=200, help="PNG resolution (>= 200)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        commands = {"buffer": _buffer, "measure": _measure, "layers": _layers, "build": _build, "scenario": _scenario,
                    "loc": _loc, "app": _app}
        return commands[args.command](args)
    except (BufferZoneError, _UsageError) as exc:
        print(f"bufferzone {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"bufferzone {args.command}: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 2
    except Exception as exc:  # a bug, not bad input: still one line, and a distinct status
        print(f"bufferzone {args.command}: internal error ({type(exc).__name__}: {str(exc)[:200]}); "
              "please report it with the command you ran", file=sys.stderr)
        return 1


def _buffer(args: argparse.Namespace) -> int:
    if not args.output.lower().endswith((".geojson", ".json")):
        raise _UsageError(f"output must be a .geojson file, got {args.output!r}")
    loaded = read_vector(args.input)
    for note in loaded.notes:
        print(f"note: {note}", file=sys.stderr)
    features = []
    for i, (geom, props) in enumerate(zip(loaded.frame.geometry, _properties(loaded.frame), strict=True)):
        side: Side = args.side or ("outside" if geom.geom_type in ("Polygon", "MultiPolygon") else "both")
        zone = buffer(geom, args.width_km, side=side, edges=args.edges)
        figures = measure(zone, raster=args.raster)
        features.append((zone, {
            **props, "id": props.get("id", f"buffer-{i}"), "width_km": args.width_km, "side": side,
            "edges": args.edges,
            "area_km2": round(figures.area_km2, 1), "population": figures.population,
            "population_low": figures.population_low, "population_high": figures.population_high,
            "population_coverage": round(figures.population_coverage, 4),
            "population_basis": list(figures.population_basis),
            "population_method": figures.population_method,
            "method": "Geodesic buffer on the WGS84 ellipsoid (bufferzone geo.buffer).",
        }))
    write_geojson(feature_collection(features), args.output)
    print(f"wrote {len(features)} feature(s) to {args.output}")
    return 0


def _measure(args: argparse.Namespace) -> int:
    loaded = read_vector(args.input)
    for note in loaded.notes:
        print(f"note: {note}", file=sys.stderr)
    # the input's edges read once, in the declared meaning: area, length and buffer agree
    geoms = [densify(g, edges=args.edges) for g in loaded.frame.geometry.values]
    parts = [p for g in geoms for p in shapely.get_parts(shapely.get_parts(g))]
    lines = [p for p in parts if isinstance(p, shapely.LineString | shapely.LinearRing)]
    polygons = [p for p in parts if isinstance(p, shapely.Polygon)]
    out: dict[str, Any] = {}
    if lines:
        out["length_km"] = round(sum(length_km(line) for line in lines), 3)
        out["length_method"] = (f"Geodesic length on the WGS84 ellipsoid (pyproj.Geod) of {len(lines)} line(s), "
                                f"edges read as {_EDGE_WORDS[args.edges]}.")
        out["edges"] = args.edges
    if polygons or not lines:  # a point alone is refused by measure() ("has no area")
        area = shapely.union_all(polygons) if polygons else shapely.union_all(geoms)
        if args.width_km is None or polygons:
            out.update(measure(area, raster=args.raster, top_settlements=args.top).to_dict())
    if args.width_km is not None:
        zones = []
        for g in geoms:
            side: Side = args.side or ("outside" if g.geom_type in ("Polygon", "MultiPolygon") else "both")
            zones.append(buffer(g, args.width_km, side=side, edges=args.edges))
        zone = shapely.union_all(zones)
        out["buffer"] = {"width_km": args.width_km, "side": args.side or "auto",
                         **measure(zone, raster=args.raster, top_settlements=args.top).to_dict()}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(_measure_table(out))
    return 0


_EDGE_WORDS = {"straight": "straight lon/lat lines (RFC 7946)", "geodesic": "geodesics"}


def _measure_table(out: dict[str, Any]) -> str:
    blocks = []
    if "length_km" in out:
        blocks.append(f"length:      {out['length_km']:,.3f} km   ({out['length_method']})")
    if "area_km2" in out:
        blocks.append(_table(out))
    if "buffer" in out:
        b = out["buffer"]
        blocks.append(f"buffer of {b['width_km']:g} km ({b['side']}):\n" + _table(b))
    return "\n\n".join(blocks)


def _layers(args: argparse.Namespace) -> int:
    import layers

    specs = [spec.to_dict() for spec in layers.REGISTRY.values()]
    if args.json:
        print(json.dumps(specs, ensure_ascii=False, indent=2))
        return 0
    for spec in specs:
        print(f"{spec['name']}: {spec['title']}")
        for p in spec["parameters"]:
            rng = f" [{p['minimum']}..{p['maximum']}]" if p["minimum"] is not None else ""
            choices = f" {{{', '.join(p['choices'])}}}" if p["choices"] else ""
            unit = f" {p['unit']}" if p["unit"] else ""
            print(f"  {p['name']:<20} {p['type']:<7} default {p['default']!r}{unit}{rng}{choices}")
        print()
    return 0


def _build(args: argparse.Namespace) -> int:
    import layers

    spec = layers.get(args.layer)
    values: dict[str, str] = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise _UsageError(f"--set expects NAME=VALUE, got {item!r}")
        values[name.strip()] = value.strip()
    if args.date:
        values["as_of"] = args.date
    if args.edges is not None:
        if "edges" not in {p.name for p in spec.parameters}:
            raise _UsageError(f"--edges applies to layers built from your own geometry (custom); {spec.name} is "
                              "built from the embedded data, whose edges are short enough for both meanings")
        values["edges"] = args.edges
    suffix = Path(args.output).suffix.lower()
    if suffix not in _WRITERS:
        raise _UsageError(f"output must end in one of {', '.join(_WRITERS)}, got {args.output!r}")
    bounds = _bounds(args.bounds)
    result = spec.build(values)
    _WRITERS[suffix]([result], Path(args.output), args, bounds)
    print(f"wrote {len(result.features)} feature(s) of {spec.name} to {args.output}")
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def _date(text: str | None, what: str = "--date") -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise _UsageError(f"{what} expects a date YYYY-MM-DD, got {text!r}") from None


def _loc(args: argparse.Namespace) -> int:
    from geo import loc_history

    if args.loc_command == "list":
        snaps = loc_history.history()
        if args.json:
            print(json.dumps([_snapshot_dict(s) for s in snaps], ensure_ascii=False, indent=2))
            return 0
        print(f"{'date':<11} {'source':<13} {'km² as drawn':>13}  reference")
        for s in snaps:
            print(f"{s.date.isoformat():<11} {s.source_key:<13} {s.area_km2:>13,.0f}  {s.reference}"
                  + ("  (approximate)" if s.approximate else ""))
        print(f"{len(snaps)} snapshot(s); loaded lines are kept in {loc_history.history_dir()}")
        return 0
    if args.loc_command == "fetch":
        from bufferzone.loc_fetch import fetch

        fetched = fetch(date=_date(args.date), url=args.url)
        s = fetched.snapshot
        print(f"added {s.label}: {s.area_km2:,.0f} km² as drawn, from {fetched.url}"
              + (f" ({fetched.days} days' km² kept for the chart)" if fetched.days else ""))
        print(f"reference: {s.reference}")
        print(f"attribution: {s.attribution}")
        return 0
    if args.loc_command == "import":
        from geo.loc_readers import AreaPoint, read_line_file

        areas: list[AreaPoint] = []
        line = read_line_file(args.file, date=_date(args.date), areas=areas)
        for note in line.notes:
            print(f"note: {note}", file=sys.stderr)
        if areas:
            loc_history.add_areas(areas, source_key=line.source_key)
        s = loc_history.add(line, date=line.date or _date(args.date))
        print(f"added {s.label}: {s.area_km2:,.0f} km² as drawn, from {Path(args.file).name}")
        print(f"reference: {s.reference}")
        return 0
    from geo.frontline import frontline_on

    as_of = _date(args.date, "DATE")
    assert as_of is not None
    snap = loc_history.pick(as_of)
    front = frontline_on(as_of)
    info = {**_snapshot_dict(snap), "as_of": as_of.isoformat(), "age_days": front.age_days, "stale": front.stale}
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        print(f"line of contact in force on {as_of.isoformat()}: {snap.label}")
        print(f"  date {snap.date.isoformat()}, {front.age_days} day(s) before the as-of date")
        print(f"  source: {snap.source}")
        print(f"  attribution: {snap.attribution}")
        print(f"  occupied area as drawn: {snap.area_km2:,.0f} km²")
        print(f"  reference: {snap.reference}")
    if front.staleness_note():
        print(f"note: {front.staleness_note()}", file=sys.stderr)
    return 0


def _snapshot_dict(s: Any) -> dict[str, Any]:
    return {"reference": s.reference, "date": s.date.isoformat(), "source_key": s.source_key, "source": s.source,
            "attribution": s.attribution, "content_hash": s.content_hash, "area_km2_as_drawn": s.area_km2,
            "approximate": s.approximate, "added": s.added, "url": s.url, "notes": list(s.notes)}


def _bounds(text: str | None) -> tuple[float, float, float, float] | None:
    if not text:
        return None
    try:
        w, s_, e, n = (float(v) for v in text.split(","))
    except ValueError:
        raise _UsageError(f"--bounds expects W,S,E,N in degrees, got {text!r}") from None
    if not (-180 <= w < e <= 180 and -90 <= s_ < n <= 90):
        raise _UsageError(f"--bounds must satisfy -180 <= W < E <= 180 and -90 <= S < N <= 90, got {text!r}")
    return (w, s_, e, n)


def _write(results: list, path: Path, args: argparse.Namespace, bounds: Any) -> None:
    """Write through the one exports module the app uses too."""
    from bufferzone import exports

    exports.write(results, path, preset=getattr(args, "preset", None), bounds=bounds, dpi=getattr(args, "dpi", None))


_WRITERS = dict.fromkeys((".geojson", ".json", ".csv", ".gpkg", ".html", ".png", ".pdf"), _write)


def _scenario(args: argparse.Namespace) -> int:
    import layers
    from bufferzone.webapp.scenario import Scenario

    path = Path(args.file)
    if not path.is_file():
        raise _UsageError(f"scenario file {args.file!r} does not exist")
    scenario, problems = Scenario.from_json(path.read_bytes())
    for problem in problems:
        print(f"note: {problem}", file=sys.stderr)
    if not scenario.layers:
        raise _UsageError("the scenario has no valid layer to render")
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    bounds = _bounds(args.bounds)
    results = [layers.get(n).build(scenario.parameters(n)) for n in scenario.layers]
    for note in dict.fromkeys(n for r in results for n in r.notes if n.startswith("Stale line of contact")):
        print(f"note: {note}", file=sys.stderr)
    written = []
    for r in results:
        _write([r], out / f"{r.layer}.geojson", args, bounds)
        written.append(f"{r.layer}.geojson")
    for name in ("all-layers.geojson", "figures.csv", "layers.gpkg", "map.html", "briefing.png", "briefing.pdf"):
        _WRITERS[Path(name).suffix](results, out / name, args, bounds)
        written.append(name)
    written += _comparison(scenario, {r.layer: r for r in results}, out)
    print(f"wrote {len(written)} file(s) to {out}: " + ", ".join(written))
    return 0


def _comparison(scenario: Any, built: dict[str, Any], out: Path) -> list[str]:
    """The scenario's comparison (A only, B only, both): printed, and written as GeoJSON and CSV."""
    import json

    from bufferzone.comparison import comparison_csv, comparison_geojson, scenario_comparison

    result = scenario_comparison(scenario, built)
    if result is None:
        return []
    if isinstance(result, str):
        print(f"note: no comparison: {result}", file=sys.stderr)
        return []
    print(f"comparison: A = {result.a_label}; B = {result.b_label}")
    for row in result.rows():
        print(f"  {row['label']:<40} {row['area_km2']:>12,.1f} km²  {row['people']:>28} people")
    (out / "comparison.geojson").write_text(json.dumps(comparison_geojson(result), ensure_ascii=False),
                                            encoding="utf-8")
    (out / "comparison.csv").write_text(comparison_csv(result), encoding="utf-8")
    return ["comparison.geojson", "comparison.csv"]


def _app(args: argparse.Namespace) -> int:
    """Start Streamlit on the installed front end; a SIGTERM to this process stops Streamlit too."""
    import signal
    import subprocess
    import threading

    from bufferzone.webapp import launch

    script = launch.app_file()
    missing = launch.missing_modules()
    if missing:
        raise _UsageError(f"the web app needs the [app] extra, and {', '.join(missing)} cannot be imported: "
                          "install it with pip install 'bufferzone[app]' (from a checkout: pip install '.[app]')")
    if args.port is not None and not 0 < args.port < 65536:
        raise _UsageError(f"--port must be 1-65535, got {args.port}")
    command = launch.streamlit_command(script, port=args.port, address=args.address, headless=args.headless)
    if args.dry_run:
        print(f"app: {script}")
        print(" ".join(command))
        return 0
    proc = subprocess.Popen(command)
    forward = threading.current_thread() is threading.main_thread()  # signal handlers: the main thread's only
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: proc.send_signal(signum)) if forward else None
    try:
        return proc.wait()
    except KeyboardInterrupt:  # Ctrl-C reached Streamlit too, which stops by itself
        return proc.wait()
    finally:
        if forward:
            signal.signal(signal.SIGTERM, previous)


def _properties(frame: Any) -> list[dict[str, Any]]:
    cols = [c for c in frame.columns if c != frame.geometry.name]
    return [{c: row[c] for c in cols if row[c] is not None} for _, row in frame[cols].iterrows()]


def _people(value: int | None) -> str:
    return "no data" if value is None else f"{value:,}"


def _table(result: dict[str, Any]) -> str:
    people = people_text(result["population"], low=result.get("population_low"),
                         high=result.get("population_high"), coverage=result.get("population_coverage", 1.0))
    lines = [
        f"area:        {result['area_km2']:,.1f} km²   ({result['area_method']})",
        f"population:  {people}   ({result['population_method']})",
    ]
    lines += [f"basis:       {b}" for b in result.get("population_basis", [])]
    lines += [f"note:        {n}" for n in result["population_notes"]]
    if result["by_country"]:
        lines += ["", "by country:"]
        lines += [f"  {r['name']:<28} {r['area_km2']:>12,.1f} km²  {_people(r['population']):>12} people"
                  for r in result["by_country"]]
    if result["by_admin1"]:
        lines += ["", "by first-level unit:"]
        lines += [f"  {r['name']:<28} {r['area_km2']:>12,.1f} km²  {_people(r['population']):>12} people"
                  for r in result["by_admin1"]]
    if result["largest_settlements"]:
        lines += ["", "largest settlements (people inside the area, of the GeoNames population):"]
        lines += [f"  {r['name']:<28} {r['iso_a3'] or '':<4} {r['inside']:>12,}"
                  + (f" of {r['population']:,}" if r["inside"] < r["population"] else "")
                  for r in result["largest_settlements"]]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
