// AirlockClient: the entry point, with one namespace per part of the API (sandboxes, files, snapshots, secrets,
// tenants, keys), over the global fetch.
import { AirlockConnectionError } from "./errors.js";
import { type BodyInit, type Opened, type Query, segment, Transport } from "./http.js";
import {
  type CreatedKey,
  type CreateSandbox,
  createBody,
  compact,
  type ErrorEvent,
  type ExecEvent,
  type ExecOptions,
  type ExecResult,
  type ExitEvent,
  execBody,
  execEvent,
  type FileInfo,
  type FileList,
  type Key,
  type Sandbox,
  sandbox,
  type SandboxPage,
  type Secret,
  type Snapshot,
  type Tenant,
  type Token,
} from "./models.js";

export const DEFAULT_SERVER = "http://127.0.0.1:8470";
// The server's own default for exec and exec/stream when no timeoutSeconds is given.
const EXEC_DEFAULT_SECONDS = 300;
// How much longer than a command's own limit the client waits for the server's answer.
const EXEC_MARGIN_SECONDS = 30;

export interface ClientOptions {
  /** The server's URL; AIRLOCK_SERVER by default, else http://127.0.0.1:8470. */
  server?: string;
  /** An API key (alk_...) or a token; AIRLOCK_TOKEN by default. */
  token?: string;
  /** The tenant `secrets` works on; found from the credential when it sees one tenant. */
  tenant?: string;
  /** The bound of an ordinary call, in milliseconds (60 000 by default). */
  timeoutMs?: number;
  /** A fetch of your own (undici's with its own Agent, a proxy's); the global fetch by default. */
  fetch?: typeof fetch;
}

/** A client of `airlock serve`. Calls share fetch's kept-alive connections; each stream has one of its own. */
export class AirlockClient {
  readonly sandboxes: Sandboxes;
  readonly files: Files;
  readonly snapshots: Snapshots;
  readonly secrets: TenantSecrets;
  readonly tenants: Tenants;
  readonly keys: Keys;
  private readonly http: Transport;
  private tenant: string | undefined;

  constructor(options: ClientOptions = {}) {
    const env = typeof process !== "undefined" ? process.env : {};
    const server = options.server || env.AIRLOCK_SERVER || DEFAULT_SERVER;
    const token = options.token !== undefined ? options.token : env.AIRLOCK_TOKEN;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") throw new TypeError("no global fetch here (node 18 or later has one): pass options.fetch");
    this.http = new Transport(server, token || undefined, options.timeoutMs ?? 60_000, fetchImpl);
    this.tenant = options.tenant;
    this.sandboxes = new Sandboxes(this.http);
    this.files = new Files(this.http);
    this.snapshots = new Snapshots(this.http);
    this.secrets = new TenantSecrets(this.http, (t) => this.resolveTenant(t));
    this.tenants = new Tenants(this.http);
    this.keys = new Keys(this.http);
  }

  /** The server's URL as the client uses it (no trailing slash). */
  get server(): string {
    return this.http.server;
  }

  /** Whether the server answers /healthz (throws AirlockConnectionError when it cannot be reached). */
  async health(): Promise<boolean> {
    const answer = await this.http.request<{ status?: string } | undefined>("GET", "/healthz");
    return answer?.status === "ok";
  }

  private async resolveTenant(tenant?: string): Promise<string> {
    if (tenant) return tenant;
    if (this.tenant === undefined) {
      const tenants = (await this.http.request<Tenant[]>("GET", "/v1/tenants")) ?? [];
      if (tenants.length !== 1) throw new TypeError("name the tenant ({ tenant }): this credential sees more than one tenant");
      this.tenant = tenants[0].id;
    }
    return this.tenant;
  }
}

export interface ListSandboxes {
  /** Only sandboxes in this state. */
  state?: string;
  /** Only sandboxes with every one of these labels. */
  labels?: Record<string, string>;
}

export class Sandboxes {
  constructor(private readonly http: Transport) {}

  /** Create and start a sandbox (`POST /v1/sandboxes`). */
  async create(options: CreateSandbox): Promise<Sandbox> {
    return sandbox(await this.http.request("POST", "/v1/sandboxes", { json: createBody(options) }));
  }

