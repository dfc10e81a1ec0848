"""The CLI's width limits say what they do: only plain decimal widths, refused in one line (issue 18, class 7).

Python's ``float`` reads ``1_000`` as 1000, Arabic-Indic ``١٠`` as 10 and full-width digits
too, so ``--width-km`` typed that way was silently accepted as a different-looking number.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests._cli import run

SQUARE = {"type": "Polygon", "coordinates": [[[30, 50], [30.2, 50], [30.2, 50.2], [30, 50.2], [30, 50]]]}


@pytest.fixture
def square(tmp_path: Path) -> Path:
    path = tmp_path / "square.geojson"
    path.write_text(json.dumps(SQUARE))
    return path


@pytest.mark.parametrize("width", ["1_000", "\u0661\u0660", "\uff11\uff10", "1_0.5", "\u0664e1"])
def test_a_width_not_written_as_a_plain_decimal_is_refused(width: str, square: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["buffer", str(square), "--width-km", width, "-o", str(tmp_path / "o.geojson")], capsys)
    assert code == 2
    assert "digits 0-9" in err and "Traceback" not in err
    assert not (tmp_path / "o.geojson").exists()


@pytest.mark.parametrize(("width", "message"), [("inf", "width_km must be > 0"), ("nan", "width_km must be > 0"),
                                               ("10km", "invalid float value"), ("1,5", "invalid float value")])
def test_other_non_widths_are_refused_in_one_line(width: str, message: str, square: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["buffer", str(square), "--width-km", width, "-o", str(tmp_path / "o.geojson")], capsys)
    assert code == 2
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("width", ["10", "12.5", "1e1", ".5", "+3"])
def test_plain_decimal_widths_are_read(width: str, square: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["buffer", str(square), "--width-km", width, "-o", str(tmp_path / "o.geojson")], capsys)
    assert code == 0, err
    assert (tmp_path / "o.geojson").exists()


def test_a_tiny_width_is_refused_by_the_cost_model_naming_the_limit(square: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["buffer", str(square), "--width-km", "0.001", "-o", str(tmp_path / "o.geojson")], capsys)
    assert code != 0
    assert "the limit is 20 s" in err and "use a width of at least" in err and "Traceback" not in err
