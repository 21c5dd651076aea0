// Typed views of what the server answers and of the requests, from the generated OpenAPI types (src/schema.ts).
// The server's document types every integer as `number | string` (it accepts numbers written as strings); answers
// always carry numbers, so `Answer<T>` narrows those fields to number. Fields a newer server adds come through as they are.
import type { components } from "./schema.js";

type Schemas = components["schemas"];

/** An answer type as the server sends it: numbers as numbers, nested objects and arrays alike. */
export type Answer<T> = number extends T ? Exclude<T, string> : T extends object ? { [K in keyof T]: Answer<T[K]> } : T;

/** A sandbox's network: `none` (the default), `open`, or `allowlist` with the destinations in `allow`. */
export interface Network {
  mode: "none" | "allowlist" | "open" | (string & {});
  allow?: string[];
}

/** A sandbox; `state` is creating, running, paused, stopped, exited, restoring, failed or lost. */
export type Sandbox = Omit<Answer<Schemas["SandboxView"]>, "network"> & { network: Network };
export type SandboxPage = { items: Sandbox[]; nextPageToken: string | null };
/** A snapshot; `state` is creating or ready. */
export type Snapshot = Answer<Schemas["SnapshotView"]>;
/** A command run to completion; `exitCode` is null when its time limit killed it (`timedOut`). */
export type ExecResult = Answer<Schemas["ExecResponse"]>;
/** A tenant secret as the server shows it: everything but the value, which no answer holds. */
export type Secret = Answer<Schemas["SecretView"]>;
export type Tenant = Answer<Schemas["TenantView"]>;
/** A new API key: `key` is its secret, shown this once. */
export type CreatedKey = Answer<Schemas["CreatedKeyView"]>;
export type Key = Answer<Schemas["KeyView"]>;
export type Token = Answer<Schemas["TokenView"]>;
/** One path in a sandbox: `kind` is file, directory, symlink or other; `mode` octal text; `linkTarget` a link's text. */
export type FileInfo = Answer<Schemas["SandboxFileEntry"]>;
export type FileList = Answer<Schemas["SandboxFileList"]>;

/** What one sandbox may use (reserved from the tenant's quota). Absent fields take the server's defaults. */
export interface Limits {
  cpus?: number;
  memoryBytes?: number;
  pids?: number;
}

/** `POST /v1/sandboxes`: `image`, `snapshot` or `template`, and everything else optional. */
export interface CreateSandbox {
  name: string;
  image?: string;
  snapshot?: string;
  template?: string;
  /** An argv list, e.g. ["sleep", "infinity"]. */
  command?: string[];
  env?: Record<string, string>;
  labels?: Record<string, string>;
  workingDirectory?: string;
  limits?: Limits;
  /** A mode ("none", "open", "allowlist") or the whole network; `allow` alone means allowlist. */
  network?: Network | Network["mode"];
  /** Destinations of an allowlist network (`network` may then be left out or be "allowlist"). */
  allow?: string[];
  /** Names of tenant secrets the sandbox's proxy fills in. */
  secrets?: string[];
  isolation?: string;
  antiAffinity?: boolean;
  timeoutSeconds?: number;
  /** What the end of `timeoutSeconds` (or `idleTimeoutSeconds`) does: stop (the default) or delete. */
  onTimeout?: "stop" | "delete" | (string & {});
  idleTimeoutSeconds?: number;
}

/** `POST .../exec` and `.../exec/stream`. */
export interface ExecOptions {
  env?: Record<string, string>;
  workingDirectory?: string;
  stdin?: string;
  /** The command's own time limit (the server's default is 300 s). */
  timeoutSeconds?: number;
  /** Aborting ends the call; for a stream, the server kills the command. */
  signal?: AbortSignal;
}

export interface StdoutEvent {
  type: "stdout";
  data: string;
}
export interface StderrEvent {
  type: "stderr";
  data: string;
}
/** The last event of a stream that ran to its end: the exit code, or `timedOut` and no code. */
export interface ExitEvent {
  type: "exit";
  exitCode: number | null;
  timedOut: boolean;
}
/** The last event when the server lost the command mid-way (the answer had begun, so no error status could be). */
export interface ErrorEvent {
  type: "error";
  status: number | null;
  title: string | null;
  detail: string | null;
}
export type ExecEvent = StdoutEvent | StderrEvent | ExitEvent | ErrorEvent;

/** A stream's event from its NDJSON line (an event type this client does not know becomes an ErrorEvent). */
export function execEvent(d: Answer<Schemas["ExecEvent"]>): ExecEvent {
  switch (d.type) {
    case "stdout":
    case "stderr":
      return { type: d.type, data: d.data ?? "" };
    case "exit":
      return { type: "exit", exitCode: d.exitCode ?? null, timedOut: Boolean(d.timedOut) };
    case "error":
      return { type: "error", status: d.status ?? null, title: d.title ?? null, detail: d.detail ?? null };
    default:
      return { type: "error", status: null, title: "unknown event", detail: `the server sent an event this client does not know: ${JSON.stringify(d)}` };
  }
}

/** The sandbox answer with its network as an object (older servers sent the mode alone, as a string). */
export function sandbox(d: unknown): Sandbox {
  const s = d as Sandbox & { network: unknown };
  const network = s.network;
  if (typeof network === "string") return { ...s, network: { mode: network === "bridge" ? "open" : network } };
  if (network === null || network === undefined) return { ...s, network: { mode: "none" } };
  return s as Sandbox;
}

/** The create body: absent fields left out (the server refuses unknown fields, and null is not 'default' everywhere). */
export function createBody(o: CreateSandbox): Schemas["CreateSandboxRequest"] {
  if (o.allow !== undefined && o.network !== undefined && typeof o.network !== "string") {
    throw new TypeError("give the destinations either in network ({ mode, allow }) or as allow, not both");
  }
  let network: Network | undefined;
  if (o.allow !== undefined) network = { mode: typeof o.network === "string" ? o.network : "allowlist", allow: [...o.allow] };
  else if (typeof o.network === "string") network = { mode: o.network };
  else if (o.network !== undefined) network = o.network;
  if (o.command !== undefined) argv(o.command);
  return compact({
    name: o.name,
    image: o.image,
    snapshot: o.snapshot,
    template: o.template,
    command: o.command,
    env: o.env,
    labels: o.labels,
    workingDirectory: o.workingDirectory,
    limits: o.limits ? compact({ cpus: o.limits.cpus, memoryBytes: o.limits.memoryBytes, pids: o.limits.pids }) : undefined,
    network,
    secrets: o.secrets,
    isolation: o.isolation,
    antiAffinity: o.antiAffinity,
    timeoutSeconds: o.timeoutSeconds,
    onTimeout: o.onTimeout,
    idleTimeoutSeconds: o.idleTimeoutSeconds,
  });
}

export function execBody(command: string[], o: ExecOptions): Schemas["ExecRequest"] {
  return compact({ command: argv(command), env: o.env, workingDirectory: o.workingDirectory, stdin: o.stdin, timeoutSeconds: o.timeoutSeconds });
}

function argv(command: string[]): string[] {
  if (!Array.isArray(command)) throw new TypeError("command is an argv list, e.g. ['sh', '-c', 'echo hi'], not a string");
  return command.map(String);
}

/** Without the undefined fields. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
