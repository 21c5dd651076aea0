// `npm pack` makes a usable package: the compiled JS and its declarations, the README, and nothing of the tests.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { it } from "node:test";

import { SDK } from "./serve.js";

it("npm pack holds the compiled package and its types", () => {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: SDK, encoding: "utf8" });
  const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
  for (const wanted of ["package.json", "README.md", "dist/index.js", "dist/index.d.ts", "dist/client.js", "dist/schema.d.ts"]) {
    assert.ok(files.includes(wanted), `${wanted} is not in the package: ${files.join(", ")}`);
  }
  assert.ok(!files.some((f) => f.startsWith("test/") || f.startsWith("build/") || f.startsWith("src/")), files.join(", "));
});
