"""The HTTP transport: one kept-alive connection for ordinary calls, a connection of its own for each stream."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
from typing import Any, Iterable, Iterator, Mapping
from urllib.parse import quote, urlencode, urlsplit

from ._version import __version__
from .errors import AirlockConnectionError, ProblemDetails, error_for

Query = Mapping[str, Any] | Iterable[tuple[str, Any]] | None

# Errors of a kept-alive connection the server closed while it sat idle: the request never reached it, so it is sent
# again once on a fresh connection.
_MAX_IDLE = 4
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


def segment(value: str) -> str:
    """A path segment, escaped (ids and names never contain '/', but a caller's typo must not change the route)."""
    return quote(str(value), safe="")


class Transport:
    def __init__(self, server: str, token: str | None, timeout: float, ssl_context: ssl.SSLContext | None = None) -> None:
        parts = urlsplit(server if "://" in server else "http://" + server)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"server must be an http:// or https:// URL, not {server!r}")
        self.server = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
        self._scheme = parts.scheme
        self._host = parts.hostname
        self._port = parts.port
        self._base_path = parts.path.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._ssl = ssl_context
        # Kept-alive connections not in use. One caller at a time uses (and keeps reusing) one; callers on other
        # threads open more instead of waiting, and at most _MAX_IDLE are kept afterwards.
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    # --- connections -------------------------------------------------------------------------------------------

    def _connect(self, timeout: float | None) -> http.client.HTTPConnection:
        if self._scheme == "https":
            return http.client.HTTPSConnection(self._host, self._port, timeout=timeout, context=self._ssl)
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout)

    def _acquire(self) -> tuple[http.client.HTTPConnection, bool]:
        """A kept-alive connection and True, or a new one and False."""
        with self._lock:
            if self._idle:
                return self._idle.pop(), True
        return self._connect(self._timeout), False

    def _release(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            if len(self._idle) < _MAX_IDLE:
                self._idle.append(conn)
                return
        conn.close()

    def _drop_idle(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def close(self) -> None:
        self._drop_idle()

    def _headers(self, body: Any, accept: str, content_type: str = "application/json") -> dict[str, str]:
        headers = {"Accept": accept, "User-Agent": f"airlock-python/{__version__}"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if body is not None:
            headers["Content-Type"] = content_type
        return headers

    def _url(self, path: str, query: Query) -> str:
        url = self._base_path + path
        if query:
            items = query.items() if isinstance(query, Mapping) else query
            pairs = [(k, _text(v)) for k, v in items if v is not None]
            if pairs:
                url += "?" + urlencode(pairs)
        return url

    # --- calls -------------------------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, query: Query = None, body: Any = None, timeout: float | None = None) -> Any:
        """A call on a kept-alive connection: the decoded JSON answer (None for 204), or the text of a text answer."""
        data = None if body is None else json.dumps(body).encode()
        headers = self._headers(data, "application/json, application/problem+json, text/plain")
        url = self._url(path, query)
        for attempt in (0, 1):
            conn, reused = self._acquire()
            try:
                if conn.sock is None:
                    conn.connect()
                conn.sock.settimeout(timeout or self._timeout)
                conn.request(method, url, body=data, headers=headers)
                response = conn.getresponse()
            except _STALE as e:
                conn.close()
                if reused and attempt == 0:
                    # The server closed it while it sat idle, and likely the others of the same age too.
                    self._drop_idle()
                    continue
                raise AirlockConnectionError(self.server, _reason(e)) from e
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                raise AirlockConnectionError(self.server, _reason(e)) from e
            try:
                payload = response.read()
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                raise AirlockConnectionError(self.server, _reason(e)) from e
            if response.will_close:
                conn.close()
            else:
                self._release(conn)
            return _decode(response, payload)
        raise AssertionError("unreachable")

    def upload(
        self, method: str, path: str, *, query: Query = None, body: Any, content_type: str, length: int | None = None, timeout: float | None = None
    ) -> Any:
        """A raw body (bytes, a binary file object, or an iterable of bytes) sent on a connection of its own, as it is
        read: with ``Content-Length`` when the length is known, chunked otherwise. The decoded answer, as ``request``.

        A connection of its own because such a body cannot be sent again on a fresh one if a kept-alive connection
        turns out stale. ``timeout`` bounds each wait on the socket (None: the client's timeout)."""
        headers = self._headers(body, "application/json, application/problem+json", content_type)
        if isinstance(body, (bytes, bytearray, memoryview)):
            length = len(body)
        if length is not None:
            headers["Content-Length"] = str(length)
        conn = self._connect(timeout or self._timeout)
        try:
            try:
                conn.request(method, self._url(path, query), body=body, headers=headers)
            except (BrokenPipeError, ConnectionResetError) as e:
                # The server may answer (a refused path, a body over its bound) and close before reading the whole
                # body: its answer, when there is one, says why better than the broken pipe.
                try:
                    response = conn.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException):
                    raise AirlockConnectionError(self.server, _reason(e)) from e
                return _decode(response, payload)
            response = conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as e:
            raise AirlockConnectionError(self.server, _reason(e)) from e
        finally:
            conn.close()
        return _decode(response, payload)

    def stream(
        self, method: str, path: str, *, query: Query = None, body: Any = None, timeout: Any = ...,
        accept: str = "application/x-ndjson, text/plain, application/problem+json",
    ) -> "Stream":
        """A call on a connection of its own whose answer is read as it comes; raises the problem when it is one.

        ``timeout`` bounds each wait for data (None: no bound; left out: the client's timeout)."""
        data = None if body is None else json.dumps(body).encode()
        headers = self._headers(data, accept)
        conn = self._connect(self._timeout if timeout is ... else timeout)
        try:
            conn.request(method, self._url(path, query), body=data, headers=headers)
            response = conn.getresponse()
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            raise AirlockConnectionError(self.server, _reason(e)) from e
        if response.status >= 400:
            try:
                payload = response.read()
            finally:
                conn.close()
            _decode(response, payload)  # raises
        return Stream(self.server, conn, response)


class Stream:
    """A streamed answer: lines or chunks read from the socket as they arrive. Close it (or exhaust it) to hang up."""

    def __init__(self, server: str, conn: http.client.HTTPConnection, response: http.client.HTTPResponse) -> None:
        self._server = server
        self._conn = conn
        self.response = response

    def lines(self) -> Iterator[bytes]:
        try:
            while True:
                try:
                    line = self.response.readline()
                except (OSError, http.client.HTTPException) as e:
                    raise AirlockConnectionError(self._server, "the stream broke: " + _reason(e)) from e
                if not line:
                    return
                if line.strip():
                    yield line
        finally:
            self.close()

    def chunks(self, size: int = 65536) -> Iterator[bytes]:
        try:
            while True:
                try:
                    chunk = self.response.read1(size)
                except (OSError, http.client.HTTPException) as e:
                    raise AirlockConnectionError(self._server, "the stream broke: " + _reason(e)) from e
                if not chunk:
                    return
                yield chunk
        finally:
            self.close()

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all that is left with -1); b"" at the end. Makes a stream a binary file to read."""
        try:
            return self.response.read() if size is None or size < 0 else self.response.read(size)
        except (OSError, http.client.HTTPException) as e:
            raise AirlockConnectionError(self._server, "the stream broke: " + _reason(e)) from e

    def close(self) -> None:
        self._conn.close()


def _decode(response: http.client.HTTPResponse, payload: bytes) -> Any:
    content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    if response.status >= 400:
        try:
            body: Any = json.loads(payload) if payload else None
        except ValueError:
            body = payload.decode("utf-8", "replace")
        retry = response.getheader("Retry-After")
        raise error_for(ProblemDetails.from_json(response.status, body, int(retry) if retry and retry.isdigit() else None))
    if response.status == 204 or not payload:
        return None
    if content_type.endswith("json"):
        return json.loads(payload)
    return payload.decode("utf-8", "replace")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _reason(e: BaseException) -> str:
    if isinstance(e, ConnectionRefusedError):
        return "connection refused (is airlock serve running there?)"
    if isinstance(e, socket.gaierror):
        return f"the host name does not resolve ({e})"
    if isinstance(e, (TimeoutError, socket.timeout)):
        return "timed out"
    return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