  /** Every sandbox of the tenant (filtered by state and labels), page by page as the iterator is read. */
  async *list(options: ListSandboxes & { pageSize?: number } = {}): AsyncGenerator<Sandbox, void, undefined> {
    let pageToken: string | undefined;
    do {
      const page = await this.listPage({ ...options, limit: options.pageSize, pageToken });
      yield* page.items;
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  }

  /** One page (`GET /v1/sandboxes`) and the token of the next one (null on the last). */
  async listPage(options: ListSandboxes & { limit?: number; pageToken?: string } = {}): Promise<SandboxPage> {
    const query: Query = [["limit", options.limit], ["pageToken", options.pageToken], ["state", options.state]];
    for (const [k, v] of Object.entries(options.labels ?? {})) query.push(["label", `${k}=${v}`]);
    const answer = await this.http.request<{ items?: unknown[]; nextPageToken?: string | null }>("GET", "/v1/sandboxes", { query });
    return { items: (answer.items ?? []).map(sandbox), nextPageToken: answer.nextPageToken ?? null };
  }

  async get(id: string): Promise<Sandbox> {
    return sandbox(await this.http.request("GET", `/v1/sandboxes/${segment(id)}`));
  }

  async start(id: string): Promise<Sandbox> {
    return this.action(id, "start");
  }

  /** SIGTERM, then SIGKILL after 10 s; the sandbox keeps its filesystem and quota until deleted. */
  async stop(id: string): Promise<Sandbox> {
    return this.action(id, "stop", 60_000);
  }

  /** Freezes every process (state `paused`); exec and files are refused until `resume`. */
  async pause(id: string): Promise<Sandbox> {
    return this.action(id, "pause");
  }

  async resume(id: string): Promise<Sandbox> {
    return this.action(id, "resume");
  }

  /** The sandbox ends `timeoutSeconds` from now, as its `onTimeout` says (stop when it had no lifetime). */
  async setTimeout(id: string, timeoutSeconds: number): Promise<Sandbox> {
    return sandbox(await this.http.request("POST", `/v1/sandboxes/${segment(id)}/timeout`, { json: { timeoutSeconds } }));
  }

  async delete(id: string): Promise<void> {
    await this.http.request("DELETE", `/v1/sandboxes/${segment(id)}`, { timeoutMs: 120_000 });
  }

  /** The sandbox's output so far, stdout and stderr as they came (`tail`: the last lines only). */
  async logs(id: string, options: { tail?: number } = {}): Promise<string> {
    return (await this.http.request<string | undefined>("GET", `/v1/sandboxes/${segment(id)}/logs`, { query: { tail: options.tail }, accept: "text/plain, application/problem+json" })) ?? "";
  }

  /** The output as it comes, as text chunks, until the sandbox stops (or the stream is closed or `signal` aborts). */
  async followLogs(id: string, options: { tail?: number; signal?: AbortSignal } = {}): Promise<LogStream> {
    const opened = await this.http.open("GET", `/v1/sandboxes/${segment(id)}/logs`, {
      query: { follow: true, tail: options.tail }, accept: "text/plain, application/problem+json", signal: options.signal,
    });
    opened.settle();
    return new LogStream(this.http, opened, options.signal);
  }

  /** Run a command to completion (`POST .../exec`); 1 MiB of each stream is kept (`truncated` beyond). */
  async exec(id: string, command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const answer = await this.http.request<ExecResult>("POST", `/v1/sandboxes/${segment(id)}/exec`, {
      json: execBody(command, options), timeoutMs: execWait(options.timeoutSeconds), signal: options.signal,
    });
    // The server leaves out a null exitCode (a command its time limit killed).
    return { ...answer, exitCode: answer.exitCode ?? null, timedOut: Boolean(answer.timedOut), truncated: Boolean(answer.truncated) };
  }

  /** Run a command and read its events as they come (`POST .../exec/stream`, NDJSON): stdout and stderr events with
   * `data`, then an exit event (`exitCode`, `timedOut`) or an error event. Closing the stream, leaving a `for await`
   * early, or aborting `signal` hangs up, and the server kills the command. */
  async execStream(id: string, command: string[], options: ExecOptions = {}): Promise<ExecStream> {
    const opened = await this.http.open("POST", `/v1/sandboxes/${segment(id)}/exec/stream`, {
      json: execBody(command, options), timeoutMs: execWait(options.timeoutSeconds),
      accept: "application/x-ndjson, application/problem+json", signal: options.signal,
    });
    opened.settle();
    return new ExecStream(this.http, opened, options.signal);
  }

  private async action(id: string, action: string, timeoutMs?: number): Promise<Sandbox> {
    return sandbox(await this.http.request("POST", `/v1/sandboxes/${segment(id)}/${action}`, { timeoutMs }));
  }
}

/** Chunks of a streamed answer as they arrive, then the end; a failed read is a connection error. */
async function* chunks(http: Transport, opened: Opened, signal?: AbortSignal): AsyncGenerator<Uint8Array, void, undefined> {
  const body = opened.response.body;
  if (!body) return;
  const reader = body.getReader();
  try {
    while (true) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (e) {
        const failure = http.failure(e, false, signal);
        if (failure instanceof AirlockConnectionError) throw new AirlockConnectionError(http.server, `the stream broke: ${failure.reason}`, { cause: e });
        throw failure;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    reader.releaseLock();
    opened.abort();
  }
}

/** A streamed command's events, each yielded as soon as its line arrives; `for await` it once. */
export class ExecStream implements AsyncIterable<ExecEvent> {
  /** The last event (exit or error) once it has been read. */
  result: ExitEvent | ErrorEvent | undefined;
  private closed = false;
  private readonly events: AsyncGenerator<ExecEvent, void, undefined>;

  constructor(private readonly http: Transport, private readonly opened: Opened, signal?: AbortSignal) {
    this.events = this.read(signal);
  }

  private async *read(signal?: AbortSignal): AsyncGenerator<ExecEvent, void, undefined> {
    const decoder = new TextDecoder();
    let buffered = "";
    const event = (line: string): ExecEvent => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (e) {
        throw new AirlockConnectionError(this.http.server, `the stream sent a line that is not JSON: ${JSON.stringify(line.slice(0, 200))}`, { cause: e });
      }
      const ev = execEvent(parsed as Parameters<typeof execEvent>[0]);
      if (ev.type === "exit" || ev.type === "error") this.result = ev;
      return ev;
    };
    try {
      try {
        for await (const chunk of chunks(this.http, this.opened, signal)) {
          buffered += decoder.decode(chunk, { stream: true });
          let newline: number;
          while ((newline = buffered.indexOf("\n")) >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            if (line) yield event(line);
          }
        }
      } catch (e) {
        // close() while a read waited: the stream ends there, as asked (an abort of the caller's signal still throws).
        if (this.closed && !signal?.aborted) return;
        throw e;
      }
      const rest = (buffered + decoder.decode()).trim();
      if (rest) yield event(rest);
      if (this.result === undefined && !this.closed) {
        throw new AirlockConnectionError(this.http.server, "the exec stream ended before the command's exit event");
      }
    } finally {
      this.close();
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<ExecEvent, void, undefined> {
    return this.events;
  }

  /** The next event, or undefined after the last. */
  async next(): Promise<ExecEvent | undefined> {
    const next = await this.events.next();
    return next.done ? undefined : next.value;
  }

  /** Hangs up; when the command is still running, the server kills it. */
  close(): void {
    this.closed = true;
    this.opened.abort();
  }
}

/** A followed log's text chunks as they arrive (UTF-8 decoded across chunk borders); `for await` it once. */
export class LogStream implements AsyncIterable<string> {
  private closed = false;
  private readonly texts: AsyncGenerator<string, void, undefined>;

  constructor(private readonly http: Transport, private readonly opened: Opened, signal?: AbortSignal) {
    this.texts = this.read(signal);
  }

  private async *read(signal?: AbortSignal): AsyncGenerator<string, void, undefined> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of chunks(this.http, this.opened, signal)) {
        const text = decoder.decode(chunk, { stream: true });
        if (text) yield text;
      }
    } catch (e) {
      if (this.closed && !signal?.aborted) return;
      throw e;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }

  [Symbol.asyncIterator](): AsyncGenerator<string, void, undefined> {
    return this.texts;
  }

  /** Hangs up; a read waiting meanwhile ends the iteration. */
  close(): void {
    this.closed = true;
    this.opened.abort();
  }
}

/** The files of a running sandbox (a viewer reads, an operator writes). Paths are absolute paths in the sandbox. */
export class Files {
  constructor(private readonly http: Transport) {}

