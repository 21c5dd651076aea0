// The HTTP transport over the global fetch (or one the caller gives): JSON calls bounded by a timeout, streamed
// answers read as they come, every error answer turned into an AirlockApiError and every failed connection into an
// AirlockConnectionError naming the server.
import { AirlockConnectionError, errorFor, problemFrom } from "./errors.js";
import { VERSION } from "./version.js";

type FetchBody = NonNullable<RequestInit["body"]>;

export type QueryValue = string | number | boolean | null | undefined;
/** Query parameters: an object, or pairs when a name repeats (`label`). */
export type Query = Record<string, QueryValue> | Array<[string, QueryValue]>;

/** What an upload's body may be: bytes, text, a Blob, a web ReadableStream, or any async iterable of bytes (a node
 * `fs.createReadStream(...)`, say). Streams and iterables are sent as they are read, never held whole. */
export type BodyInit = Uint8Array | ArrayBuffer | Blob | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface CallOptions {
  query?: Query;
  /** A JSON body. */
  json?: unknown;
  /** A raw body (with `contentType`). */
  body?: BodyInit;
  contentType?: string;
  accept?: string;
  /** Bounds the whole call (headers and body for JSON answers, headers alone for streams); null: no bound. */
  timeoutMs?: number | null;
  /** The caller's own signal: aborting it ends the call (and a stream, hanging up). */
  signal?: AbortSignal;
}

/** A call's answer and the controller whose abort hangs it up. */
export interface Opened {
  response: Response;
  abort: () => void;
  /** Stops the call's timeout (a stream's reading is bounded by the caller's signal alone). */
  settle: () => void;
  /** Whether the call's own timeout ended it. */
  timedOut: () => boolean;
}

/** A path segment, escaped (ids and names never contain '/', but a caller's typo must not change the route). */
export function segment(value: string): string {
  return encodeURIComponent(String(value));
}

export class Transport {
  readonly server: string;
  constructor(
    server: string,
    private readonly token: string | undefined,
    readonly timeoutMs: number,
    private readonly fetchImpl: typeof fetch,
  ) {
    const withScheme = server.includes("://") ? server : `http://${server}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw new TypeError(`server must be an http:// or https:// URL, not ${JSON.stringify(server)}`);
    }
    if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) {
      throw new TypeError(`server must be an http:// or https:// URL, not ${JSON.stringify(server)}`);
    }
    this.server = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
  }

  url(path: string, query?: Query): string {
    let url = this.server + path;
    if (query) {
      const pairs = Array.isArray(query) ? query : Object.entries(query);
      const params = new URLSearchParams();
      for (const [k, v] of pairs) if (v !== undefined && v !== null) params.append(k, String(v));
      const text = params.toString();
      if (text) url += `?${text}`;
    }
    return url;
  }

  /** Sends a call and returns its answer once the headers are in; an error status is thrown as its problem. */
  async open(method: string, path: string, options: CallOptions = {}): Promise<Opened> {
    const headers: Record<string, string> = {
      Accept: options.accept ?? "application/json, application/problem+json",
      "User-Agent": `airlock-typescript/${VERSION}`,
    };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let body: FetchBody | undefined;
    let streamed = false;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["Content-Type"] = "application/json";
    } else if (options.body !== undefined) {
      [body, streamed] = requestBody(options.body);
      headers["Content-Type"] = options.contentType ?? "application/octet-stream";
    }
    const controller = new AbortController();
    const timeoutMs = options.timeoutMs === undefined ? this.timeoutMs : options.timeoutMs;
    let timedOut = false;
    const timer = timeoutMs === null ? undefined : setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    const settle = () => {
      if (timer !== undefined) clearTimeout(timer);
    };
    const abort = () => {
      settle();
      options.signal?.removeEventListener("abort", onAbort);
      controller.abort();
    };
    let response: Response;
    try {
      const init: RequestInit & { duplex?: "half" } = { method, headers, body, signal: controller.signal };
      if (streamed) init.duplex = "half";
      response = await this.fetchImpl(this.url(path, options.query), init);
    } catch (e) {
      abort();
      throw this.failure(e, timedOut, options.signal);
    }
    if (response.status >= 400) {
      let text = "";
      try {
        text = await response.text();
      } catch (e) {
        abort();
        throw this.failure(e, timedOut, options.signal);
      }
      abort();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: the text is the detail
      }
      const retry = response.headers.get("Retry-After");
      throw errorFor(problemFrom(response.status, parsed, retry && /^\d+$/.test(retry) ? Number(retry) : undefined));
    }
    return { response, abort, settle, timedOut: () => timedOut };
  }

  /** A call whose whole answer is read: the parsed JSON, the text of a text answer, undefined for 204. */
  async request<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const opened = await this.open(method, path, options);
    try {
      const text = await opened.response.text();
      if (opened.response.status === 204 || !text) return undefined as T;
      const type = (opened.response.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
      return (type.endsWith("json") ? JSON.parse(text) : text) as T;
    } catch (e) {
      throw this.failure(e, opened.timedOut(), options.signal);
    } finally {
      opened.abort();
    }
  }

  /** A call whose answer is bytes, read whole. */
  async bytes(method: string, path: string, options: CallOptions = {}): Promise<Uint8Array> {
    const opened = await this.open(method, path, options);
    try {
      return new Uint8Array(await opened.response.arrayBuffer());
    } catch (e) {
      throw this.failure(e, opened.timedOut(), options.signal);
    } finally {
      opened.abort();
    }
  }

  /** What a failed fetch or body read becomes: the caller's own abort as it is, anything else a connection error. */
  failure(e: unknown, timedOut: boolean, signal?: AbortSignal): unknown {
    if (e instanceof AirlockConnectionError) return e;
    if (signal?.aborted) return signal.reason ?? e;
    if (timedOut) return new AirlockConnectionError(this.server, "timed out", { cause: e });
    return new AirlockConnectionError(this.server, reason(e), { cause: e });
  }
}

/** A body's fetch form, and whether it is a stream (which fetch sends only with duplex: "half"). */
function requestBody(body: BodyInit): [FetchBody, boolean] {
  if (typeof body === "string" || body instanceof Uint8Array || body instanceof ArrayBuffer || body instanceof Blob) {
    return [body as FetchBody, false];
  }
  // Streams and iterables are read through a stream of our own: fetch refuses some streams made elsewhere (a node
  // Readable.toWeb(...)) as "disturbed", and an async iterable is no stream at all.
  let iterator: AsyncIterator<Uint8Array | string>;
  if (typeof (body as ReadableStream).getReader === "function") {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    iterator = {
      next: async () => {
        const next = await reader.read();
        return next.done ? { done: true, value: undefined } : { done: false, value: next.value };
      },
      return: async () => {
        await reader.cancel();
        return { done: true, value: undefined };
      },
    };
  } else if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === "function") {
    iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  } else {
    throw new TypeError("a body is bytes, a string, a Blob, a ReadableStream or an async iterable of bytes");
  }
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(typeof next.value === "string" ? new TextEncoder().encode(next.value) : next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return [stream, true];
}

function reason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code;
  if (code === "ECONNREFUSED") return "connection refused (is airlock serve running there?)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `the host name does not resolve (${cause?.message ?? code})`;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return `timed out (${code})`;
  const message = cause?.message ?? (e instanceof Error ? e.message : String(e));
  return code ? `${code}: ${message}` : message;
}
