// Harness: start the built autotask-mcp binary and connect the official MCP TypeScript SDK
// client to it, over stdio or Streamable HTTP. Everything here is transport plumbing; what is
// tested lives in scenarios.js.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';

const schemaValidator = new AjvJsonSchemaValidator();

// One request should never take long against the in-process sandbox; a hang fails fast
// instead of eating the SDK's 60 s default.
export const REQUEST_TIMEOUT_MS = 20_000;

// CALLED_TOOLS is every tool a session of this process called, so the scenarios can require
// that each tool the server lists was exercised.
export const CALLED_TOOLS = new Set();

export function serverBinary() {
  const bin = process.env.AUTOTASK_MCP_BIN;
  if (!bin) {
    throw new Error(
      'AUTOTASK_MCP_BIN is not set: build the server first ' +
        '(go build -o /tmp/autotask-mcp ./cmd/autotask-mcp) and run ' +
        'AUTOTASK_MCP_BIN=/tmp/autotask-mcp node --test, or just run go test ./e2e',
    );
  }
  fs.accessSync(bin, fs.constants.X_OK);
  return bin;
}

// The server sees only the SDK's short list of safe variables (PATH, HOME, ...), the cache
// directory and the race detector's options: a developer's AUTOTASK_* credentials or AUTOTASK_MCP_* settings (read-only, an
// allowlist) must not change what this suite tests.
function serverEnv() {
  const env = getDefaultEnvironment();
  for (const name of ['XDG_CACHE_HOME', 'GORACE']) {
    if (process.env[name]) env[name] = process.env[name];
  }
  return env;
}

// ServerLog keeps what a server wrote on stderr, so a failure can show it, and so the suite can
// insist that the server never panicked or raced while a real client drove it.
export class ServerLog {
  constructor(name) {
    this.name = name;
    this.chunks = [];
    this.live = process.env.E2E_SERVER_LOGS === '1';
  }

  attach(stream) {
    if (!stream) return;
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      this.chunks.push(chunk);
      if (this.live) process.stderr.write(`[${this.name}] ${chunk}`);
    });
  }

  text() {
    return this.chunks.join('');
  }

  // A Go panic, a fatal error or a report from the race detector (when the binary was built
  // with -race) is a server bug even if every response looked fine.
  assertClean() {
    const text = this.text();
    for (const marker of ['WARNING: DATA RACE', 'panic:', 'fatal error:']) {
      assert.ok(!text.includes(marker), `${this.name} server stderr contains "${marker}":\n${tail(text)}`);
    }
  }
}

function tail(text, max = 4000) {
  return text.length > max ? '...' + text.slice(-max) : text;
}

// Session is one MCP client session with helpers that keep every assertion honest:
//  - tools are listed on connect, so the SDK's Client holds a compiled validator for every
//    output schema and its callTool rejects (failing the test) when structuredContent does not
//    match it;
//  - call() checks structuredContent once more with the SDK's public validator, so the check
//    does not rest on the Client's private cache alone, and refuses a tool without outputSchema;
//  - ok()/toolError() tell a tool error (isError) from a protocol error (a rejected promise).
export class Session {
  constructor({ client, transport, log, label }) {
    this.client = client;
    this.transport = transport;
    this.log = log;
    this.label = label;
    this.tools = [];
    this.validators = new Map();
    this.elicitations = [];
    this.elicitAnswer = null;
  }

  async listTools() {
    const tools = [];
    let cursor;
    do {
      const page = await this.client.listTools(cursor ? { cursor } : {}, { timeout: REQUEST_TIMEOUT_MS });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    this.tools = tools;
    this.validators = new Map();
    for (const tool of tools) {
      if (tool.outputSchema) this.validators.set(tool.name, schemaValidator.getValidator(tool.outputSchema));
    }
    return tools;
  }

  toolNames() {
    return this.tools.map((t) => t.name).sort();
  }

  validator(name) {
    const validate = this.validators.get(name);
    assert.equal(typeof validate, 'function', `no output schema for ${name}: was it listed with an outputSchema?`);
    return validate;
  }

  async call(name, args) {
    CALLED_TOOLS.add(name);
    const validate = this.validator(name);
    const result = await this.client.callTool({ name, arguments: args }, undefined, { timeout: REQUEST_TIMEOUT_MS });
    if (result.structuredContent !== undefined) {
      const check = validate(result.structuredContent);
      assert.ok(check.valid, `${name}: structuredContent does not match the output schema: ${check.errorMessage}`);
    }
    return result;
  }

  // ok calls a tool that must succeed and returns its structuredContent.
  async ok(name, args) {
    const result = await this.call(name, args);
    assert.notEqual(result.isError, true, `${name} ${brief(args)} failed: ${resultText(result)}`);
    assert.ok(result.structuredContent, `${name} returned no structuredContent`);
    assert.ok(resultText(result).length > 0, `${name} returned no text content`);
    return result.structuredContent;
  }

  // toolError calls a tool that must fail as a tool (isError: true, a message saying what to
  // change), never as a protocol error; it returns the message.
  async toolError(name, args) {
    let result;
    try {
      result = await this.call(name, args);
    } catch (err) {
      assert.fail(`${name} ${brief(args)}: expected a tool error (isError: true), got a protocol error: ${err.message}`);
    }
    assert.equal(result.isError, true, `${name} ${brief(args)}: expected isError true, got ${brief(result)}`);
    const text = resultText(result);
    assert.ok(text.length > 0, `${name} ${brief(args)}: the tool error has no message`);
    return text;
  }

  async readJSON(uri) {
    const res = await this.client.readResource({ uri }, { timeout: REQUEST_TIMEOUT_MS });
    assert.equal(res.contents.length, 1, `${uri}: expected one content, got ${res.contents.length}`);
    const [content] = res.contents;
    assert.equal(content.uri, uri);
    assert.equal(content.mimeType, 'application/json', `${uri}: mimeType`);
    assert.equal(typeof content.text, 'string', `${uri}: expected text content`);
    return JSON.parse(content.text);
  }

  async close() {
    await this.client.close();
  }
}

export function resultText(result) {
  return (result.content ?? [])
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

export function brief(value, max = 300) {
  const s = JSON.stringify(value, (k, v) => (typeof v === 'string' && v.length > 200 ? `<${v.length} chars>` : v));
  return s && s.length > max ? s.slice(0, max) + '...' : s;
}

// newClient builds an SDK client. With elicitation, the client declares the capability and
// answers every elicitation/create with whatever session.elicitAnswer returns for it (set per
// test), recording each request.
function newClient(session, { elicitation }) {
  const capabilities = elicitation ? { elicitation: {} } : {};
  const client = new Client({ name: 'autotask-mcp-e2e', version: '1.0.0' }, { capabilities });
  if (elicitation) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      session.elicitations.push(request.params);
      if (!session.elicitAnswer) {
        // An elicitation nobody expected: decline, and let the test's assertions notice it.
        return { action: 'decline' };
      }
      return session.elicitAnswer(request.params);
    });
  }
  return client;
}