  /** Create or replace one file (`PUT .../files`) from bytes, text, a Blob or a stream; `mode` octal ("0600").
   * A stream is sent as it is read (the server spools a body of unknown length to a temporary file first). */
  async upload(id: string, path: string, data: BodyInit, options: { mode?: string | number; signal?: AbortSignal; timeoutMs?: number | null } = {}): Promise<FileInfo> {
    const mode = typeof options.mode === "number" ? options.mode.toString(8).padStart(4, "0") : options.mode;
    return this.http.request<FileInfo>("PUT", `/v1/sandboxes/${segment(id)}/files`, {
      query: { path, mode }, body: data, contentType: "application/octet-stream", signal: options.signal, timeoutMs: transferTimeout(options),
    });
  }

  /** One file's bytes, read whole (`GET .../files`); a link is followed within the sandbox. */
  async download(id: string, path: string, options: { signal?: AbortSignal; timeoutMs?: number | null } = {}): Promise<Uint8Array> {
    return this.http.bytes("GET", `/v1/sandboxes/${segment(id)}/files`, {
      query: { path }, accept: "application/octet-stream, application/problem+json", signal: options.signal, timeoutMs: transferTimeout(options),
    });
  }

  /** One file's bytes as a web ReadableStream, read from the socket as they come (for files too big to hold). */
  async downloadStream(id: string, path: string, options: { signal?: AbortSignal } = {}): Promise<ReadableStream<Uint8Array>> {
    return this.stream(`/v1/sandboxes/${segment(id)}/files`, path, "application/octet-stream", options.signal);
  }

