// What needs no server: an unreachable one, the environment's defaults, a bad URL.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { it } from "node:test";

import { AirlockClient, AirlockConnectionError } from "../src/index.js";

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
