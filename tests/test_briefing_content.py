"""What a briefing prints about each layer: the layer's declared headlines, role labels, parameters
and people, the same as the app shows; and the app's briefing takes the user's current view.

References: the app's own rendering (``streamlit.testing``) for the headlines, the features'
exported properties (the CSV) for the figures, the accession record for NATO's membership
(16 members in 1990, 32 in 2024: nato.int, "Member countries"), and Web Mercator's scale
(a 256 px tile spans 360° at zoom 0) for the extent of a view.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

import layers
from bufferzone import exports
from bufferzone.briefing import render_briefing
from bufferzone.briefing.content import layer_content, parameters_text
from bufferzone.styles import LINE_KINDS
from tests.app.conftest import build, downloads, open_app, run  # noqa: F401 (fixtures)
from tests.app.test_app import shown_headlines


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _bold(result: layers.LayerResult) -> list[tuple[str, str, str]]:
    return [(r.name, r.area, r.people) for r in layer_content(result).rows if r.headline]


def test_the_table_leads_with_the_declared_headlines_which_move_with_the_parameters() -> None:
    before = layers.build("frozen-line")
    after = layers.build("frozen-line", {"dmz_km": 20.0, "withdraw_donbas": True})
    for result in (before, after):
        rows = layer_content(result).rows
        heads = [r for r in rows if r.headline]
        assert [r.name.split(" (net")[0] for r in heads] == [h.label for h in result.headlines]
        assert rows[: len(heads)] == tuple(heads)  # the headlines come first
    # the figures are the features' own, as the CSV exports them
    csv = after.figures().set_index("id")
    shown = {name: (area, people) for name, area, people in _bold(after)}
    for label, fid in (("DMZ, Ukrainian-held side", "frozen-line:dmz-ua"), ("Withdrawal from Donbas",
                                                                            "frozen-line:withdrawal")):
        area, people = shown[label]
        assert area == f"{csv.loc[fid, 'area_km2']:,.0f} km²"
        assert people.startswith(f"{int(csv.loc[fid, 'population']):,} (")
    assert "Withdrawal from Donbas" not in dict((n, a) for n, a, _ in _bold(before))
    dmz = {n: a for n, a, _ in _bold(before)}["DMZ, Ukrainian-held side"]
    assert float(shown["DMZ, Ukrainian-held side"][0].split()[0].replace(",", "")) > \
        5 * float(dmz.split()[0].replace(",", ""))
    # a feature that is a headline by itself is not printed twice
    names = [r.name for r in layer_content(after).rows]
    assert not any(f.name in names for f in after.features if f.id == "frozen-line:withdrawal")


def test_a_net_headline_is_signed_and_adds_up_its_features() -> None:
    result = layers.build("frozen-line")
    net = next(r for r in layer_content(result).rows if r.name.startswith("Swaps, net to Ukraine"))
    csv = result.figures().set_index("id")
    expected = csv.loc["frozen-line:swap-kharkiv", "area_km2"] - csv.loc["frozen-line:swap-kursk", "area_km2"]
    assert net.area == f"{expected:+,.0f} km²"
    people = csv.loc["frozen-line:swap-kharkiv", "population"] - csv.loc["frozen-line:swap-kursk", "population"]
    assert net.people == f"{int(people):,}"  # a difference has no simple range: none is given


@pytest.mark.parametrize(("as_of", "members"), [("1990-01-01", 16), ("2025-02-12", 32)])
def test_nato_reads_its_members_and_the_zone_named_as_such(as_of: str, members: int) -> None:
    result = layers.build("nato-enlargement", {"as_of": as_of})
    content = layer_content(result)
    heads = [r.name for r in content.rows if r.headline]
    drawn = sum(f.role == "member" for f in result.features)
    # members outside the map's data (the United States, Canada) are not drawn; the label says how many are
    assert heads[0] == f"Members on the map ({drawn})" and members - 2 <= drawn <= members
    assert not any(r.name == "Belgium" for r in content.rows)  # the 1990 table read "Belgium" alone
    assert any("Art. 4" in h for h in heads) == (as_of > "1997-05-27")
    assert f"{drawn} features" in content.omitted and "CSV" in content.omitted
    total = sum(f.figures.area_km2 for f in result.features if f.role == "member")
    assert next(r.area for r in content.rows if r.headline) == f"{total:,.0f} km²"


def test_unknown_people_print_no_data_never_zero_in_rows_and_headlines() -> None:
    result = layers.build("range-rings", {"site": "custom", "lon": 127.0, "lat": 37.5, "preset": "custom",
                                          "range_km": 500.0})
    rows = layer_content(result).rows
    assert rows and all(r.people == "no data" for r in rows if r.headline)
    assert not any(re.fullmatch(r"0\b.*", r.people) for r in rows)
    assert not any(r.area == "" for r in rows)  # the launch site (a point, no people) has no row


def test_legend_and_parameters_come_from_the_declarations() -> None:
    for name in layers.REGISTRY:
        result = layers.build(name, None if name != "custom" else {
            "geometry": '{"type": "LineString", "coordinates": [[27.9, 59.4], [28.2, 58.9]]}'})
        labels = {result.role_label(f.role) for f in result.features} | {k.label for k in LINE_KINDS.values()}
        for entry in layer_content(result).legend:
            assert entry.label.split(": ")[0] in labels, (name, entry.label)
    # NATO's members are shaded by accession wave: one entry per shade, named for its wave(s)
    nato = layers.build("nato-enlargement", {"as_of": "2025-02-12"})
    members = [e for e in layer_content(nato).legend if e.label.startswith(nato.role_label("member"))]
    waves = {f.attributes["accession_date"][:4] for f in nato.features if f.role == "member"}
    assert {"1949", "1999", "2004", "2023", "2024"} <= waves  # the founders, 1999, 2004, Finland, Sweden
    assert len({e.fill for e in members}) == len(members) >= 9
    assert members[0].label.endswith("1949 founders") and "2004" in " ".join(e.label for e in members)
    text = parameters_text(layers.build("buffer-zone", {"width_km": 50.0}))
    assert "Width 50 km" in text and "50.0" not in text  # the declared display format, with its unit
    text = parameters_text(layers.build("range-rings", {"preset": "inf-band"}))
    assert "INF band, 500–5,500 km" in text and "inf-band" not in text


# ----------------------------------------------------------------------------- the app and the image


def test_the_briefing_prints_the_headlines_the_app_shows(downloads) -> None:  # noqa: F811
    at = run(open_app({"layers": "frozen-line"}))
    at.slider(key="w:frozen-line.dmz_km").set_value(20.0)
    at.checkbox(key="w:frozen-line.withdraw_donbas").set_value(True)
    at.selectbox(key="dl:fmt").set_value("pdf")
    run(at)
    shown = shown_headlines(at.tabs[0])
    assert any(label == "Withdrawal from Donbas" for label, _, _ in shown)
    button = next(b for b in at.get("download_button") if b.key == "dl:image")
    text = _pdf_text(downloads(button))
    for label, area, people in shown:
        assert label in text, label
        assert (f"{area:+,.0f} km²" if label.startswith("Swaps, net") else f"{area:,.0f} km²") in text, label
        if people is not None:
            assert f"{people:,}" in text, label


def test_the_app_briefing_shows_the_users_view_and_offers_a4_landscape(downloads, monkeypatch) -> None:  # noqa: F811
    asked: list[object] = []
    monkeypatch.setattr(exports, "image_bytes", lambda results, **kw: asked.append(kw["bounds"]) or b"x")
    at = run(open_app({"layers": "buffer-zone"}))
    assert "A4 landscape" in at.selectbox(key="dl:preset").options
    box = {"_southWest": {"lat": 46.0, "lng": 31.0}, "_northEast": {"lat": 50.0, "lng": 39.0}}
    at.session_state["map"] = {"center": {"lat": 48.0, "lng": 35.0}, "zoom": 7, "bounds": box, "all_drawings": None}
    run(at)
    downloads(next(b for b in at.get("download_button") if b.key == "dl:image"))
    assert asked[-1] == (31.0, 46.0, 39.0, 50.0)  # the box the browser reported
    page = downloads(next(b for b in at.get("download_button") if b.key == "dl:html")).decode("utf-8")
    assert re.search(r"center:\s*\[48\.0,\s*35\.0\]", page) and re.search(r"\"zoom\": 7,", page)
    # a view from a link, not yet reported by the browser: its own box around its centre
    at = run(open_app({"layers": "buffer-zone", "view": "50.0000,30.0000,6"}))
    downloads(next(b for b in at.get("download_button") if b.key == "dl:image"))
    w, s, e, n = asked[-1]
    assert w < 30.0 < e and s < 50.0 < n
    assert e - w == pytest.approx(300 / (256 * 2**6) * 360)  # 300 px at zoom 6 (Web Mercator)


def test_a_two_layer_briefing_at_a_given_view_prints_both_layers_headlines() -> None:
    stack = [layers.build("buffer-zone"), layers.build("frozen-line", {"withdraw_donbas": True})]
    text = _pdf_text(render_briefing(stack, fmt="pdf", preset="a4-landscape", bounds=(20.0, 44.0, 42.0, 60.0)))
    for result in stack:
        for h in result.headlines:
            assert h.area_text() in text, h.label
