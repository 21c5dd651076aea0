"""Python client for ``airlock serve``: sandboxes, exec (buffered and streamed), snapshots, lifetimes, tenant secrets."""

__version__ = "0.1.0"

from .client import AirlockClient, ExecStream, LogStream  # noqa: E402
from .errors import (  # noqa: E402
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
from .models import (  # noqa: E402
    CreatedKey,
    ErrorEvent,
    ExecEvent,
    ExecResult,
    ExitEvent,
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
    "AirlockClient", "ExecStream", "LogStream",
    "AirlockError", "AirlockApiError", "AirlockConnectionError", "AuthenticationError", "BadRequestError", "ConflictError",
    "FieldError", "NotFoundError", "PermissionDeniedError", "ProblemDetails", "RateLimitError", "ServiceUnavailableError",
    "CreatedKey", "ErrorEvent", "ExecEvent", "ExecResult", "ExitEvent", "Limits", "Network", "Sandbox", "Secret",
    "Snapshot", "StderrEvent", "StdoutEvent", "Tenant",
]
