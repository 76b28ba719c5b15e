// The MCP TypeScript SDK client over stdio: every session spawns `<binary> --sandbox` through
// StdioClientTransport, exactly as Claude Desktop and other desktop clients do.

import { describe } from 'node:test';

import { connectStdio } from './lib/harness.js';
import { defineScenarios } from './lib/scenarios.js';

describe('stdio', () => {
  // Sessions share one ticket ledger so that the tests' writes never collide; each session has
  // its own server process (and so its own sandbox tenant), which is the stdio way.
  defineScenarios(async (opts) => {
    const session = await connectStdio(opts);
    const close = session.close.bind(session);
    session.close = async () => {
      await close();
      session.log.assertClean();
    };
    return session;
  });
});
