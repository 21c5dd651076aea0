// npm run generate: src/schema.ts from the OpenAPI document of a real airlock serve.
// With AIRLOCK_SERVER set, that server's document; otherwise a throwaway server of AIRLOCK_BINARY (or the repo's
// Release build) is started on a free port with its own AIRLOCK_HOME, asked, and stopped.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { schemaSource } from "./schema.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const target = join(here, "../src/schema.ts");

async function documentFrom(server) {
  const response = await fetch(new URL("/openapi/v1.json", server));
  if (!response.ok) throw new Error(`GET ${server}/openapi/v1.json answered ${response.status}`);
  return response.json();
}

async function withThrowawayServer(use) {
  const binary = process.env.AIRLOCK_BINARY || join(repo, "src/Airlock.Cli/bin/Release/net10.0/airlock");
  const home = mkdtempSync(join(tmpdir(), "airlock-tsgen-"));
  const env = { ...process.env, AIRLOCK_HOME: home, NO_COLOR: "1" };
  for (const name of ["AIRLOCK_DATABASE", "AIRLOCK_ENGINE", "AIRLOCK_SERVER", "AIRLOCK_TOKEN"]) delete env[name];
  const child = spawn(binary, ["serve", "--listen", "http://127.0.0.1:0", "--database", join(home, "airlock.db"),
    "--engine", "unix:///run/podman/podman.sock", "--bootstrap-key-file", join(home, "bootstrap-key")],
    { env, stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise((done) => child.once("exit", done));
  try {
    const seen = [];
    let address;
    for await (const line of createInterface({ input: child.stderr })) {
      seen.push(line);
      const m = /listening on (http:\/\/\S+?),/.exec(line);
      if (m) { address = m[1]; break; }
    }
    if (!address) throw new Error(`airlock serve (${binary}) did not start:\n${seen.join("\n")}`);
    child.stderr.resume();
    return await use(address);
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(home, { recursive: true, force: true });
  }
}

const document = process.env.AIRLOCK_SERVER
  ? await documentFrom(process.env.AIRLOCK_SERVER)
  : await withThrowawayServer(documentFrom);
writeFileSync(target, await schemaSource(document));
console.log(`wrote ${target} from OpenAPI ${document.openapi}, ${Object.keys(document.paths ?? {}).length} paths`);
