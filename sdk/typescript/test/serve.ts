// The real `airlock serve` for the SDK's tests, started as sdk/python/tests/serve.py starts it: its own AIRLOCK_HOME
// and SQLite file in a temp dir, 127.0.0.1 on a free port (read from its stderr), a bootstrap key file, one engine.
// `stop` ends it with SIGTERM and removes whatever of the given tenants is left in the engine.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

// build/test/serve.js -> the repo's root
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
export const SDK = join(REPO, "sdk/typescript");
export const ENGINES = { podman: "unix:///run/podman/podman.sock", docker: "unix:///var/run/docker.sock" } as const;
export type Engine = keyof typeof ENGINES;
export const BASE_IMAGE = "localhost/airlock-base:bookworm";

export function binary(): string {
  return process.env.AIRLOCK_BINARY || join(REPO, "src/Airlock.Cli/bin/Release/net10.0/airlock");
}

export class ServeProcess {
  readonly endpoint: string;
  address = "";
  bootstrapKey = "";
  private readonly home: string;
  private readonly stderr: string[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<unknown> = Promise.resolve();

  private constructor(readonly engine: Engine) {
    this.endpoint = ENGINES[engine];
    this.home = mkdtempSync(join(tmpdir(), "airlock-tssdk-"));
  }

  static async start(engine: Engine): Promise<ServeProcess> {
    const serve = new ServeProcess(engine);
    try {
      await serve.launch();
    } catch (e) {
      await serve.stop([]);
      throw e;
    }
    return serve;
  }

  private async launch(): Promise<void> {
    const exe = binary();
    if (!existsSync(exe)) throw new Error(`${exe} does not exist: build it (dotnet build Airlock.slnx -c Release)`);
    const env: NodeJS.ProcessEnv = { ...process.env, AIRLOCK_HOME: this.home, NO_COLOR: "1" };
    for (const name of ["AIRLOCK_DATABASE", "AIRLOCK_ENGINE", "AIRLOCK_SERVER", "AIRLOCK_TOKEN"]) delete env[name];
    const keyFile = join(this.home, "bootstrap-key");
    const child = spawn(exe, ["serve", "--listen", "http://127.0.0.1:0", "--database", join(this.home, "airlock.db"),
      "--engine", this.endpoint, "--bootstrap-key-file", keyFile], { env, stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    this.exited = new Promise((done) => child.once("exit", done));
    const lines = createInterface({ input: child.stderr! });
    let address: string | undefined;
    const waiting = new Promise<void>((done) => {
      lines.on("line", (line) => {
        this.stderr.push(line);
        if (this.stderr.length > 200) this.stderr.shift();
        const m = /listening on (http:\/\/\S+?),/.exec(line);
        if (m && !address) {
          address = m[1];
          done();
        }
      });
      lines.once("close", done);
    });
    await waiting;
    // The reader stays attached: the server never blocks on a full pipe, and the tail is kept for a failing test.
    if (!address) throw new Error(`airlock serve did not start:\n${this.stderr.join("\n")}`);
    this.address = address.replace(/\/+$/, "");
    this.bootstrapKey = readFileSync(keyFile, "utf8").trim();
  }

  logTail(): string {
    return this.stderr.join("\n");
  }

  async stop(tenants: string[]): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await this.exited;
      clearTimeout(timer);
    }
    try {
      for (const tenant of tenants) await removeTenantLeftovers(this.endpoint, tenant);
    } finally {
      rmSync(this.home, { recursive: true, force: true });
    }
  }
}

/** A call on the engine's own API over its unix socket. */
function engine(endpoint: string, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ socketPath: endpoint.replace(/^unix:\/\//, ""), method, path: `/v1.41${path}`, headers: { Host: "localhost" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => done({ status: res.statusCode ?? 0, body }));
      res.on("error", fail);
    });
    req.on("error", fail);
    req.end();
  });
}

/** Removes the tenant's containers and images straight from the engine (what the API's clean-up missed). */
export async function removeTenantLeftovers(endpoint: string, tenant: string): Promise<string[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`io.airlock.tenant=${tenant}`] }));
  const removed: string[] = [];
  const containers = await engine(endpoint, "GET", `/containers/json?all=1&filters=${filters}`);
  for (const c of containers.status === 200 ? (JSON.parse(containers.body) as { Id: string }[]) : []) {
    await engine(endpoint, "DELETE", `/containers/${c.Id}?force=1&v=1`);
    removed.push(c.Id);
  }
  const images = await engine(endpoint, "GET", `/images/json?filters=${filters}`);
  for (const i of images.status === 200 ? (JSON.parse(images.body) as { Id: string }[]) : []) {
    await engine(endpoint, "DELETE", `/images/${i.Id}?force=1`);
    removed.push(i.Id);
  }
  return removed;
}

/** Polls `condition` until it returns something truthy: a deadline, not a sleep standing in for an event. */
export async function until<T>(what: string, condition: () => Promise<T | undefined | null | false>, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${seconds} s`);
    await new Promise((done) => setTimeout(done, 200));
  }
}
