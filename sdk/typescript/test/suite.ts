// The SDK against a real `airlock serve` on one engine: one server, tenant and set of keys, every sandbox, snapshot
// and the tenant removed at the end. podman.test.ts and docker.test.ts run it on each engine.
import { spawn } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import {
  AirlockClient, AuthenticationError, BadRequestError, ConflictError, type ExecEvent, NotFoundError, PermissionDeniedError,
  type Sandbox,
} from "../src/index.js";
import { BASE_IMAGE, type Engine, REPO, SDK, ServeProcess, until } from "./serve.js";

const SLEEP = ["sleep", "infinity"];
const LONG = { timeout: 300_000 };

function tag(): string {
  return randomUUID().replace(/-/g, "").slice(0, 8);
}

/** Runs a local command with `input` piped in (or nothing), and answers its exit code and stdout. */
function run(command: string, args: string[], input?: ReadableStream<Uint8Array>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: [input ? "pipe" : "ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c) => (stdout += c));
    child.stderr!.on("data", (c) => (stderr += c));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
    if (input) Readable.fromWeb(input as import("node:stream/web").ReadableStream<Uint8Array>).pipe(child.stdin!);
  });
}

export function engineSuite(engine: Engine): void {
  describe(`${engine}`, { timeout: 1_800_000 }, () => {
    let serve: ServeProcess;
    let admin: AirlockClient;
    let op: AirlockClient;
    let viewer: AirlockClient;
    let tenantAdmin: AirlockClient;
    let opKey: string;
    const tenant = `tssdk-${engine}-${tag()}`;

    before(async () => {
      serve = await ServeProcess.start(engine);
      try {
        admin = new AirlockClient({ server: serve.address, token: serve.bootstrapKey });
        await admin.tenants.create(tenant, { displayName: "typescript sdk tests" });
        opKey = (await admin.keys.create(tenant, "ts-operator", "operator")).key;
        op = new AirlockClient({ server: serve.address, token: opKey });
        viewer = new AirlockClient({ server: serve.address, token: (await admin.keys.create(tenant, "ts-viewer", "viewer")).key });
        tenantAdmin = new AirlockClient({ server: serve.address, token: (await admin.keys.create(tenant, "ts-admin", "admin")).key });
      } catch (e) {
        await serve.stop([tenant]);
        throw e;
      }
    });

    after(async () => {
      try {
        for await (const s of op.sandboxes.list()) await op.sandboxes.delete(s.id);
        for await (const s of op.snapshots.list()) await op.snapshots.delete(s.id);
        await admin.tenants.delete(tenant);
      } finally {
        await serve.stop([tenant]);
      }
    });

    async function create(prefix: string, command = SLEEP, more: Partial<Parameters<AirlockClient["sandboxes"]["create"]>[0]> = {}): Promise<Sandbox> {
      return op.sandboxes.create({ name: `${prefix}-${tag().slice(0, 6)}`, image: BASE_IMAGE, command, ...more });
    }

    // --- create, list, get, delete ----------------------------------------------------------------------------

    it("creates, gets, lists page by page and deletes", LONG, async () => {
      const a = await create("a", SLEEP, { labels: { suite: "ts", which: "a" } });
      const b = await create("b", SLEEP, { labels: { suite: "ts", which: "b" } });
      assert.equal(a.state, "running");
      assert.equal(a.tenant, tenant);
      assert.equal(a.image, BASE_IMAGE);

      const got = await viewer.sandboxes.get(a.id);
      assert.deepEqual([got.id, got.name, got.labels.which], [a.id, a.name, "a"]);

      const oneByOne: string[] = [];
      for await (const s of viewer.sandboxes.list({ labels: { suite: "ts" }, pageSize: 1 })) oneByOne.push(s.id);
      assert.ok(oneByOne.includes(a.id) && oneByOne.includes(b.id), oneByOne.join());
      assert.equal(new Set(oneByOne).size, oneByOne.length, "a page repeated a sandbox");
      const first = await viewer.sandboxes.listPage({ labels: { suite: "ts" }, limit: 1 });
      assert.equal(first.items.length, 1);
      assert.ok(first.nextPageToken);
      const onlyB: string[] = [];
      for await (const s of viewer.sandboxes.list({ labels: { which: "b" } })) onlyB.push(s.id);
      assert.deepEqual(onlyB, [b.id]);
      const running: string[] = [];
      for await (const s of viewer.sandboxes.list({ state: "running" })) running.push(s.id);
      assert.ok(running.includes(a.id));

      await op.sandboxes.delete(a.id);
      await op.sandboxes.delete(b.id);
      await assert.rejects(op.sandboxes.get(a.id), NotFoundError);
    });

    it("sends every create field", LONG, async () => {
      await tenantAdmin.secrets.set("TS_TOKEN", "s3cret-value", ["api.example.com"]);
      const box = await create("full", SLEEP, {
        env: { GREETING: "hello" },
        labels: { team: "red" },
        workingDirectory: "/tmp",
        limits: { cpus: 0.5, memoryBytes: 256 * 1024 * 1024, pids: 512 },
        network: { mode: "allowlist", allow: ["example.com"] },
        secrets: ["TS_TOKEN"],
        isolation: "container",
        timeoutSeconds: 3600,
        onTimeout: "delete",
        idleTimeoutSeconds: 1800,
      });
      assert.equal(box.cpus, 0.5);
      assert.equal(box.memoryBytes, 256 * 1024 * 1024);
      assert.deepEqual(box.network, { mode: "allowlist", allow: ["example.com"] });
      assert.deepEqual(box.secrets, ["TS_TOKEN"]);
      assert.equal(box.isolation, "container");
      assert.equal(box.onTimeout, "delete");
      assert.equal(box.idleTimeoutSeconds, 1800);
      assert.ok(box.expiresAt);
      const result = await op.sandboxes.exec(box.id, ["sh", "-c", 'echo "$GREETING $(pwd)"; test -n "$TS_TOKEN" && test "$TS_TOKEN" != s3cret-value']);
      assert.deepEqual([result.exitCode, result.stdout], [0, "hello /tmp\n"], result.stderr);
      await op.sandboxes.delete(box.id);
      await tenantAdmin.secrets.delete("TS_TOKEN");
    });

    // --- exec ---------------------------------------------------------------------------------------------------

    it("execs buffered, streams apart, with the exit code and stdin", LONG, async () => {
      const box = await create("exec");
      const result = await op.sandboxes.exec(box.id, ["sh", "-c", "echo out; echo err >&2; exit 3"]);
      assert.deepEqual([result.exitCode, result.stdout, result.stderr, result.timedOut], [3, "out\n", "err\n", false]);
      const fed = await op.sandboxes.exec(box.id, ["sh", "-c", 'cat; echo "X=$X"'], { stdin: "from stdin\n", env: { X: "1" } });
      assert.deepEqual([fed.exitCode, fed.stdout], [0, "from stdin\nX=1\n"]);
      await op.sandboxes.delete(box.id);
    });

    it("streams each line while the command runs", LONG, async () => {
      const box = await create("stream");
      const go = `/tmp/go-${tag()}`;
      const command = ["sh", "-c", `echo ready; while [ ! -e ${go} ]; do sleep 0.05; done; echo done; echo warn >&2; exit 7`];
      const stream = await op.sandboxes.execStream(box.id, command, { timeoutSeconds: 120 });
      const first = await stream.next();
      // The command cannot end before the file exists, and the file is made only now: the line came while it ran.
      assert.deepEqual(first, { type: "stdout", data: "ready\n" });
      assert.equal(stream.result, undefined);
      assert.equal((await op.sandboxes.exec(box.id, ["touch", go])).exitCode, 0);
      const rest: ExecEvent[] = [];
      for await (const event of stream) rest.push(event);
      assert.equal(rest.map((e) => (e.type === "stdout" ? e.data : "")).join(""), "done\n");
      assert.equal(rest.map((e) => (e.type === "stderr" ? e.data : "")).join(""), "warn\n");
      assert.deepEqual(rest.at(-1), { type: "exit", exitCode: 7, timedOut: false });
      assert.deepEqual(stream.result, { type: "exit", exitCode: 7, timedOut: false });
      await op.sandboxes.delete(box.id);
    });

    it("ends a stream past its time limit as timed out", LONG, async () => {
      const box = await create("slow");
      const events: ExecEvent[] = [];
      for await (const e of await op.sandboxes.execStream(box.id, ["sh", "-c", "echo started; sleep 600"], { timeoutSeconds: 1 })) events.push(e);
      assert.deepEqual(events[0], { type: "stdout", data: "started\n" });
      assert.deepEqual(events.at(-1), { type: "exit", exitCode: null, timedOut: true });
      const buffered = await op.sandboxes.exec(box.id, ["sleep", "600"], { timeoutSeconds: 1 });
      assert.equal(buffered.timedOut, true);
      assert.equal(buffered.exitCode, null);
      await op.sandboxes.delete(box.id);
    });

    it("kills the command when the stream's signal aborts", LONG, async () => {
      const box = await create("cancel");
      const pidFile = `/tmp/pid-${tag()}`;
      const controller = new AbortController();
      const stream = await op.sandboxes.execStream(box.id, ["sh", "-c", `echo $$ > ${pidFile}; echo ready; exec sleep 600`], { signal: controller.signal });
      const seen: ExecEvent[] = [];
      await assert.rejects(
        (async () => {
          for await (const event of stream) {
            seen.push(event);
            controller.abort();
          }
        })(),
        (e: Error) => e.name === "AbortError",
      );
      assert.deepEqual(seen, [{ type: "stdout", data: "ready\n" }]);
      assert.equal(stream.result, undefined);
      const pid = (await op.sandboxes.exec(box.id, ["cat", pidFile])).stdout.trim();
      assert.match(pid, /^\d+$/);
      // Gone, or a zombie nobody reaps (sleep infinity is the sandbox's first process): either way, killed.
      const gone = (p: string) => `s=$(cut -d' ' -f3 /proc/${p}/stat 2>/dev/null); [ -z "$s" ] || [ "$s" = Z ]`;
      await until("the command's end", async () => (await op.sandboxes.exec(box.id, ["sh", "-c", gone(pid)])).exitCode === 0);

      // Leaving a for await early hangs up the same way.
      const second = await op.sandboxes.execStream(box.id, ["sh", "-c", `echo $$ > ${pidFile}; echo ready; exec sleep 600`]);
      for await (const event of second) {
        assert.deepEqual(event, { type: "stdout", data: "ready\n" });
        break;
      }
      const pid2 = (await op.sandboxes.exec(box.id, ["cat", pidFile])).stdout.trim();
      assert.notEqual(pid2, pid);
      await until("the second command's end", async () => (await op.sandboxes.exec(box.id, ["sh", "-c", gone(pid2)])).exitCode === 0);

      // close() while a read waits: that read ends the stream (no error), and the command is killed.
      const third = await op.sandboxes.execStream(box.id, ["sh", "-c", `echo $$ > ${pidFile}; echo ready; exec sleep 600`]);
      assert.deepEqual(await third.next(), { type: "stdout", data: "ready\n" });
      const waiting = third.next();
      third.close();
      assert.equal(await waiting, undefined);
      const pid3 = (await op.sandboxes.exec(box.id, ["cat", pidFile])).stdout.trim();
      assert.notEqual(pid3, pid2);
      await until("the third command's end", async () => (await op.sandboxes.exec(box.id, ["sh", "-c", gone(pid3)])).exitCode === 0);
      await op.sandboxes.delete(box.id);
    });

    // --- lifetimes ----------------------------------------------------------------------------------------------

    it("refuses exec while paused, until resumed", LONG, async () => {
      const box = await create("pause");
      assert.equal((await op.sandboxes.pause(box.id)).state, "paused");
      const refused = await op.sandboxes.exec(box.id, ["true"]).then(() => undefined, (e: unknown) => e);
      assert.ok(refused instanceof ConflictError, String(refused));
      assert.equal(refused.status, 409);
      assert.equal((await op.sandboxes.resume(box.id)).state, "running");
      assert.equal((await op.sandboxes.exec(box.id, ["echo", "back"])).stdout, "back\n");
      await op.sandboxes.delete(box.id);
    });

    it("moves the end with setTimeout, and the sandbox stops then", LONG, async () => {
      const box = await create("timeout");
      assert.equal(box.expiresAt ?? null, null);
      const later = await op.sandboxes.setTimeout(box.id, 3600);
      assert.ok(later.expiresAt);
      assert.ok(Math.abs(Date.parse(later.expiresAt) - (Date.now() + 3_600_000)) < 60_000, later.expiresAt);
      assert.equal(later.onTimeout, "stop");
      await op.sandboxes.setTimeout(box.id, 1);
      // The lifetime pass's own last write (stopped, with why in error), as the Python suite waits for it.
      const ended = await until("the timeout's stop", async () => {
        const s = await op.sandboxes.get(box.id);
        return s.state === "stopped" && s.error ? s : undefined;
      });
      assert.match(ended.error ?? "", /timeout/);
      assert.equal(ended.expiresAt ?? null, null);
      assert.equal((await op.sandboxes.start(box.id)).state, "running");
      assert.equal((await op.sandboxes.stop(box.id)).state, "stopped");
      await op.sandboxes.delete(box.id);
    });

    // --- snapshots ----------------------------------------------------------------------------------------------

    it("snapshots, restores, and creates from a snapshot", LONG, async () => {
      const box = await create("snap");
      await op.sandboxes.exec(box.id, ["sh", "-c", "echo v1 > /tmp/marker"]);
      const snap = await op.snapshots.create(box.id, `before-${tag().slice(0, 6)}`);
      assert.deepEqual([snap.state, snap.sandboxId], ["ready", box.id]);
      assert.equal((await viewer.snapshots.get(snap.id)).name, snap.name);
      const ids: string[] = [];
      for await (const s of viewer.snapshots.list({ pageSize: 1 })) ids.push(s.id);
      assert.ok(ids.includes(snap.id));

      await op.sandboxes.exec(box.id, ["sh", "-c", "echo v2 > /tmp/marker"]);
      const restored = await op.snapshots.restore(box.id, snap.id);
      assert.equal(restored.id, box.id);
      assert.equal((await op.sandboxes.exec(box.id, ["cat", "/tmp/marker"])).stdout, "v1\n");

      const copy = await op.sandboxes.create({ name: `copy-${tag().slice(0, 6)}`, snapshot: snap.id, command: SLEEP });
      assert.equal((await op.sandboxes.exec(copy.id, ["cat", "/tmp/marker"])).stdout, "v1\n");
      await assert.rejects(op.snapshots.delete(snap.id), ConflictError);
      await op.sandboxes.delete(copy.id);
      await op.sandboxes.delete(box.id);
      await op.snapshots.delete(snap.id);
      await assert.rejects(op.snapshots.get(snap.id), NotFoundError);
    });

    // --- logs ---------------------------------------------------------------------------------------------------

    it("reads logs as text and followed", LONG, async () => {
      const go = `/tmp/go-${tag()}`;
      const box = await create("logs", ["sh", "-c", `echo first; echo oops >&2; while [ ! -e ${go} ]; do sleep 0.05; done; echo second`]);
      const text = await until("the first log lines", async () => {
        const t = await viewer.sandboxes.logs(box.id);
        return t.includes("first") && t.includes("oops") ? t : undefined;
      });
      assert.ok(text.includes("first\n"));
      const follow = await viewer.sandboxes.followLogs(box.id);
      const texts = follow[Symbol.asyncIterator]();
      let seen = "";
      while (!seen.includes("first")) {
        const next = await texts.next();
        assert.ok(!next.done, "the followed log ended before its first line");
        seen += next.value;
      }
      assert.equal((await op.sandboxes.exec(box.id, ["touch", go])).exitCode, 0);
      for await (const chunk of follow) seen += chunk;
      assert.ok(seen.includes("second"), seen);
      assert.equal(await viewer.sandboxes.logs(box.id, { tail: 1 }), "second\n");
      await op.sandboxes.delete(box.id);
    });

    // --- files --------------------------------------------------------------------------------------------------

    it("round-trips a file: upload, stat, list, download, move, delete", LONG, async () => {
      const box = await create("files");
      const dir = `/tmp/work-${tag()}`;
      const made = await op.files.mkdir(box.id, `${dir}/sub`, { parents: true });
      assert.deepEqual([made.kind, made.path], ["directory", `${dir}/sub`]);
      const bytes = new Uint8Array([0, 1, 2, 255, 10, 13, 0x80, 0x7f]);
      const written = await op.files.upload(box.id, `${dir}/sub/data.bin`, bytes, { mode: 0o600 });
      assert.deepEqual([written.kind, written.size, written.mode], ["file", bytes.length, "0600"]);
      assert.deepEqual(await viewer.files.download(box.id, `${dir}/sub/data.bin`), bytes);
      await op.files.upload(box.id, `${dir}/hello.txt`, "héllo\n");
      assert.equal((await op.sandboxes.exec(box.id, ["cat", `${dir}/hello.txt`])).stdout, "héllo\n");

      const stat = await viewer.files.stat(box.id, `${dir}/sub/data.bin`);
      assert.deepEqual([stat.name, stat.kind, stat.size], ["data.bin", "file", 8]);
      const listing = await viewer.files.list(box.id, dir);
      assert.equal(listing.path, dir);
      assert.deepEqual(listing.entries.map((e) => [e.name, e.kind]), [["hello.txt", "file"], ["sub", "directory"]]);

      const moved = await op.files.move(box.id, `${dir}/sub/data.bin`, `${dir}/moved.bin`);
      assert.equal(moved.path, `${dir}/moved.bin`);
      await assert.rejects(viewer.files.stat(box.id, `${dir}/sub/data.bin`), NotFoundError);
      await assert.rejects(op.files.delete(box.id, dir), ConflictError);
      await op.files.delete(box.id, `${dir}/moved.bin`);
      await op.files.delete(box.id, dir, { recursive: true });
      await assert.rejects(viewer.files.list(box.id, dir), NotFoundError);
      await assert.rejects(viewer.files.upload(box.id, "/tmp/nope", "x"), PermissionDeniedError);
      await op.sandboxes.delete(box.id);
    });

    it("streams a 20 MB file in and out without holding it", LONG, async () => {
      const box = await create("bigfile");
      const chunk = 1024 * 1024;
      const upHash = createHash("sha256");
      async function* generated(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < 20; i++) {
          const part = randomBytes(chunk);
          upHash.update(part);
          yield part;
        }
      }
      const written = await op.files.upload(box.id, "/tmp/big.bin", generated());
      assert.equal(written.size, 20 * chunk);
      const inSandbox = (await op.sandboxes.exec(box.id, ["sha256sum", "/tmp/big.bin"])).stdout.split(" ")[0];
      const expected = upHash.digest("hex");
      assert.equal(inSandbox, expected);
      const downHash = createHash("sha256");
      let total = 0;
      for await (const part of await viewer.files.downloadStream(box.id, "/tmp/big.bin")) {
        downHash.update(part);
        total += part.length;
      }
      assert.equal(total, 20 * chunk);
      assert.equal(downHash.digest("hex"), expected);
      await op.sandboxes.delete(box.id);
    });

    it("round-trips a tar archive as streams", LONG, async () => {
      const box = await create("tar");
      const local = mkdtempSync(join(tmpdir(), "tssdk-tar-"));
      try {
        mkdirSync(join(local, "src/nested"), { recursive: true });
        writeFileSync(join(local, "src/a.txt"), "alpha\n");
        writeFileSync(join(local, "src/nested/b.txt"), "beta\n");
        await op.files.mkdir(box.id, "/tmp/in", { parents: true });
        // The tar's output is taken as soon as it starts: node drops what a child wrote to a pipe nobody reads once it exits.
        const tarred = spawn("tar", ["-C", join(local, "src"), "-cf", "-", "."], { stdio: ["ignore", "pipe", "inherit"] });
        await op.files.uploadArchive(box.id, "/tmp/in", Readable.toWeb(tarred.stdout!) as ReadableStream<Uint8Array>);
        assert.equal((await op.sandboxes.exec(box.id, ["cat", "/tmp/in/a.txt", "/tmp/in/nested/b.txt"])).stdout, "alpha\nbeta\n");

        mkdirSync(join(local, "out"));
        const untar = await run("tar", ["-C", join(local, "out"), "-xf", "-"], await viewer.files.downloadArchive(box.id, "/tmp/in"));
        assert.equal(untar.code, 0, untar.stderr);
        assert.equal(readFileSync(join(local, "out/in/a.txt"), "utf8"), "alpha\n");
        assert.equal(readFileSync(join(local, "out/in/nested/b.txt"), "utf8"), "beta\n");

        const evil = spawn("tar", ["-C", join(local, "src"), "-cf", "-", "--transform", "s|^\\./a.txt|../escape.txt|", "./a.txt"], { stdio: ["ignore", "pipe", "inherit"] });
        const refused = await op.files.uploadArchive(box.id, "/tmp/in", Readable.toWeb(evil.stdout!) as ReadableStream<Uint8Array>).then(() => undefined, (e: unknown) => e);
        assert.ok(refused instanceof BadRequestError, String(refused));
        assert.ok(refused.errors.some((e) => /^body\.entries\[\d+\]$/.test(e.path) && e.message.includes("..")), JSON.stringify(refused.problem.raw));
      } finally {
        rmSync(local, { recursive: true, force: true });
      }
      await op.sandboxes.delete(box.id);
    });

    it("refuses a path that climbs out with problem details naming it", LONG, async () => {
      const box = await create("traverse");
      for (const call of [() => viewer.files.download(box.id, "/tmp/../etc/passwd"), () => op.files.upload(box.id, "/tmp/../etc/evil", "x")]) {
        const refused = await call().then(() => undefined, (e: unknown) => e);
        assert.ok(refused instanceof BadRequestError, String(refused));
        assert.equal(refused.status, 400);
        const field = refused.errors.find((e) => e.path === "query.path");
        assert.ok(field, JSON.stringify(refused.problem.raw));
        assert.ok(field.message.includes("/tmp/../etc/"), field.message);
        assert.ok(refused.message.includes("query.path"));
      }
      const missing = await viewer.files.stat(box.id, "/tmp/not-there").then(() => undefined, (e: unknown) => e);
      assert.ok(missing instanceof NotFoundError);
      assert.ok(missing.detail.includes("/tmp/not-there") || missing.errors.some((e) => e.message.includes("/tmp/not-there")), missing.message);
      await op.sandboxes.delete(box.id);
    });

    // --- the documented sessions ----------------------------------------------------------------------------------

    for (const [doc, file] of [["the README", "sdk/typescript/README.md"], ["docs/api.md", "docs/api.md"]] as const) {
      it(`runs ${doc}'s session as written`, LONG, async () => {
        const text = readFileSync(join(REPO, file), "utf8");
        const code = text.split("```ts\n")[1]?.split("```")[0];
        assert.ok(code, `no ts block in ${file}`);
        const script = join(SDK, "build", `session-${tag()}.mjs`);
        writeFileSync(script, code.replaceAll('from "@airlock/sdk"', `from "${join(SDK, "build/src/index.js")}"`).replaceAll('"build-1"', `"doc-${tag().slice(0, 6)}"`));
        try {
          const env = { ...process.env, AIRLOCK_SERVER: serve.address, AIRLOCK_TOKEN: opKey };
          const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
            const child = spawn(process.execPath, [script], { env, stdio: ["ignore", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (c) => (stdout += c));
            child.stderr.on("data", (c) => (stderr += c));
            child.on("error", fail);
            child.on("close", (c) => done({ code: c, stdout, stderr }));
          });
          assert.equal(result.code, 0, result.stderr);
          const expected = readFileSync(join(SDK, "test", file === "docs/api.md" ? "api-session.out" : "readme-session.out"), "utf8");
          assert.equal(result.stdout, expected);
        } finally {
          rmSync(script, { force: true });
        }
      });
    }

    // --- errors -------------------------------------------------------------------------------------------------

    it("answers an invalid create with a 400 naming every bad field", LONG, async () => {
      const bad = await op.sandboxes.create({ name: "Not A Name", image: BASE_IMAGE, command: SLEEP, limits: { cpus: -1 } }).then(() => undefined, (e: unknown) => e);
      assert.ok(bad instanceof BadRequestError, String(bad));
      assert.equal(bad.problem.status, 400);
      const paths = bad.errors.map((e) => e.path);
      assert.ok(paths.includes("sandbox.limits.cpus") && paths.includes("sandbox.name"), paths.join());
      assert.ok(bad.title);
      assert.ok(bad.type);
      assert.ok(bad.message.includes("sandbox.limits.cpus"));
    });

    it("answers a missing sandbox with a 404 and its details", LONG, async () => {
      const missing = await viewer.sandboxes.get("sbnothere000").then(() => undefined, (e: unknown) => e);
      assert.ok(missing instanceof NotFoundError);
      assert.equal(missing.status, 404);
      assert.ok(missing.detail);
      await assert.rejects(op.sandboxes.execStream("sbnothere000", ["true"]), NotFoundError);
    });

    it("lets a viewer read but not create", LONG, async () => {
      const denied = await viewer.sandboxes.create({ name: "nope", image: BASE_IMAGE, command: SLEEP }).then(() => undefined, (e: unknown) => e);
      assert.ok(denied instanceof PermissionDeniedError);
      assert.equal(denied.status, 403);
      assert.ok(denied.title);
      for await (const _ of viewer.sandboxes.list()) break;
    });

    it("answers a wrong token with a 401", LONG, async () => {
      const stranger = new AirlockClient({ server: serve.address, token: "alk_nope_nope" });
      const refused = await stranger.sandboxes.get("sbnothere000").then(() => undefined, (e: unknown) => e);
      assert.ok(refused instanceof AuthenticationError);
      assert.equal(refused.status, 401);
    });

    it("sets, lists and deletes secrets, never reading a value back", LONG, async () => {
      const name = `TS_${tag().slice(0, 6).toUpperCase()}`;
      const created = await tenantAdmin.secrets.set(name, "value-1", ["api.example.com"], { inject: "header:X-Key" });
      assert.deepEqual([created.name, created.variable, created.hosts], [name, name, ["api.example.com"]]);
      assert.ok((await tenantAdmin.secrets.list()).some((s) => s.name === name));
      assert.equal((await admin.secrets.get(name, { tenant })).inject, created.inject);
      assert.ok(!JSON.stringify(await tenantAdmin.secrets.get(name)).includes("value-1"));
      await assert.rejects(op.secrets.list({ tenant }), PermissionDeniedError);
      await tenantAdmin.secrets.delete(name);
      await assert.rejects(tenantAdmin.secrets.get(name), NotFoundError);
    });

    it("lists tenants, lists and revokes keys, and makes a token that works", LONG, async () => {
      assert.equal(await admin.health(), true);
      assert.ok((await admin.tenants.list()).some((t) => t.id === tenant));
      assert.equal((await admin.tenants.get(tenant)).displayName, "typescript sdk tests");
      const created = await admin.keys.create(tenant, `ts-extra-${tag().slice(0, 4)}`, "viewer");
      assert.ok(created.key.startsWith("alk_"));
      assert.ok((await admin.keys.list(tenant)).some((k) => k.id === created.id));
      const token = await op.keys.token(600);
      assert.ok(token.token && token.expiresAt);
      const byToken = new AirlockClient({ server: serve.address, token: token.token });
      for await (const _ of byToken.sandboxes.list()) break;
      assert.equal((await byToken.tenants.get(tenant)).id, tenant);
      await admin.keys.revoke(tenant, created.id);
      const revoked = new AirlockClient({ server: serve.address, token: created.key });
      await assert.rejects(revoked.sandboxes.listPage(), AuthenticationError);
    });
  });
}
