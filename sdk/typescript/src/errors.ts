// Errors the client throws: the server's problem details (RFC 7807) as AirlockApiError, an unreachable server apart.

/** One bad field of a request, with its path as the server names it (`sandbox.limits.cpus`, `query.path`). */
export interface FieldError {
  path: string;
  message: string;
}

/** An `application/problem+json` answer: what was wrong and how to fix it, and every bad field. */
export interface ProblemDetails {
  status: number;
  title: string;
  detail: string;
  type: string;
  instance?: string;
  errors: FieldError[];
  /** Seconds from the `Retry-After` header (a 429, a 503), when the server sent one. */
  retryAfter?: number;
  /** The answer's body as it came (a JSON object, or the text of an answer that was not JSON). */
  raw: unknown;
}

/** Every error this client throws (an AbortSignal's own abort aside). */
export class AirlockError extends Error {
  override name = "AirlockError";
}

/** The server could not be reached, or a connection broke (refused, reset, name not resolved, timed out). */
export class AirlockConnectionError extends AirlockError {
  override name = "AirlockConnectionError";
  constructor(readonly server: string, readonly reason: string, options?: { cause?: unknown }) {
    super(
      `cannot reach the airlock server at ${server}: ${reason}. Start it (airlock serve --listen ...), or point the ` +
        "client at the right address with new AirlockClient({ server }) or AIRLOCK_SERVER.",
      options,
    );
  }
}

/** The server answered with an error status; `problem` holds what it said. */
export class AirlockApiError extends AirlockError {
  override name = "AirlockApiError";
  constructor(readonly problem: ProblemDetails) {
    let text = problem.detail ? `${problem.status} ${problem.title}: ${problem.detail}` : `${problem.status} ${problem.title}`;
    for (const e of problem.errors) text += `\n  ${e.path}: ${e.message}`;
    super(text);
  }
  get status(): number {
    return this.problem.status;
  }
  get title(): string {
    return this.problem.title;
  }
  get detail(): string {
    return this.problem.detail;
  }
  get type(): string {
    return this.problem.type;
  }
  get errors(): FieldError[] {
    return this.problem.errors;
  }
  get retryAfter(): number | undefined {
    return this.problem.retryAfter;
  }
}

/** 400: the request is invalid; `errors` names every bad field. */
export class BadRequestError extends AirlockApiError {
  override name = "BadRequestError";
}
/** 401: no credential, or one the server does not accept (AIRLOCK_TOKEN). */
export class AuthenticationError extends AirlockApiError {
  override name = "AuthenticationError";
}
/** 403: the credential's role or tenant may not do this. */
export class PermissionDeniedError extends AirlockApiError {
  override name = "PermissionDeniedError";
}
/** 404: no such thing in the caller's tenant (or no such path in the sandbox). */
export class NotFoundError extends AirlockApiError {
  override name = "NotFoundError";
}
/** 409: the thing is in a state that forbids it (a paused sandbox's exec, a used snapshot, a taken name). */
export class ConflictError extends AirlockApiError {
  override name = "ConflictError";
}
/** 413: a body over the server's bound (an upload over 1 GiB). */
export class PayloadTooLargeError extends AirlockApiError {
  override name = "PayloadTooLargeError";
}
/** 429: too many requests; `retryAfter` says when to try again. */
export class RateLimitError extends AirlockApiError {
  override name = "RateLimitError";
}
/** 503: the server's engine or database is unreachable; `retryAfter` says when to try again. */
export class ServiceUnavailableError extends AirlockApiError {
  override name = "ServiceUnavailableError";
}

const BY_STATUS: Record<number, new (problem: ProblemDetails) => AirlockApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  429: RateLimitError,
  503: ServiceUnavailableError,
};

/** The most specific error class for the problem's status. */
export function errorFor(problem: ProblemDetails): AirlockApiError {
  const Kind = BY_STATUS[problem.status] ?? AirlockApiError;
  return new Kind(problem);
}

/** The problem details of an error answer's status and body (parsed JSON, or text). */
export function problemFrom(status: number, body: unknown, retryAfter?: number): ProblemDetails {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { status, title: defaultTitle(status), detail: typeof body === "string" ? body : "", type: "about:blank", errors: [], retryAfter, raw: body };
  }
  const b = body as Record<string, unknown>;
  const errors = Array.isArray(b.errors)
    ? b.errors
        .filter((e): e is Record<string, unknown> => e !== null && typeof e === "object")
        .map((e) => ({ path: String(e.path ?? ""), message: String(e.message ?? "") }))
    : [];
  return {
    status: typeof b.status === "number" ? b.status : status,
    title: typeof b.title === "string" && b.title ? b.title : defaultTitle(status),
    detail: typeof b.detail === "string" ? b.detail : "",
    type: typeof b.type === "string" && b.type ? b.type : "about:blank",
    instance: typeof b.instance === "string" ? b.instance : undefined,
    errors,
    retryAfter,
    raw: body,
  };
}

const TITLES: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
  409: "Conflict", 413: "Content Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests",
  500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};

function defaultTitle(status: number): string {
  return TITLES[status] ?? "error";
}
