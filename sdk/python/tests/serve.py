"""The real ``airlock serve`` for the SDK's tests, as tests/Airlock.Server.Tests/Infrastructure/ServeProcess.cs starts
it: its own AIRLOCK_HOME and SQLite file in a temp dir, 127.0.0.1 on a free port (read from its stderr), a bootstrap key
file, one engine. ``stop`` ends it with SIGTERM and removes whatever of the given tenants is left in the engine."""

from __future__ import annotations

import collections
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[3]
ENGINES = {
    "podman": "unix:///run/podman/podman.sock",
    "docker": "unix:///var/run/docker.sock",
}
BASE_IMAGE = "localhost/airlock-base:bookworm"
_LISTENING = re.compile(r"listening on (http://\S+?),")


def binary() -> Path:
    return Path(os.environ.get("AIRLOCK_BINARY") or REPO / "src/Airlock.Cli/bin/Release/net10.0/airlock")


class ServeProcess:
    def __init__(self, engine: str) -> None:
        self.engine = engine
        self.endpoint = ENGINES[engine]
        self.home = Path(tempfile.mkdtemp(prefix="airlock-pysdk-"))
        self._stderr: collections.deque[str] = collections.deque(maxlen=200)
        exe = binary()
        if not exe.exists():
            raise RuntimeError(f"{exe} does not exist: build it (dotnet build Airlock.slnx -c Release)")
        env = {k: v for k, v in os.environ.items() if k not in ("AIRLOCK_DATABASE", "AIRLOCK_ENGINE", "AIRLOCK_SERVER", "AIRLOCK_TOKEN")}
        env.update({"AIRLOCK_HOME": str(self.home), "NO_COLOR": "1"})
        key_file = self.home / "bootstrap-key"
        self.process = subprocess.Popen(
            [str(exe), "serve", "--listen", "http://127.0.0.1:0", "--database", str(self.home / "airlock.db"),
             "--engine", self.endpoint, "--bootstrap-key-file", str(key_file)],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        address = None
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line.rstrip("\n"))
            m = _LISTENING.search(line)
            if m:
                address = m.group(1)
                break
        if address is None:
            self.process.kill()
            self.process.wait()
            shutil.rmtree(self.home, ignore_errors=True)
            raise RuntimeError("airlock serve did not start:\n" + "\n".join(self._stderr))
        # Drained so the server never blocks on a full pipe; the tail is kept for a failing test's message.
        threading.Thread(target=self._drain, daemon=True).start()
        self.address = address.rstrip("/")
        self.bootstrap_key = key_file.read_text().strip()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line.rstrip("\n"))

    def log_tail(self) -> str:
        return "\n".join(self._stderr)

    def stop(self, tenants: list[str]) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        try:
            for tenant in tenants:
                remove_tenant_leftovers(self.endpoint, tenant)
        finally:
            shutil.rmtree(self.home, ignore_errors=True)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=60)
        self._path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


def _engine(endpoint: str, method: str, path: str) -> tuple[int, bytes]:
    conn = _UnixConnection(endpoint.removeprefix("unix://"))
    try:
        conn.request(method, "/v1.41" + path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def remove_tenant_leftovers(endpoint: str, tenant: str) -> list[str]:
    """Removes the tenant's containers and images straight from the engine (what the API's clean-up missed)."""
    filters = quote(json.dumps({"label": [f"io.airlock.tenant={tenant}"]}))
    removed = []
    status, body = _engine(endpoint, "GET", f"/containers/json?all=1&filters={filters}")
    for c in json.loads(body) if status == 200 else []:
        _engine(endpoint, "DELETE", f"/containers/{c['Id']}?force=1&v=1")
        removed.append(c["Id"])
    status, body = _engine(endpoint, "GET", f"/images/json?filters={filters}")
    for i in json.loads(body) if status == 200 else []:
        _engine(endpoint, "DELETE", f"/images/{i['Id']}?force=1")
        removed.append(i["Id"])
    return removed
