"""Fixtures for the front-end tests: the app under ``streamlit.testing`` and its downloads."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

import layers
from layers import LayerResult

APP = Path(__file__).resolve().parents[2] / "app.py"


def open_app(query: Mapping[str, str] | None = None) -> AppTest:
    """The app, not yet run, opened on a URL with ``query`` as its query string."""
    at = AppTest.from_file(str(APP), default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def run(at: AppTest) -> AppTest:
    """Run (or rerun) the script; fail with the traceback if it raised."""
    at.run()
    assert not at.exception, "\n".join(e.value + "\n" + "\n".join(e.stack_trace) for e in at.exception)
    return at


class _FiguresParser(HTMLParser):
    """Rows of the figures table as shown: the text of each cell, field labels and the kind line apart."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self._cell: str | None = None
        self._span: list[str] = []
        self._cells: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        if tag == "tr":
            self._cells, self._n = {}, 0
        elif tag == "td":
            self._cell = ["feature", "km²", "people", "largest towns"][self._n]
            self._n += 1
        if tag == "span":
            self._span.append(cls)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._span:
            self._span.pop()
        elif tag == "td":
            self._cell = None
        elif tag == "tr" and self._cells:
            row = {k: "".join(v).strip() for k, v in self._cells.items()}
            self.rows.append(row)

    def handle_data(self, data: str) -> None:
        if self._cell is None or "lbl" in self._span:
            return
        key = "kind" if self._cell == "feature" and "sub" in self._span else self._cell
        sep = " " if "sub" in self._span and key == "people" else ""
        self._cells.setdefault(key, []).append(sep + data.replace("\xa0", " "))


def figures_frame(block: Any) -> pd.DataFrame:
    """The figures table of an app block (a tab) as a frame indexed by feature: km², people, towns, kind."""
    body = next((h.proto.body for h in block.get("html") if 'class="bz-figs"' in h.proto.body), None)
    assert body is not None, "no figures table shown"
    parser = _FiguresParser()
    parser.feed(body)
    columns = ["feature", "km²", "people", "largest towns", "kind"]
    return pd.DataFrame([{c: r.get(c, "") for c in columns} for r in parser.rows], columns=columns).set_index("feature")


def compare_rows(at: AppTest) -> dict[str, tuple[float, str]]:
    """The Compare tab's table: {"Only A" | "Only B" | "Both": (km², people as shown)}."""
    table = next((t.value for t in at.table if t.value.index.name == "part"), None)
    assert table is not None, "no comparison table shown"
    return {part: (float(row["km²"].replace(",", "")), row["people"]) for part, row in table.iterrows()}


@pytest.fixture(scope="session")
def build() -> Callable[..., LayerResult]:
    """``build(name, parameters)`` through the library, once per parameter set (the reference)."""
    cache: dict[str, LayerResult] = {}

    def _build(name: str, parameters: Mapping[str, Any] | None = None) -> LayerResult:
        key = json.dumps([name, dict(parameters or {})], sort_keys=True, default=str)
        if key not in cache:
            cache[key] = layers.build(name, parameters)
        return cache[key]

    return _build


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any], bytes]:
    """``fetch(button)``: the bytes a download button of the last run would send.

    AppTest keeps download data in an in-memory media store it creates for each run and
    then drops; this records those stores (and their managers) so a button's URL can be
    resolved afterwards. A deferred button (data made on click) is pressed as the browser
    would: its generator runs and the file it stores is read back.
    """
    stores: list[MemoryMediaFileStorage] = []
    managers: list[MediaFileManager] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            stores.append(self)

    class RecordingManager(MediaFileManager):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)
    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordingManager)

    def url_of(button: Any) -> str:
        deferred = button.proto.deferred_file_id
        if not deferred:
            return button.proto.url
        for manager in reversed(managers):
            try:
                return manager.execute_deferred(deferred)
            except MediaFileStorageError as exc:
                if "not found" not in str(exc):
                    raise AssertionError(f"download {button.label!r} failed: {exc}") from exc
        raise AssertionError(f"no generator behind deferred download button {button.label!r}")

    def fetch(button: Any) -> bytes:
        name = url_of(button).rsplit("/", 1)[-1]
        assert name, f"download button {button.label!r} has no URL"
        for store in reversed(stores):
            try:
                return store.get_file(name).content
            except MediaFileStorageError:
                continue
        raise AssertionError(f"no stored file behind download button {button.label!r}")

    return fetch
