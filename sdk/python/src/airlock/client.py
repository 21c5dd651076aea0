"""AirlockClient: the entry point, with one namespace per part of the API (sandboxes, files, snapshots, secrets,
tenants, keys)."""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import ssl
import stat
from typing import IO, Any, Iterable, Iterator, Mapping, Sequence, Union

from ._http import Stream, Transport, segment
from .errors import AirlockConnectionError
from .models import (
    CreatedKey,
    ExecEvent,
    ExecResult,
    FileInfo,
    Limits,
    Network,
    Sandbox,
    Secret,
    Snapshot,
    Tenant,
    _compact,
    exec_event,
)

DEFAULT_SERVER = "http://127.0.0.1:8470"
# The server's own default for exec and exec/stream when no timeoutSeconds is given.
_EXEC_DEFAULT_SECONDS = 300
# How much longer than a command's own limit the client waits for the server's answer.
_EXEC_MARGIN_SECONDS = 30


class AirlockClient:
    """A synchronous client of ``airlock serve``.

    ``server`` and ``token`` default to AIRLOCK_SERVER and AIRLOCK_TOKEN. Ordinary calls reuse one kept-alive
    connection; a call from another thread while one runs opens another rather than wait, so the client may be shared
    between threads. Each stream (``exec_stream``, ``follow_logs``) has a connection of its own.
    """

    def __init__(
        self,
        server: str | None = None,
        token: str | None = None,
        *,
        tenant: str | None = None,
        timeout: float = 60.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        server = server or os.environ.get("AIRLOCK_SERVER") or DEFAULT_SERVER
        token = token if token is not None else os.environ.get("AIRLOCK_TOKEN")
        self._http = Transport(server, token, timeout, ssl_context)
        self._tenant = tenant
        self.sandboxes = Sandboxes(self._http)
        self.files = Files(self._http)
        self.snapshots = Snapshots(self._http)
        self.secrets = TenantSecrets(self._http, self._resolve_tenant)
        self.tenants = Tenants(self._http)
        self.keys = Keys(self._http)

    @property
    def server(self) -> str:
        return self._http.server

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "AirlockClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def health(self) -> bool:
        """Whether the server answers /healthz (raises AirlockConnectionError when it cannot be reached)."""
        return (self._http.request("GET", "/healthz") or {}).get("status") == "ok"

    def _resolve_tenant(self, tenant: str | None) -> str:
        if tenant:
            return tenant
        if self._tenant is None:
            tenants = self._http.request("GET", "/v1/tenants") or []
            if len(tenants) != 1:
                raise ValueError("name the tenant (tenant=...): this credential sees more than one tenant")
            self._tenant = tenants[0]["id"]
        return self._tenant


class Sandboxes:
    def __init__(self, http: Transport) -> None:
        self._http = http

    def create(
        self,
        name: str,
        image: str | None = None,
        *,
        command: Sequence[str] | None = None,
        snapshot: str | None = None,
        template: str | None = None,
        env: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
        working_directory: str | None = None,
        limits: Limits | Mapping[str, Any] | None = None,
        network: Network | str | Mapping[str, Any] | None = None,
        allow: Sequence[str] | None = None,
        secrets: Sequence[str] | None = None,
        isolation: str | None = None,
        anti_affinity: bool | None = None,
        timeout_seconds: int | None = None,
        on_timeout: str | None = None,
        idle_timeout_seconds: int | None = None,
    ) -> Sandbox:
        """Create and start a sandbox (``POST /v1/sandboxes``). ``allow`` alone means ``network=allowlist``."""
        if allow is not None and network is not None and not isinstance(network, str):
            raise ValueError("give the destinations either in network (Network(mode, allow)) or as allow=[...], not both")
        if allow is not None and network is None:
            network = Network("allowlist", tuple(allow))
        elif allow is not None and isinstance(network, str):
            network = Network(network, tuple(allow))
        body = _compact({
            "name": name,
            "image": image,
            "snapshot": snapshot,
            "template": template,
            "command": _argv(command) if command is not None else None,
            "env": dict(env) if env is not None else None,
            "labels": dict(labels) if labels is not None else None,
            "workingDirectory": working_directory,
            "limits": limits.to_json() if isinstance(limits, Limits) else (dict(limits) if limits is not None else None),
            "network": _network(network),
            "secrets": list(secrets) if secrets is not None else None,
            "isolation": isolation,
            "antiAffinity": anti_affinity,
            "timeoutSeconds": timeout_seconds,
            "onTimeout": on_timeout,
            "idleTimeoutSeconds": idle_timeout_seconds,
        })
        return Sandbox.from_json(self._http.request("POST", "/v1/sandboxes", body=body))

    def list(self, *, state: str | None = None, labels: Mapping[str, str] | None = None, page_size: int | None = None) -> Iterator[Sandbox]:
        """Every sandbox of the tenant (filtered by state and labels), page by page as the iterator is read."""
        token: str | None = None
        while True:
            page, token = self.list_page(state=state, labels=labels, limit=page_size, page_token=token)
            yield from page
            if not token:
                return

    def list_page(
        self, *, state: str | None = None, labels: Mapping[str, str] | None = None, limit: int | None = None, page_token: str | None = None
    ) -> tuple[list[Sandbox], str | None]:
        """One page (``GET /v1/sandboxes``) and the token of the next one (None on the last)."""
        query: list[tuple[str, Any]] = [("limit", limit), ("pageToken", page_token), ("state", state)]
        query += [("label", f"{k}={v}") for k, v in (labels or {}).items()]
        answer = self._http.request("GET", "/v1/sandboxes", query=query)
        return [Sandbox.from_json(s) for s in answer.get("items") or ()], answer.get("nextPageToken")

    def get(self, sandbox_id: str) -> Sandbox:
        return Sandbox.from_json(self._http.request("GET", f"/v1/sandboxes/{segment(sandbox_id)}"))

    def start(self, sandbox_id: str) -> Sandbox:
        return self._action(sandbox_id, "start")

    def stop(self, sandbox_id: str) -> Sandbox:
        """SIGTERM, then SIGKILL after 10 s; the sandbox keeps its filesystem and quota until deleted."""
        return self._action(sandbox_id, "stop", timeout=60)

    def pause(self, sandbox_id: str) -> Sandbox:
        return self._action(sandbox_id, "pause")

    def resume(self, sandbox_id: str) -> Sandbox:
        return self._action(sandbox_id, "resume")

    def set_timeout(self, sandbox_id: str, timeout_seconds: int) -> Sandbox:
        """The sandbox ends ``timeout_seconds`` from now, as its ``on_timeout`` says (stop when it had no lifetime)."""
        return Sandbox.from_json(self._http.request("POST", f"/v1/sandboxes/{segment(sandbox_id)}/timeout", body={"timeoutSeconds": timeout_seconds}))

    def delete(self, sandbox_id: str) -> None:
        self._http.request("DELETE", f"/v1/sandboxes/{segment(sandbox_id)}", timeout=120)

    def logs(self, sandbox_id: str, *, tail: int | None = None) -> str:
        """The sandbox's output so far, stdout and stderr as they came."""
        return self._http.request("GET", f"/v1/sandboxes/{segment(sandbox_id)}/logs", query={"tail": tail}) or ""

    def follow_logs(self, sandbox_id: str, *, tail: int | None = None, timeout: float | None = None) -> "LogStream":
        """The output as it comes, as text chunks, until the sandbox stops (or the iterator is closed).

        ``timeout`` bounds a silence between two chunks (None: wait as long as it takes)."""
        stream = self._http.stream("GET", f"/v1/sandboxes/{segment(sandbox_id)}/logs", query={"follow": True, "tail": tail}, timeout=timeout)
        return LogStream(stream)

    def exec(
        self,
        sandbox_id: str,
        command: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        working_directory: str | None = None,
        stdin: str | None = None,
        timeout_seconds: int | None = None,
    ) -> ExecResult:
        """Run a command to completion (``POST .../exec``); 1 MiB of each stream is kept (``truncated`` beyond)."""
        body = _exec_body(command, env, working_directory, stdin, timeout_seconds)
        answer = self._http.request("POST", f"/v1/sandboxes/{segment(sandbox_id)}/exec", body=body, timeout=_exec_wait(timeout_seconds))
        return ExecResult.from_json(answer)

    def exec_stream(
        self,
        sandbox_id: str,
        command: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        working_directory: str | None = None,
        stdin: str | None = None,
        timeout_seconds: int | None = None,
    ) -> "ExecStream":
        """Run a command and read its events as they come (``POST .../exec/stream``, NDJSON): StdoutEvent and
        StderrEvent with ``data``, then ExitEvent (``exit_code``, ``timed_out``) or ErrorEvent. Closing the stream
        before the end hangs up, and the server kills the command."""
        body = _exec_body(command, env, working_directory, stdin, timeout_seconds)
        stream = self._http.stream("POST", f"/v1/sandboxes/{segment(sandbox_id)}/exec/stream", body=body, timeout=_exec_wait(timeout_seconds))
        return ExecStream(stream)

    def _action(self, sandbox_id: str, action: str, timeout: float | None = None) -> Sandbox:
        return Sandbox.from_json(self._http.request("POST", f"/v1/sandboxes/{segment(sandbox_id)}/{action}", timeout=timeout))


class ExecStream:
    """An iterator of a streamed command's events, each yielded as soon as its line arrives. A context manager."""

    def __init__(self, stream: Stream) -> None:
        self._stream = stream
        self._lines = stream.lines()
        self._closed = False
        self.result: ExecEvent | None = None
        """The last event (ExitEvent or ErrorEvent) once it has been read."""

    def __iter__(self) -> Iterator[ExecEvent]:
        return self

    def __next__(self) -> ExecEvent:
        try:
            line = next(self._lines)
        except StopIteration:
            if self.result is None and not self._closed:
                self._closed = True
                raise AirlockConnectionError(self._stream._server, "the exec stream ended before the command's exit event") from None
            raise
        try:
            event = exec_event(json.loads(line))
        except ValueError as e:
            self.close()
            raise AirlockConnectionError(self._stream._server, f"the stream sent a line that is not JSON: {line[:200]!r}") from e
        if event.type in ("exit", "error"):
            self.result = event
        return event

    def close(self) -> None:
        """Hangs up; when the command is still running, the server kills it."""
        self._closed = True
        self._lines.close()
        self._stream.close()

    def __enter__(self) -> "ExecStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LogStream:
    """An iterator of a followed log's text chunks as they arrive (UTF-8 decoded across chunk borders)."""

    def __init__(self, stream: Stream) -> None:
        self._stream = stream
        self._chunks = stream.chunks()
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while True:
            try:
                chunk = next(self._chunks)
            except StopIteration:
                rest = self._decoder.decode(b"", final=True)
                if rest:
                    return rest
                raise
            text = self._decoder.decode(chunk)
            if text:
                return text

    def close(self) -> None:
        self._chunks.close()
        self._stream.close()

    def __enter__(self) -> "LogStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Body = Union[bytes, bytearray, memoryview, str, IO[bytes], Iterable[bytes]]
"""An upload's body: bytes (or text, sent as UTF-8), a binary file object read as it is sent, or an iterable of bytes
sent as it is produced (chunked)."""

# How much of a file is read or written at a time when streaming to or from a local path.
_CHUNK = 1024 * 1024


class Files:
    """The files of a running sandbox (a viewer reads, an operator writes). Paths are absolute paths in the sandbox;
    one that is not (a ``..`` part, under /proc) is a BadRequestError naming ``query.path`` and the path, one that does
    not exist a NotFoundError naming both. Transfers have no time bound beyond the client's for each wait on the socket.
    """

    def __init__(self, http: Transport) -> None:
        self._http = http

    def upload(self, sandbox_id: str, path: str, data: Body, *, mode: int | str | None = None) -> FileInfo:
        """Create or replace one file (``PUT .../files``); ``mode`` as 0o600 or "0600" (0644 by default). A file object
        or an iterable is sent as it is read, never held whole."""
        if isinstance(data, str):
            data = data.encode()
        length = _length(data)
        answer = self._http.upload(
            "PUT", f"/v1/sandboxes/{segment(sandbox_id)}/files", query={"path": path, "mode": _mode(mode)},
            body=data, content_type="application/octet-stream", length=length,
        )
        return FileInfo.from_json(answer)

    def upload_file(self, sandbox_id: str, path: str, local_path: str | os.PathLike[str], *, mode: int | str | None = None) -> FileInfo:
        """Upload a local file, streamed from disk with its length (so the server need not spool it first)."""
        with open(local_path, "rb") as f:
            return self.upload(sandbox_id, path, f, mode=mode)

    def download(self, sandbox_id: str, path: str) -> bytes:
        """One file's bytes, read whole (``GET .../files``); a link is followed within the sandbox."""
        with self.open(sandbox_id, path) as stream:
            return stream.read()

    def download_file(self, sandbox_id: str, path: str, local_path: str | os.PathLike[str]) -> int:
        """Write one file of the sandbox to a local path as it arrives; answers the number of bytes written. A
        download that breaks leaves no partial file at ``local_path``."""
        partial = f"{os.fspath(local_path)}.part"
        written = 0
        try:
            with self.open(sandbox_id, path) as stream, open(partial, "wb") as out:
                for chunk in stream:
                    out.write(chunk)
                    written += len(chunk)
            os.replace(partial, local_path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(partial)
            raise
        return written

    def open(self, sandbox_id: str, path: str) -> "ByteStream":
        """One file's bytes as a stream to read (chunks as they arrive, or ``read(n)``); a context manager."""
        return ByteStream(self._http.stream(
            "GET", f"/v1/sandboxes/{segment(sandbox_id)}/files", query={"path": path},
            accept="application/octet-stream, application/problem+json",
        ))

    def list(self, sandbox_id: str, path: str) -> list[FileInfo]:
        """A directory's entries, sorted by name (at most 10 000)."""
        answer = self._http.request("GET", f"/v1/sandboxes/{segment(sandbox_id)}/files/list", query={"path": path})
        return [FileInfo.from_json(e) for e in answer.get("entries") or ()]

    def stat(self, sandbox_id: str, path: str) -> FileInfo:
        """The path itself (a link is ``symlink``, with ``link_target``)."""
        return FileInfo.from_json(self._http.request("GET", f"/v1/sandboxes/{segment(sandbox_id)}/files/stat", query={"path": path}))

    def mkdir(self, sandbox_id: str, path: str, *, parents: bool = False) -> FileInfo:
        """Make a directory; ``parents`` makes missing parents and accepts an existing directory."""
        body = {"path": path, "parents": parents}
        return FileInfo.from_json(self._http.request("POST", f"/v1/sandboxes/{segment(sandbox_id)}/files/mkdir", body=body))

    def move(self, sandbox_id: str, from_path: str, to_path: str) -> FileInfo:
        """Rename ``from_path`` to ``to_path`` (the new path itself: a file there is replaced, an empty directory too)."""
        body = {"from": from_path, "to": to_path}
        return FileInfo.from_json(self._http.request("POST", f"/v1/sandboxes/{segment(sandbox_id)}/files/move", body=body))

    def delete(self, sandbox_id: str, path: str, *, recursive: bool = False) -> None:
        """Remove a file, a link (never what it points to) or an empty directory; ``recursive`` for a full one."""
        query = {"path": path, "recursive": True if recursive else None}
        self._http.request("DELETE", f"/v1/sandboxes/{segment(sandbox_id)}/files", query=query, timeout=120)

    def upload_archive(self, sandbox_id: str, path: str, tar: Body) -> None:
        """Extract an uncompressed tar into an existing directory (``PUT .../files/archive``), sent as it is read."""
        self._http.upload(
            "PUT", f"/v1/sandboxes/{segment(sandbox_id)}/files/archive", query={"path": path},
            body=tar, content_type="application/x-tar", length=_length(tar),
        )

    def download_archive(self, sandbox_id: str, path: str) -> "ByteStream":
        """A directory (or file) as a tar stream, entries named from the path's last part (``work/...``). Read it as
        chunks, or hand it to ``tarfile.open(fileobj=stream, mode="r|")``."""
        return ByteStream(self._http.stream(
            "GET", f"/v1/sandboxes/{segment(sandbox_id)}/files/archive", query={"path": path},
            accept="application/x-tar, application/problem+json",
        ))


class ByteStream:
    """A download as it arrives: iterate it for chunks, or ``read(n)`` it like a binary file. A context manager;
    closing it (or reading it to the end) hangs up."""

    def __init__(self, stream: Stream) -> None:
        self._stream = stream
        self.length: int | None = int(stream.response.getheader("Content-Length") or -1)
        """The whole length when the server sent it (a single file does), else None."""
        if self.length < 0:
            self.length = None
        self.mode: str | None = stream.response.getheader("X-Airlock-File-Mode")
        """A single file's permission bits as octal text."""

    def __iter__(self) -> Iterator[bytes]:
        return self._stream.chunks(_CHUNK)

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> "ByteStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Snapshots:
    def __init__(self, http: Transport) -> None:
        self._http = http

    def create(self, sandbox_id: str, name: str) -> Snapshot:
        """Commit the sandbox's filesystem to an image on its node (``POST /v1/sandboxes/{id}/snapshots``)."""
        return Snapshot.from_json(self._http.request("POST", f"/v1/sandboxes/{segment(sandbox_id)}/snapshots", body={"name": name}, timeout=300))

    def list(self, *, page_size: int | None = None) -> Iterator[Snapshot]:
        token: str | None = None
        while True:
            answer = self._http.request("GET", "/v1/snapshots", query={"limit": page_size, "pageToken": token})
            yield from (Snapshot.from_json(s) for s in answer.get("items") or ())
            token = answer.get("nextPageToken")
            if not token:
                return

    def get(self, snapshot_id: str) -> Snapshot:
        return Snapshot.from_json(self._http.request("GET", f"/v1/snapshots/{segment(snapshot_id)}"))

    def delete(self, snapshot_id: str) -> None:
        """Remove the image and the record; 409 (ConflictError) while a sandbox was made or restored from it."""
        self._http.request("DELETE", f"/v1/snapshots/{segment(snapshot_id)}", timeout=120)

    def restore(self, sandbox_id: str, snapshot_id: str) -> Sandbox:
        """Recreate the sandbox's container from the snapshot, keeping its id (``POST /v1/sandboxes/{id}/restore``)."""
        return Sandbox.from_json(self._http.request("POST", f"/v1/sandboxes/{segment(sandbox_id)}/restore", body={"snapshot": snapshot_id}, timeout=300))


class TenantSecrets:
    """A tenant's secrets (a tenant admin, or the system admin naming the tenant). Values go in, never come back."""

    def __init__(self, http: Transport, resolve_tenant: Any) -> None:
        self._http = http
        self._tenant = resolve_tenant

    def set(
        self, name: str, value: str, hosts: Sequence[str], *, inject: str | None = None, variable: str | None = None, tenant: str | None = None
    ) -> Secret:
        body = _compact({"name": name, "value": value, "hosts": list(hosts), "inject": inject, "variable": variable})
        return Secret.from_json(self._http.request("POST", f"/v1/tenants/{segment(self._tenant(tenant))}/secrets", body=body))

    def list(self, *, tenant: str | None = None) -> list[Secret]:
        return [Secret.from_json(s) for s in self._http.request("GET", f"/v1/tenants/{segment(self._tenant(tenant))}/secrets") or ()]

    def get(self, name: str, *, tenant: str | None = None) -> Secret:
        return Secret.from_json(self._http.request("GET", f"/v1/tenants/{segment(self._tenant(tenant))}/secrets/{segment(name)}"))

    def delete(self, name: str, *, tenant: str | None = None) -> None:
        self._http.request("DELETE", f"/v1/tenants/{segment(self._tenant(tenant))}/secrets/{segment(name)}")


class Tenants:
    """Tenants (creating and deleting them needs a system admin key)."""

    def __init__(self, http: Transport) -> None:
        self._http = http

    def create(
        self,
        tenant_id: str,
        *,
        display_name: str | None = None,
        tier: str | None = None,
        quota: Mapping[str, Any] | None = None,
        images: Sequence[str] | None = None,
        isolation: Mapping[str, Any] | None = None,
        egress: Mapping[str, Any] | None = None,
    ) -> Tenant:
        body = _compact({
            "id": tenant_id, "displayName": display_name, "tier": tier, "quota": quota,
            "images": list(images) if images is not None else None, "isolation": isolation, "egress": egress,
        })
        return Tenant.from_json(self._http.request("POST", "/v1/tenants", body=body))

    def list(self) -> list[Tenant]:
        return [Tenant.from_json(t) for t in self._http.request("GET", "/v1/tenants") or ()]

    def get(self, tenant_id: str) -> Tenant:
        return Tenant.from_json(self._http.request("GET", f"/v1/tenants/{segment(tenant_id)}"))

    def delete(self, tenant_id: str) -> None:
        """409 (ConflictError) while it has sandboxes or snapshots."""
        self._http.request("DELETE", f"/v1/tenants/{segment(tenant_id)}")


class Keys:
    def __init__(self, http: Transport) -> None:
        self._http = http

    def create(self, tenant: str, name: str, role: str) -> CreatedKey:
        """A key of the tenant with role viewer, operator or admin (needs an API key, not a token)."""
        return CreatedKey.from_json(self._http.request("POST", f"/v1/tenants/{segment(tenant)}/keys", body={"name": name, "role": role}))

    def list(self, tenant: str) -> list[Mapping[str, Any]]:
        return list(self._http.request("GET", f"/v1/tenants/{segment(tenant)}/keys") or ())

    def revoke(self, tenant: str, key_id: str) -> None:
        self._http.request("DELETE", f"/v1/tenants/{segment(tenant)}/keys/{segment(key_id)}")

    def token(self, ttl_seconds: int | None = None) -> str:
        """A short-lived JWT standing in for the client's API key (``POST /v1/tokens``)."""
        return self._http.request("POST", "/v1/tokens", body=_compact({"ttlSeconds": ttl_seconds}))["token"]


def _argv(command: Sequence[str]) -> list[str]:
    if isinstance(command, (str, bytes)):
        raise TypeError("command is an argv list, e.g. ['sh', '-c', 'echo hi'], not a string")
    return [str(a) for a in command]


def _network(network: Network | str | Mapping[str, Any] | None) -> Any:
    if network is None:
        return None
    if isinstance(network, Network):
        return network.to_json()
    if isinstance(network, str):
        return {"mode": network}
    return dict(network)


def _exec_body(command, env, working_directory, stdin, timeout_seconds) -> dict[str, Any]:
    return _compact({
        "command": _argv(command),
        "env": dict(env) if env is not None else None,
        "workingDirectory": working_directory,
        "stdin": stdin,
        "timeoutSeconds": timeout_seconds,
    })


def _mode(mode: int | str | None) -> str | None:
    if mode is None or isinstance(mode, str):
        return mode
    return format(mode, "04o")


def _length(body: Any) -> int | None:
    """The length of a body known before it is sent: bytes, or a regular file from where it stands."""
    if isinstance(body, (bytes, bytearray, memoryview)):
        return len(body)
    fileno = getattr(body, "fileno", None)
    if fileno is not None:
        try:
            info = os.fstat(fileno())
            if stat.S_ISREG(info.st_mode):
                return info.st_size - body.tell()
        except (OSError, ValueError, AttributeError):
            return None
    return None


def _exec_wait(timeout_seconds: int | None) -> float:
    return float((timeout_seconds or _EXEC_DEFAULT_SECONDS) + _EXEC_MARGIN_SECONDS)
