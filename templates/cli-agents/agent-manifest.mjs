// Writes what `airlock list agents` shows: every globally installed npm package and Python tool with its version,
// plus Node's. Airlock maps package names to agents, so a package added to the Dockerfile by hand shows up too.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const npm = JSON.parse(execFileSync("npm", ["ls", "-g", "--depth=0", "--json"], { encoding: "utf8" }));
const packages = {};
for (const [name, info] of Object.entries(npm.dependencies ?? {})) {
  if (info.version) packages[name] = info.version;
}

if (existsSync("/opt/aider/bin/python")) {
  const script = "import importlib.metadata as m; print(m.version('aider-chat'))";
  packages["aider-chat"] = execFileSync("/opt/aider/bin/python", ["-c", script], { encoding: "utf8" }).trim();
}

process.stdout.write(JSON.stringify({ schema: 1, node: process.versions.node, packages }, null, 2) + "\n");
