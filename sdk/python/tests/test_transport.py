"""The transport against a small local HTTP server standing in for the edge cases a real one rarely shows: a kept-alive
connection closed while idle, a 429 with Retry-After, an error answer that is not JSON, a stream cut before its end."""

from __future__ import annotations

import json
import sys
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from airlock import AirlockApiError, AirlockClient, AirlockConnectionError, RateLimitError  # noqa: E402


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    connections: list[int] = []

    def log_message(self, *args) -> None:
        pass

    def _answer(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        _Handler.connections.append(id(self.connection))
        if self.path.startswith("/v1/sandboxes/idle-close"):
            # Answers as if it keeps the connection, then closes it: the next call on it finds it gone.
            self._answer(200, json.dumps(_sandbox("idle-close")).encode(), "application/json")
            self.close_connection = True
        elif self.path.startswith("/v1/sandboxes/busy"):
            problem = {"type": "about:blank", "title": "too many requests", "status": 429, "detail": "slow down"}
            self._answer(429, json.dumps(problem).encode(), "application/problem+json", {"Retry-After": "7"})
        elif self.path.startswith("/v1/sandboxes/proxy"):
            self._answer(502, b"<html>bad gateway</html>", "text/html")
        else:
            self._answer(200, json.dumps(_sandbox(self.path.rsplit("/", 1)[-1], future_field=True)).encode(), "application/json")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        # A stream whose server goes away after one line: chunked, no exit event, no final chunk.
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        line = b'{"type":"stdout","data":"one\\n"}\n'
        self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
        self.wfile.write(b"0\r\n\r\n")
        self.close_connection = True


def _sandbox(sandbox_id: str, future_field: bool = False) -> dict:
    d = {
        "id": sandbox_id, "name": "n", "tenant": "t", "image": "i", "isolation": "container", "network": {"mode": "none", "allow": []},
        "state": "running", "node": "local", "cpus": 1.0, "memoryBytes": 1, "labels": {}, "createdAt": "2026-12-03T22:20:55.1234567+00:00",
        "updatedAt": "2026-12-03T22:20:55Z",
    }
    if future_field:
        d["somethingNew"] = {"x": 1}
    return d


class TransportTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.address = f"http://127.0.0.1:{cls.server.server_address[1]}"

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.shutdown()
        cls.server.server_close()

    def test_a_connection_closed_while_idle_is_opened_again(self):
        with AirlockClient(self.address, "t") as client:
            self.assertEqual(client.sandboxes.get("idle-close").id, "idle-close")
            self.assertEqual(client.sandboxes.get("after").id, "after")

    def test_unknown_fields_are_kept_in_raw_not_refused(self):
        with AirlockClient(self.address, "t") as client:
            box = client.sandboxes.get("newer")
        self.assertEqual(box.raw["somethingNew"], {"x": 1})
        self.assertEqual(box.created_at.microsecond, 123456)

    def test_429_carries_retry_after(self):
        with AirlockClient(self.address, "t") as client:
            with self.assertRaises(RateLimitError) as limited:
                client.sandboxes.get("busy")
        self.assertEqual((limited.exception.status, limited.exception.retry_after, limited.exception.detail), (429, 7, "slow down"))

    def test_an_error_that_is_not_problem_json_is_still_an_api_error(self):
        with AirlockClient(self.address, "t") as client:
            with self.assertRaises(AirlockApiError) as failed:
                client.sandboxes.get("proxy")
        self.assertEqual(failed.exception.status, 502)
        self.assertIn("bad gateway", failed.exception.detail)

    def test_a_stream_that_ends_without_its_exit_event_is_an_error(self):
        with AirlockClient(self.address, "t") as client:
            stream = client.sandboxes.exec_stream("x", ["true"])
            self.assertEqual(next(stream).data, "one\n")
            with self.assertRaises(AirlockConnectionError):
                next(stream)


if __name__ == "__main__":
    unittest.main()
