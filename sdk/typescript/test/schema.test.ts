// The committed src/schema.ts is what `npm run generate` makes of the document the current server serves: a change
// of the server's API that was not regenerated here fails this test (and the SDK's compile may then show what broke).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";

import { SDK, ServeProcess } from "./serve.js";

let serve: ServeProcess;
before(async () => {
  serve = await ServeProcess.start("podman");
});
after(async () => {
  await serve?.stop([]);
});

it("the committed types match the server's OpenAPI document", async () => {
  const response = await fetch(`${serve.address}/openapi/v1.json`);
  assert.equal(response.status, 200);
  const { schemaSource } = (await import(join(SDK, "scripts/schema.mjs"))) as { schemaSource(doc: unknown): Promise<string> };
  const fresh = await schemaSource(await response.json());
  const committed = readFileSync(join(SDK, "src/schema.ts"), "utf8");
  assert.ok(fresh === committed, "src/schema.ts is not what the server serves: run `npm run generate` in sdk/typescript and commit it");
});
