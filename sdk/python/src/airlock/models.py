"""Typed views of what the server answers, and the parts of a create request. Unknown fields in an answer are kept in
``raw`` and otherwise ignored, so a newer server does not break an older client."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Mapping, Union


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass(frozen=True)
class Limits:
    """What one sandbox may use (reserved from the tenant's quota). Absent fields take the server's defaults."""

    cpus: float | None = None
    memory_bytes: int | None = None
    pids: int | None = None

    def to_json(self) -> dict[str, Any]:
        return _compact({"cpus": self.cpus, "memoryBytes": self.memory_bytes, "pids": self.pids})


@dataclass(frozen=True)
class Network:
    """A sandbox's network: ``none`` (the default), ``open``, or ``allowlist`` with the destinations in ``allow``."""

    mode: Literal["none", "allowlist", "open"] | str = "none"
    allow: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"mode": self.mode, "allow": list(self.allow)} if self.allow else {"mode": self.mode}

    @staticmethod
    def from_json(data: Any) -> "Network":
        if isinstance(data, str):
            return Network(mode="open" if data == "bridge" else data)
        data = data or {}
        return Network(mode=data.get("mode") or "none", allow=tuple(data.get("allow") or ()))


@dataclass(frozen=True)
class Sandbox:
    id: str
    name: str
    tenant: str
    image: str
    state: str
    """creating, running, paused, stopped, exited, restoring, failed or lost."""
    node: str
    isolation: str
    network: Network
    cpus: float
    memory_bytes: int
    labels: Mapping[str, str]
    created_at: datetime | None
    updated_at: datetime | None
    template: str | None = None
    exit_code: int | None = None
    error: str | None = None
    secrets: tuple[str, ...] = ()
    expires_at: datetime | None = None
    on_timeout: str | None = None
    idle_timeout_seconds: int | None = None
    last_active_at: datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> "Sandbox":
        return Sandbox(
            id=d["id"],
            name=d.get("name", ""),
            tenant=d.get("tenant", ""),
            image=d.get("image", ""),
            state=d.get("state", ""),
            node=d.get("node", ""),
            isolation=d.get("isolation", ""),
            network=Network.from_json(d.get("network")),
            cpus=float(d.get("cpus") or 0),
            memory_bytes=int(d.get("memoryBytes") or 0),
            labels=dict(d.get("labels") or {}),
            created_at=_time(d.get("createdAt")),
            updated_at=_time(d.get("updatedAt")),
            template=d.get("template"),
            exit_code=d.get("exitCode"),
            error=d.get("error"),
            secrets=tuple(d.get("secrets") or ()),
            expires_at=_time(d.get("expiresAt")),
            on_timeout=d.get("onTimeout"),
            idle_timeout_seconds=d.get("idleTimeoutSeconds"),
            last_active_at=_time(d.get("lastActiveAt")),
            raw=d,
        )


@dataclass(frozen=True)
class Snapshot:
    id: str
    name: str
    sandbox_id: str
    image: str
    node: str
    state: str
    """creating or ready."""
    created_at: datetime | None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> "Snapshot":
        return Snapshot(
            id=d["id"], name=d.get("name", ""), sandbox_id=d.get("sandboxId", ""), image=d.get("image", ""),
            node=d.get("node", ""), state=d.get("state", ""), created_at=_time(d.get("createdAt")), raw=d,
        )


@dataclass(frozen=True)
class ExecResult:
    """A command run to completion. ``exit_code`` is None when its time limit killed it (``timed_out``)."""

    exit_code: int | None
    stdout: str
    stderr: str
    truncated: bool = False
    """More than the server keeps (1 MiB of each stream) came; the rest was cut."""
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> "ExecResult":
        return ExecResult(
            exit_code=d.get("exitCode"), stdout=d.get("stdout") or "", stderr=d.get("stderr") or "",
            truncated=bool(d.get("truncated")), timed_out=bool(d.get("timedOut")),
        )


