// TypeScript client for `airlock serve`: sandboxes, exec (buffered and streamed), files, snapshots, lifetimes,
// tenant secrets, tenants and keys.
export { AirlockClient, DEFAULT_SERVER, ExecStream, Files, Keys, LogStream, Sandboxes, Snapshots, Tenants, TenantSecrets } from "./client.js";
export type { ClientOptions, CreateTenant, ListSandboxes, SetSecret } from "./client.js";
export {
  AirlockApiError, AirlockConnectionError, AirlockError, AuthenticationError, BadRequestError, ConflictError, NotFoundError,
  PayloadTooLargeError, PermissionDeniedError, RateLimitError, ServiceUnavailableError,
} from "./errors.js";
export type { FieldError, ProblemDetails } from "./errors.js";
export type { BodyInit, Query } from "./http.js";
export type {
  Answer, CreatedKey, CreateSandbox, ErrorEvent, ExecEvent, ExecOptions, ExecResult, ExitEvent, FileInfo, FileList, Key,
  Limits, Network, Sandbox, SandboxPage, Secret, Snapshot, StderrEvent, StdoutEvent, Tenant, Token,
} from "./models.js";
export type { components, operations, paths } from "./schema.js";
export { VERSION } from "./version.js";
