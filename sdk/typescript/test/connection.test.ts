// What needs no real server: an unreachable one, the environment's defaults, a bad URL, and against a local stand-in
// what a real server rarely shows (a 429, an error that is not problem+json, a stream cut short).
import assert from "node:assert/strict";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer } from "node:net";
import { it } from "node:test";

import { AirlockApiError, AirlockClient, AirlockConnectionError, type ExecEvent, RateLimitError } from "../src/index.js";

it("names the server and the fix when it cannot be reached", async () => {
  const port = await new Promise<number>((done) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => done(p));
    });
  });
  const server = `http://127.0.0.1:${port}`;
  const failed = await new AirlockClient({ server, token: "t" }).sandboxes.get("x").then(() => undefined, (e: unknown) => e);
  assert.ok(failed instanceof AirlockConnectionError, String(failed));
  assert.ok(failed.message.includes(server));
  assert.ok(failed.message.includes("AIRLOCK_SERVER"));
  assert.match(failed.reason, /refused/);
});

it("takes the server and token from the environment", async () => {
  const old = { server: process.env.AIRLOCK_SERVER, token: process.env.AIRLOCK_TOKEN };
  process.env.AIRLOCK_SERVER = "http://example.invalid:1234/";
  process.env.AIRLOCK_TOKEN = "tok";
  try {
    let seen: { url: string; auth: string | null } | undefined;
    const client = new AirlockClient({
      fetch: async (url, init) => {
        seen = { url: String(url), auth: new Headers(init?.headers).get("Authorization") };
        return new Response(JSON.stringify({ status: "ok" }), { headers: { "Content-Type": "application/json" } });
      },
    });
    assert.equal(client.server, "http://example.invalid:1234");
    assert.equal(await client.health(), true);
    assert.deepEqual(seen, { url: "http://example.invalid:1234/healthz", auth: "Bearer tok" });
  } finally {
    for (const [k, v] of [["AIRLOCK_SERVER", old.server], ["AIRLOCK_TOKEN", old.token]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

it("refuses a server that is not an http URL", () => {
  assert.throws(() => new AirlockClient({ server: "ftp://x" }), TypeError);
});

it("refuses a command given as one string", async () => {
  const client = new AirlockClient({ server: "http://127.0.0.1:1", fetch: async () => { throw new Error("not called"); } });
  await assert.rejects(client.sandboxes.exec("sb", "echo hi" as unknown as string[]), TypeError);
});

/** A local stand-in answering each request with `answer`; what a real server rarely shows. */
async function standIn(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer(answer);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
  };
}

it("gives a 429's Retry-After and an error that is not problem+json", async () => {
  const stub = await standIn((req, res) => {
    if (req.url?.startsWith("/v1/sandboxes/busy")) {
      res.writeHead(429, { "Content-Type": "application/problem+json", "Retry-After": "7" });
      res.end(JSON.stringify({ type: "about:blank", title: "too many requests", status: 429, detail: "slow down" }));
    } else {
      res.writeHead(502, { "Content-Type": "text/plain" });
      res.end("upstream went away");
    }
  });
  try {
    const client = new AirlockClient({ server: stub.url, token: "t" });
    const limited = await client.sandboxes.get("busy").then(() => undefined, (e: unknown) => e);
    assert.ok(limited instanceof RateLimitError);
    assert.deepEqual([limited.status, limited.retryAfter, limited.detail], [429, 7, "slow down"]);
    const gateway = await client.sandboxes.get("other").then(() => undefined, (e: unknown) => e);
    assert.ok(gateway instanceof AirlockApiError && !(gateway instanceof RateLimitError));
    assert.deepEqual([gateway.status, gateway.title, gateway.detail], [502, "Bad Gateway", "upstream went away"]);
  } finally {
    await stub.close();
  }
});

it("fails a stream cut before its exit event, and shows an event it does not know as an error event", async () => {
  const stub = await standIn((req, res) => {
    res.writeHead(200, { "Content-Type": "application/x-ndjson" });
    if (req.url?.includes("/odd/")) {
      res.end('{"type":"stdout","data":"partial\\n"}\n{"type":"surprise"}\n{"type":"exit","exitCode":0,"timedOut":false}\n');
    } else {
      // The first line is handed to the socket, and then the connection is cut: no exit event ever comes.
      res.write('{"type":"stdout","data":"partial\\n"}\n', () => res.socket?.destroy());
    }
  });
  try {
    const client = new AirlockClient({ server: stub.url, token: "t" });
    const cut = await client.sandboxes.execStream("sbcut", ["true"]);
    assert.deepEqual(await cut.next(), { type: "stdout", data: "partial\n" });
    await assert.rejects(cut.next(), AirlockConnectionError);
    const events: ExecEvent[] = [];
    for await (const e of await client.sandboxes.execStream("odd", ["true"])) events.push(e);
    assert.equal(events[1].type, "error");
    assert.deepEqual(events[2], { type: "exit", exitCode: 0, timedOut: false });
  } finally {
    await stub.close();
  }
});
