"""Where the web app's files are, and the ``streamlit run`` command that starts it.

Streamlit serves the web assets from the folder ``static/`` beside the script it runs
(``server.enableStaticServing``). An installed package therefore ships the front end
(:data:`FRONT_END`) and the assets together in this package (``bufferzone/webapp/static``,
found through :mod:`importlib.resources`); a source checkout runs its ``app.py`` beside its
``static/``, and that file runs the same front end. Nothing here imports Streamlit: the
command line checks that the ``[app]`` extra is installed and starts Streamlit in a new
process.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib import resources
from pathlib import Path
from types import CodeType
from typing import Any

from geo import BufferZoneError

__all__ = ["APP_MODULES", "FRONT_END", "AppNotFoundError", "app_file", "front_end", "missing_modules",
           "run_front_end", "static_dir", "streamlit_command"]

#: The front end's file name in this package (a Streamlit script, not a module to import).
FRONT_END = "streamlit_app.py"
#: Modules of the ``[app]`` extra the front end imports (import name, not distribution name).
APP_MODULES = ("streamlit", "streamlit_folium", "altair")
_CHECKOUT = Path(__file__).resolve().parents[2]
#: A file only the vendored assets have (``static/vendor/README.md`` names their versions).
_MARKER = Path("vendor") / "README.md"


class AppNotFoundError(BufferZoneError):
    """The front end or its web assets are missing from this installation."""


def _package_dir() -> Path:
    root = resources.files(__package__ or "bufferzone.webapp")
    if not isinstance(root, Path):  # a zipped install: Streamlit needs real files
        raise AppNotFoundError(f"the web app must be installed as files, not inside an archive ({root})")
    return root


def _installed() -> bool:
    return (_package_dir() / "static" / _MARKER).is_file()


def front_end() -> Path:
    """The front end's script in this package (:data:`FRONT_END`), installed or in a checkout."""
    return _package_dir() / FRONT_END


def static_dir() -> Path:
    """The folder of the vendored web assets (``vendor/``, ``context/``).

    Returns
    -------
    pathlib.Path
        ``bufferzone/webapp/static`` of an installed package, else the checkout's ``static/``.
    """
    return _package_dir() / "static" if _installed() else _CHECKOUT / "static"


def app_file() -> Path:
    """The script to give ``streamlit run``, with the web assets in ``static/`` beside it.

    Returns
    -------
    pathlib.Path
        The installed package's :data:`FRONT_END`, else a checkout's ``app.py``.

    Raises
    ------
    AppNotFoundError
        Neither is there (a broken installation).
    """
    if _installed():
        return front_end()
    checkout = _CHECKOUT / "app.py"
    if checkout.is_file() and (_CHECKOUT / "static" / _MARKER).is_file():
        return checkout
    raise AppNotFoundError(f"the web app's files are missing: neither {_package_dir() / 'static' / _MARKER} "
                           f"nor a checkout's app.py and static/ beside {_CHECKOUT}; reinstall bufferzone")


def missing_modules() -> list[str]:
    """The modules of the ``[app]`` extra that cannot be imported (empty when it is installed)."""
    missing = []
    for name in APP_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a parent missing, or a module set to None in sys.modules
            found = False
        if not found:
            missing.append(name)
    return missing


def streamlit_command(script: Path, *, port: int | None = None, address: str | None = None,
                      headless: bool = False) -> list[str]:
    """The ``streamlit run`` command line for ``script``, with the settings the app needs.

    Parameters
    ----------
    script : pathlib.Path
        From :func:`app_file`.
    port : int, optional
        TCP port to serve on (Streamlit's default, 8501, if not given).
    address : str, optional
        Address to bind (Streamlit's default, every interface, if not given); ``127.0.0.1``
        keeps the app on this machine.
    headless : bool
        Do not open a browser.

    Returns
    -------
    list of str
        The argument vector, starting with this Python interpreter.
    """
    command = [sys.executable, "-m", "streamlit", "run", str(script),
               "--server.enableStaticServing", "true", "--browser.gatherUsageStats", "false",
               "--runner.postScriptGC", "false"]  # as .streamlit/config.toml says why
    if port is not None:
        command += ["--server.port", str(port)]
    if address is not None:
        command += ["--server.address", address]
    if headless:
        command += ["--server.headless", "true"]
    return command


_COMPILED: dict[tuple[str, int], CodeType] = {}


def run_front_end(namespace: dict[str, Any]) -> None:
    """Run the front end in ``namespace``, the globals of the script Streamlit is running.

    A checkout's ``app.py`` calls this on every rerun. The compiled front end is kept while
    its file is unchanged (Streamlit keeps the script it was given compiled the same way):
    compiling it again would cost every rerun about 20 ms.

    Parameters
    ----------
    namespace : dict
        The calling script's ``globals()``.
    """
    path = front_end()
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _COMPILED:
        _COMPILED.clear()
        _COMPILED[key] = compile(path.read_bytes(), str(path), "exec")
    exec(_COMPILED[key], namespace)
