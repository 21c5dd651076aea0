"""Python client for ``airlock serve``: sandboxes, exec (buffered and streamed), files, snapshots, lifetimes, tenant secrets."""

from ._version import __version__
from .client import AirlockClient, ByteStream, ExecStream, LogStream
from .errors import (
    AirlockApiError,
    AirlockConnectionError,
    AirlockError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    ProblemDetails,
    RateLimitError,
    ServiceUnavailableError,
)
from .models import (
    CreatedKey,
    ErrorEvent,
    ExecEvent,
    ExecResult,
    ExitEvent,
    FileInfo,
    Limits,
    Network,
    Sandbox,
    Secret,
    Snapshot,
    StderrEvent,
    StdoutEvent,
    Tenant,
)

__all__ = [
    "__version__", "AirlockClient", "ByteStream", "ExecStream", "LogStream",
    "AirlockError", "AirlockApiError", "AirlockConnectionError", "AuthenticationError", "BadRequestError", "ConflictError",
    "FieldError", "NotFoundError", "PermissionDeniedError", "ProblemDetails", "RateLimitError", "ServiceUnavailableError",
    "CreatedKey", "ErrorEvent", "ExecEvent", "ExecResult", "ExitEvent", "FileInfo", "Limits", "Network", "Sandbox", "Secret",
    "Snapshot", "StderrEvent", "StdoutEvent", "Tenant",
]
