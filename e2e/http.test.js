// The MCP TypeScript SDK client over Streamable HTTP: one server process
// (`<binary> --sandbox --transport http --addr 127.0.0.1:<port>`) serves every session, as a
// team deployment would.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { HTTPServer } from './lib/harness.js';
import { defineScenarios } from './lib/scenarios.js';

describe('streamable HTTP', () => {
  let server;
  before(async () => {
    server = await HTTPServer.start();
  });
  after(async () => {
    if (server && !server.exited) await server.stop();
  });

  defineScenarios(async (opts) => {
    const session = await server.connect(opts);
    const close = session.close.bind(session);
    session.close = async () => {
      // End the session the way a well-behaved client does (DELETE), then close.
      await session.transport.terminateSession().catch(() => {});
      await close();
    };
    return session;
  });

  it('two sessions at once are independent', async () => {
    const [a, b] = await Promise.all([server.connect(), server.connect()]);
    try {
      assert.ok(a.transport.sessionId, 'the server issues an Mcp-Session-Id');
      assert.notEqual(a.transport.sessionId, b.transport.sessionId);
      const [ca, cb] = await Promise.all([
        a.ok('query_entity', { entity: 'Tickets', count_only: true }),
        b.ok('query_entity', { entity: 'Tickets', count_only: true }),
      ]);
      assert.ok(ca.total > 0);
      assert.ok(cb.total > 0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const { code, signal } = await server.stop();
    assert.equal(signal, null, `server died by signal ${signal}`);
    assert.equal(code, 0, `server exit code ${code}:\n${server.log.text().slice(-3000)}`);
    server.log.assertClean();
  });
});