@dataclass(frozen=True)
class StdoutEvent:
    data: str
    type: Literal["stdout"] = "stdout"


@dataclass(frozen=True)
class StderrEvent:
    data: str
    type: Literal["stderr"] = "stderr"


@dataclass(frozen=True)
class ExitEvent:
    """The last event of a stream that ran to its end: the exit code, or ``timed_out`` and no code."""

    exit_code: int | None
    timed_out: bool = False
    type: Literal["exit"] = "exit"


@dataclass(frozen=True)
class ErrorEvent:
    """The last event when the server lost the command mid-way (the answer had begun, so no problem status could be)."""

    status: int | None
    title: str | None
    detail: str | None
    type: Literal["error"] = "error"


ExecEvent = Union[StdoutEvent, StderrEvent, ExitEvent, ErrorEvent]


def exec_event(d: Mapping[str, Any]) -> ExecEvent:
    kind = d.get("type")
    if kind == "stdout":
        return StdoutEvent(d.get("data") or "")
    if kind == "stderr":
        return StderrEvent(d.get("data") or "")
    if kind == "exit":
        return ExitEvent(exit_code=d.get("exitCode"), timed_out=bool(d.get("timedOut")))
    if kind == "error":
        return ErrorEvent(status=d.get("status"), title=d.get("title"), detail=d.get("detail"))
    return ErrorEvent(status=None, title="unknown event", detail=f"the server sent an event this client does not know: {dict(d)!r}")


@dataclass(frozen=True)
class Secret:
    """A tenant secret as the server shows it: everything but the value, which no answer holds."""

    name: str
    variable: str
    hosts: tuple[str, ...]
    inject: str
    created_at: datetime | None
    updated_at: datetime | None

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> "Secret":
        return Secret(
            name=d["name"], variable=d.get("variable", ""), hosts=tuple(d.get("hosts") or ()), inject=d.get("inject", ""),
            created_at=_time(d.get("createdAt")), updated_at=_time(d.get("updatedAt")),
        )


@dataclass(frozen=True)
class Tenant:
    id: str
    display_name: str
    tier: str
    quota: Mapping[str, Any]
    usage: Mapping[str, Any]
    created_at: datetime | None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> "Tenant":
        return Tenant(
            id=d["id"], display_name=d.get("displayName", ""), tier=d.get("tier", ""), quota=d.get("quota") or {},
            usage=d.get("usage") or {}, created_at=_time(d.get("createdAt")), raw=d,
        )


@dataclass(frozen=True)
class CreatedKey:
    """A new API key: ``key`` is its secret, shown this once."""

    id: str
    tenant: str | None
    role: str
    name: str
    key: str = field(repr=False)
    created_at: datetime | None = None

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> "CreatedKey":
        return CreatedKey(id=d["id"], tenant=d.get("tenant"), role=d.get("role", ""), name=d.get("name", ""), key=d["key"], created_at=_time(d.get("createdAt")))


@dataclass(frozen=True)
class FileInfo:
    """One path in a sandbox (``files.stat``, an entry of ``files.list``, what an upload, mkdir or move made)."""

    name: str
    path: str
    kind: str
    """file, directory, symlink or other."""
    size: int
    mode: str
    """The permission bits as octal text ("0644")."""
    modified: datetime | None
    link_target: str | None = None
    """A link's own text (``kind == "symlink"``)."""

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> "FileInfo":
        return FileInfo(
            name=d.get("name", ""), path=d.get("path", ""), kind=d.get("kind", ""), size=int(d.get("size") or 0),
            mode=d.get("mode", ""), modified=_time(d.get("modified")), link_target=d.get("linkTarget"),
        )


def _compact(d: Mapping[str, Any]) -> dict[str, Any]:
    """Without the absent fields: the server refuses unknown fields, and null is not 'default' everywhere."""
    return {k: v for k, v in d.items() if v is not None}
