#!/usr/bin/env node
// A stand-in SonarQube MCP Server: speaks MCP over stdio (newline-delimited JSON-RPC 2.0) and records, once at start,
// its environment (SONARQUBE_*) and argv as one JSON line appended to the file named by STUB_MCP_RECORD, and a SIGTERM
// it receives as `{"signal":"SIGTERM"}` in the file named by STUB_MCP_RECORD_SIGTERM, before dying of it. When stdin
// ends it exits with STUB_MCP_EXIT_CODE (0).
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');

if (process.env.STUB_MCP_RECORD) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('SONARQUBE_') || name === 'STORAGE_PATH'));
  fs.appendFileSync(process.env.STUB_MCP_RECORD, JSON.stringify({ env, argv: process.argv }) + '\n');
}

if (process.env.STUB_MCP_RECORD_SIGTERM) {
  process.once('SIGTERM', () => {
    try {
      fs.appendFileSync(process.env.STUB_MCP_RECORD_SIGTERM, JSON.stringify({ signal: 'SIGTERM' }) + '\n');
    } catch {
      // a test that is done may have removed the record's folder: die of the signal all the same
    }
    process.kill(process.pid, 'SIGTERM');
  });
}

const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');
const tool = { name: 'search_my_sonarqube_projects', description: 'Stub tool', inputSchema: { type: 'object', properties: {} } };

const lines = readline.createInterface({ input: process.stdin });
lines.on('close', () => process.exit(Number(process.env.STUB_MCP_EXIT_CODE ?? 0)));
lines.on('line', (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    return;
  }
  if (request.id === undefined) return; // notifications need no answer
  switch (request.method) {
    case 'initialize':
      send({ id: request.id, result: { protocolVersion: request.params?.protocolVersion ?? '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'stub-sonarqube-mcp', version: '1.0.0' } } });
      break;
    case 'tools/list':
      send({ id: request.id, result: { tools: [tool] } });
      break;
    case 'tools/call':
      send({ id: request.id, result: { content: [{ type: 'text', text: 'stub result' }] } });
      break;
    case 'ping':
      send({ id: request.id, result: {} });
      break;
    default:
      send({ id: request.id, error: { code: -32601, message: `Method not found: ${request.method}` } });
  }
});
