// Drives `airlock mcp` with the official MCP TypeScript SDK's client, as an agent's MCP client would.
// Usage: node session.mjs AIRLOCK [ARGS...] < calls.json
// stdin: a JSON array of tool calls, [{"tool": "...", "arguments": {...}}]; in arguments, the string "$sandbox" stands
// for the name the last create_sandbox returned. The server gets this process's environment and working directory.
// stdout: one JSON object: {"server": ..., "tools": [{name, description, inputSchema}], "results": [{tool, isError, text, result (the text parsed), structured}]}.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [command, ...args] = process.argv.slice(2);
let input = "";
for await (const chunk of process.stdin) input += chunk;
const calls = JSON.parse(input);

// The SDK passes only a few variables by default; the test's AIRLOCK_HOME and engine must reach airlock.
const transport = new StdioClientTransport({ command, args, env: { ...process.env }, cwd: process.cwd(), stderr: "inherit" });
const client = new Client({ name: "airlock-mcp-test", version: "1.0.0" });
await client.connect(transport);

const listed = await client.listTools();
const results = [];
let sandbox = null;
const substitute = (value) =>
  typeof value === "string" ? (value === "$sandbox" ? sandbox : value)
  : Array.isArray(value) ? value.map(substitute)
  : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]))
  : value;

for (const call of calls) {
  const result = await client.callTool({ name: call.tool, arguments: substitute(call.arguments ?? {}) }, undefined, { timeout: 600_000 });
  const text = (result.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
  // airlock answers with one text block holding the result as JSON.
  const parsed = result.isError ? null : JSON.parse(text);
  if (call.tool === "create_sandbox" && parsed) sandbox = parsed.sandbox;
  results.push({ tool: call.tool, isError: result.isError === true, text, result: parsed, structured: result.structuredContent ?? null });
}

const server = client.getServerVersion();
await client.close();
process.stdout.write(JSON.stringify({ server, tools: listed.tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })), results }));
