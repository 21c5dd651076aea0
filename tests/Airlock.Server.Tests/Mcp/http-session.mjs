// Drives `airlock serve`'s /mcp with the official MCP TypeScript SDK's client over streamable HTTP, as an agent's MCP
// client would. The SDK is the one installed for the airlock mcp tests (scripts/setup-mcp-client.sh), loaded from SDK_DIR.
// Usage: node http-session.mjs URL SDK_DIR < calls.json   (the key, when there is one, in AIRLOCK_MCP_KEY, sent as
// "Authorization: Bearer KEY"; it is never on the command line)
// stdin: a JSON array of tool calls, [{"tool": "...", "arguments": {...}}]; in arguments, the string "$sandbox" stands
// for the sandbox the last create_sandbox returned.
// stdout: one JSON object: {"server", "tools": [{name, description, inputSchema}], "results": [{tool, isError, text,
// result (the text parsed), protocolError}]}, or {"connectError": "...", "status": N} when the client could not connect.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [url, sdk] = process.argv.slice(2);
const load = (module) => import(pathToFileURL(join(sdk, "dist", "esm", "client", module)).href);
const { Client } = await load("index.js");
const { StreamableHTTPClientTransport } = await load("streamableHttp.js");

let input = "";
for await (const chunk of process.stdin) input += chunk;
const calls = JSON.parse(input);

const key = process.env.AIRLOCK_MCP_KEY;
const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: key ? { Authorization: `Bearer ${key}` } : {} } });
const client = new Client({ name: "airlock-serve-mcp-test", version: "1.0.0" });
try {
  await client.connect(transport);
} catch (error) {
  process.stdout.write(JSON.stringify({ connectError: String(error?.message ?? error), status: error?.code ?? null }));
  process.exit(0);
}

const listed = await client.listTools();
const results = [];
let sandbox = null;
const substitute = (value) =>
  typeof value === "string" ? (value === "$sandbox" ? sandbox : value)
  : Array.isArray(value) ? value.map(substitute)
  : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]))
  : value;

for (const call of calls) {
  try {
    const result = await client.callTool({ name: call.tool, arguments: substitute(call.arguments ?? {}) }, undefined, { timeout: 600_000 });
    const text = (result.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
    const parsed = result.isError ? null : JSON.parse(text);
    if (call.tool === "create_sandbox" && parsed) sandbox = parsed.sandbox;
    results.push({ tool: call.tool, isError: result.isError === true, text, result: parsed, protocolError: null });
  } catch (error) {
    results.push({ tool: call.tool, isError: true, text: null, result: null, protocolError: String(error?.message ?? error) });
  }
}

const server = client.getServerVersion();
await client.close();
process.stdout.write(JSON.stringify({ server, tools: listed.tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })), results }));
