"""`borderless serve --workers N`: several processes answer on one port, from one node."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _healthy(port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                return bool(answer.status == 200)
        except (URLError, ConnectionError):
            time.sleep(0.3)
    return False


def test_serve_with_two_workers(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "BORDERLESS_DATA_DIR": str(tmp_path), "BORDERLESS_LOG_JSON": "false"}
    env.pop("BORDERLESS_DATABASE_URL", None)
    borderless = str(Path(sys.executable).with_name("borderless"))
    server = subprocess.Popen(
        [borderless, "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _healthy(port, time.monotonic() + 60), "the server never answered"
        # uvicorn's supervisor starts the workers as its children (and may add a helper)
        assert len(_children(server.pid)) >= 2
        assert (tmp_path / "borderless.db").exists()  # migrated once, by the parent
        # a worker reads that database: an unknown token is refused (401), not an error (500)
        asked = Request(f"http://127.0.0.1:{port}/notifications?purpose=identify")
        asked.add_header("Authorization", "Bearer bl_unknown_token")
        with pytest.raises(HTTPError) as refused:
            urlopen(asked, timeout=10)  # noqa: S310 (an http URL built here)
        refused.value.close()
        assert refused.value.code == 401
    finally:
        server.terminate()
        assert server.wait(timeout=30) is not None