  /** A directory's entries, sorted by name (at most 10 000). */
  async list(id: string, path: string): Promise<FileList> {
    return this.http.request<FileList>("GET", `/v1/sandboxes/${segment(id)}/files/list`, { query: { path } });
  }

  /** The path itself (a link is `symlink`, with `linkTarget`). */
  async stat(id: string, path: string): Promise<FileInfo> {
    return this.http.request<FileInfo>("GET", `/v1/sandboxes/${segment(id)}/files/stat`, { query: { path } });
  }

  /** Make a directory; `parents` makes missing parents and accepts an existing directory. */
  async mkdir(id: string, path: string, options: { parents?: boolean } = {}): Promise<FileInfo> {
    return this.http.request<FileInfo>("POST", `/v1/sandboxes/${segment(id)}/files/mkdir`, { json: { path, parents: options.parents ?? false } });
  }

  /** Rename `from` to `to` (the new path itself: a file there is replaced, an empty directory too). */
  async move(id: string, from: string, to: string): Promise<FileInfo> {
    return this.http.request<FileInfo>("POST", `/v1/sandboxes/${segment(id)}/files/move`, { json: { from, to } });
  }

  /** Remove a file, a link (never what it points to) or an empty directory; `recursive` for a full one. */
  async delete(id: string, path: string, options: { recursive?: boolean } = {}): Promise<void> {
    await this.http.request("DELETE", `/v1/sandboxes/${segment(id)}/files`, { query: { path, recursive: options.recursive || undefined } });
  }

  /** Extract an uncompressed tar into an existing directory (`PUT .../files/archive`), sent as it is read. */
  async uploadArchive(id: string, path: string, tar: BodyInit, options: { signal?: AbortSignal; timeoutMs?: number | null } = {}): Promise<void> {
    await this.http.request("PUT", `/v1/sandboxes/${segment(id)}/files/archive`, {
      query: { path }, body: tar, contentType: "application/x-tar", signal: options.signal, timeoutMs: transferTimeout(options),
    });
  }

  /** A directory (or file) as a tar stream, entries named from the path's last part (`work/...`). */
  async downloadArchive(id: string, path: string, options: { signal?: AbortSignal } = {}): Promise<ReadableStream<Uint8Array>> {
    return this.stream(`/v1/sandboxes/${segment(id)}/files/archive`, path, "application/x-tar", options.signal);
  }

  private async stream(route: string, path: string, accept: string, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const opened = await this.http.open("GET", route, { query: { path }, accept: `${accept}, application/problem+json`, signal });
    opened.settle();
    const source = chunks(this.http, opened, signal);
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await source.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await source.return(undefined);
      },
    });
  }
}

export class Snapshots {
  constructor(private readonly http: Transport) {}

  /** Commit the sandbox's filesystem to an image on its node (`POST /v1/sandboxes/{id}/snapshots`). */
  async create(sandboxId: string, name: string): Promise<Snapshot> {
    return this.http.request<Snapshot>("POST", `/v1/sandboxes/${segment(sandboxId)}/snapshots`, { json: { name }, timeoutMs: 300_000 });
  }

  /** Every snapshot of the tenant, page by page as the iterator is read. */
  async *list(options: { pageSize?: number } = {}): AsyncGenerator<Snapshot, void, undefined> {
    let pageToken: string | undefined;
    do {
      const answer = await this.http.request<{ items?: Snapshot[]; nextPageToken?: string | null }>("GET", "/v1/snapshots", { query: { limit: options.pageSize, pageToken } });
      yield* answer.items ?? [];
      pageToken = answer.nextPageToken ?? undefined;
    } while (pageToken);
  }

  async get(snapshotId: string): Promise<Snapshot> {
    return this.http.request<Snapshot>("GET", `/v1/snapshots/${segment(snapshotId)}`);
  }

  /** Remove the image and the record; 409 (ConflictError) while a sandbox was made or restored from it. */
  async delete(snapshotId: string): Promise<void> {
    await this.http.request("DELETE", `/v1/snapshots/${segment(snapshotId)}`, { timeoutMs: 120_000 });
  }

