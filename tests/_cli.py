"""Running the ``bufferzone`` command line in-process, for the CLI tests."""

from __future__ import annotations

import pytest

from bufferzone.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``bufferzone ARGV`` run in-process."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors exit from inside parse_args
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err
