"""Errors the client raises: the server's problem details (RFC 7807) as AirlockApiError, an unreachable server apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class FieldError:
    """One bad field of a request, with its path as the server names it (``sandbox.limits.cpus``)."""

    path: str
    message: str


@dataclass(frozen=True)
class ProblemDetails:
    """An ``application/problem+json`` answer: what was wrong and how to fix it, and every bad field."""

    status: int
    title: str = ""
    detail: str = ""
    type: str = "about:blank"
    instance: str | None = None
    errors: tuple[FieldError, ...] = ()
    retry_after: int | None = None
    """Seconds from the ``Retry-After`` header (a 429, a 503), when the server sent one."""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @staticmethod
    def from_json(status: int, body: Any, retry_after: int | None = None) -> "ProblemDetails":
        if not isinstance(body, dict):
            return ProblemDetails(status=status, title=_default_title(status), detail=str(body or ""), retry_after=retry_after)
        errors = tuple(
            FieldError(path=str(e.get("path", "")), message=str(e.get("message", "")))
            for e in body.get("errors") or ()
            if isinstance(e, dict)
        )
        return ProblemDetails(
            status=int(body.get("status") or status),
            title=str(body.get("title") or _default_title(status)),
            detail=str(body.get("detail") or ""),
            type=str(body.get("type") or "about:blank"),
            instance=body.get("instance"),
            errors=errors,
            retry_after=retry_after,
            raw=body,
        )


class AirlockError(Exception):
    """Every error this client raises."""


class AirlockConnectionError(AirlockError):
    """The server could not be reached (refused, reset, name not resolved, timed out)."""

    def __init__(self, server: str, reason: str) -> None:
        self.server = server
        self.reason = reason
        super().__init__(
            f"cannot reach the airlock server at {server}: {reason}. "
            "Start it (airlock serve --listen ...), or point the client at the right address "
            "with AirlockClient(server=...) or AIRLOCK_SERVER."
        )


class AirlockApiError(AirlockError):
    """The server answered with an error status; ``problem`` holds what it said."""

    def __init__(self, problem: ProblemDetails) -> None:
        self.problem = problem
        text = f"{problem.status} {problem.title}: {problem.detail}" if problem.detail else f"{problem.status} {problem.title}"
        if problem.errors:
            text += "".join(f"\n  {e.path}: {e.message}" for e in problem.errors)
        super().__init__(text)

    @property
    def status(self) -> int:
        return self.problem.status

    @property
    def title(self) -> str:
        return self.problem.title

    @property
    def detail(self) -> str:
        return self.problem.detail

    @property
    def errors(self) -> tuple[FieldError, ...]:
        return self.problem.errors

    @property
    def retry_after(self) -> int | None:
        return self.problem.retry_after


class BadRequestError(AirlockApiError):
    """400: the request is invalid; ``errors`` names every bad field."""


class AuthenticationError(AirlockApiError):
    """401: no credential, or one the server does not accept (AIRLOCK_TOKEN)."""


class PermissionDeniedError(AirlockApiError):
    """403: the credential's role or tenant may not do this."""


class NotFoundError(AirlockApiError):
    """404: no such thing in the caller's tenant."""


class ConflictError(AirlockApiError):
    """409: the thing is in a state that forbids it (a stopped sandbox's exec, a used snapshot, a taken name)."""


class RateLimitError(AirlockApiError):
    """429: too many requests; ``retry_after`` says when to try again."""


class ServiceUnavailableError(AirlockApiError):
    """503: the server's engine or database is unreachable; ``retry_after`` says when to try again."""


_BY_STATUS: dict[int, type[AirlockApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}


def error_for(problem: ProblemDetails) -> AirlockApiError:
    """The most specific error class for the problem's status."""
    return _BY_STATUS.get(problem.status, AirlockApiError)(problem)


def _default_title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"