  /** Recreate the sandbox's container from the snapshot, keeping its id (`POST /v1/sandboxes/{id}/restore`). */
  async restore(sandboxId: string, snapshotId: string): Promise<Sandbox> {
    return sandbox(await this.http.request("POST", `/v1/sandboxes/${segment(sandboxId)}/restore`, { json: { snapshot: snapshotId }, timeoutMs: 300_000 }));
  }
}

export interface SetSecret {
  /** Where the proxy fills it in: an environment placeholder (the default) or `header:Name`. */
  inject?: string;
  /** The variable the sandbox sees (the name by default). */
  variable?: string;
  tenant?: string;
}

/** A tenant's secrets (a tenant admin, or the system admin naming the tenant). Values go in, never come back. */
export class TenantSecrets {
  constructor(private readonly http: Transport, private readonly tenant: (t?: string) => Promise<string>) {}

  async set(name: string, value: string, hosts: string[], options: SetSecret = {}): Promise<Secret> {
    const tenant = await this.tenant(options.tenant);
    return this.http.request<Secret>("POST", `/v1/tenants/${segment(tenant)}/secrets`, {
      json: compact({ name, value, hosts, inject: options.inject, variable: options.variable }),
    });
  }

  async list(options: { tenant?: string } = {}): Promise<Secret[]> {
    return (await this.http.request<Secret[]>("GET", `/v1/tenants/${segment(await this.tenant(options.tenant))}/secrets`)) ?? [];
  }

  async get(name: string, options: { tenant?: string } = {}): Promise<Secret> {
    return this.http.request<Secret>("GET", `/v1/tenants/${segment(await this.tenant(options.tenant))}/secrets/${segment(name)}`);
  }

  async delete(name: string, options: { tenant?: string } = {}): Promise<void> {
    await this.http.request("DELETE", `/v1/tenants/${segment(await this.tenant(options.tenant))}/secrets/${segment(name)}`);
  }
}

export interface CreateTenant {
  displayName?: string;
  tier?: string;
  quota?: { maxSandboxes?: number; maxCpus?: number; maxMemoryBytes?: number; tier?: string };
  images?: string[];
  isolation?: { default?: string; allowed?: string[] };
  egress?: { allow?: string[]; open?: boolean };
}

/** Tenants (creating and deleting them needs a system admin key). */
export class Tenants {
  constructor(private readonly http: Transport) {}

  async create(id: string, options: CreateTenant = {}): Promise<Tenant> {
    return this.http.request<Tenant>("POST", "/v1/tenants", { json: compact({ id, ...options }) });
  }

  async list(): Promise<Tenant[]> {
    return (await this.http.request<Tenant[]>("GET", "/v1/tenants")) ?? [];
  }

  async get(id: string): Promise<Tenant> {
    return this.http.request<Tenant>("GET", `/v1/tenants/${segment(id)}`);
  }

  /** 409 (ConflictError) while it has sandboxes or snapshots. */
  async delete(id: string): Promise<void> {
    await this.http.request("DELETE", `/v1/tenants/${segment(id)}`);
  }
}

export class Keys {
  constructor(private readonly http: Transport) {}

  /** A key of the tenant with role viewer, operator or admin (needs an API key, not a token). */
  async create(tenant: string, name: string, role: "viewer" | "operator" | "admin"): Promise<CreatedKey> {
    return this.http.request<CreatedKey>("POST", `/v1/tenants/${segment(tenant)}/keys`, { json: { name, role } });
  }

  async list(tenant: string): Promise<Key[]> {
    return (await this.http.request<Key[]>("GET", `/v1/tenants/${segment(tenant)}/keys`)) ?? [];
  }

  async revoke(tenant: string, keyId: string): Promise<void> {
    await this.http.request("DELETE", `/v1/tenants/${segment(tenant)}/keys/${segment(keyId)}`);
  }

  /** A short-lived JWT standing in for the client's API key (`POST /v1/tokens`). */
  async token(ttlSeconds?: number): Promise<Token> {
    return this.http.request<Token>("POST", "/v1/tokens", { json: compact({ ttlSeconds }) });
  }
}

function execWait(timeoutSeconds?: number): number {
  return ((timeoutSeconds || EXEC_DEFAULT_SECONDS) + EXEC_MARGIN_SECONDS) * 1000;
}

/** A transfer is bounded only when the caller says so: a large file takes what it takes. */
function transferTimeout(options: { timeoutMs?: number | null }): number | null {
  return options.timeoutMs === undefined ? null : options.timeoutMs;
}