// acceptElicitation answers a form elicitation with a value for every requested property:
// true for booleans (the confirmation), the default or first choice otherwise.
export function acceptElicitation(params) {
  const content = {};
  const props = params.requestedSchema?.properties ?? {};
  for (const [name, prop] of Object.entries(props)) {
    if (prop.default !== undefined) content[name] = prop.type === 'boolean' ? true : prop.default;
    else if (prop.type === 'boolean') content[name] = true;
    else if (Array.isArray(prop.enum) && prop.enum.length) content[name] = prop.enum[0];
    else if (Array.isArray(prop.oneOf) && prop.oneOf.length) content[name] = prop.oneOf[0].const;
    else if (prop.type === 'number' || prop.type === 'integer') content[name] = prop.minimum ?? 0;
    else content[name] = 'yes';
  }
  return { action: 'accept', content };
}

export function declineElicitation() {
  return { action: 'decline' };
}

async function connect(transport, log, label, opts) {
  const session = new Session({ client: null, transport, log, label });
  session.client = newClient(session, opts);
  await session.client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
  await session.listTools();
  return session;
}

// connectStdio spawns `<binary> --sandbox` through the SDK's StdioClientTransport.
export async function connectStdio({ elicitation = false } = {}) {
  const log = new ServerLog('stdio');
  const transport = new StdioClientTransport({
    command: serverBinary(),
    args: ['--sandbox'],
    env: serverEnv(),
    stderr: 'pipe',
  });
  log.attach(transport.stderr);
  try {
    return await connect(transport, log, 'stdio', { elicitation });
  } catch (err) {
    await transport.close().catch(() => {});
    throw new Error(`connecting over stdio: ${err.message}\nserver stderr:\n${tail(log.text())}`, { cause: err });
  }
}

// HTTPServer is `<binary> --sandbox --transport http --addr 127.0.0.1:<port>`, one process
// shared by every session of the HTTP suite.
export class HTTPServer {
  static async start() {
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    const log = new ServerLog('http');
    const child = spawn(serverBinary(), ['--sandbox', '--transport', 'http', '--addr', addr], {
      env: serverEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    log.attach(child.stdout);
    log.attach(child.stderr);
    const server = new HTTPServer(child, log, `http://${addr}/mcp`, port);
    try {
      await server.waitListening();
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  constructor(child, log, url, port) {
    this.child = child;
    this.log = log;
    this.url = url;
    this.port = port;
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    this.exited = false;
    this.exit.then(() => {
      this.exited = true;
    });
    // If the runner dies first, take the server with it rather than leave it listening.
    this.killOnExit = () => child.kill('SIGKILL');
    process.once('exit', this.killOnExit);
  }

  async waitListening(timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) {
        const { code, signal } = await this.exit;
        throw new Error(`server exited before listening (code ${code}, signal ${signal}):\n${tail(this.log.text())}`);
      }
      if (await canConnect(this.port)) return;
      await sleep(50);
    }
    throw new Error(`server did not listen on port ${this.port} within ${timeoutMs} ms:\n${tail(this.log.text())}`);
  }

  async connect({ elicitation = false } = {}) {
    const transport = new StreamableHTTPClientTransport(new URL(this.url));
    try {
      return await connect(transport, this.log, 'http', { elicitation });
    } catch (err) {
      await transport.close().catch(() => {});
      throw new Error(`connecting to ${this.url}: ${err.message}\nserver output:\n${tail(this.log.text())}`, {
        cause: err,
      });
    }
  }

  // stop sends SIGTERM (the server shuts down gracefully) and waits; after 12 s it kills.
  async stop() {
    process.removeListener('exit', this.killOnExit);
    if (!this.exited) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 12_000);
    const result = await this.exit;
    clearTimeout(timer);
    return result;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
