// Starting an MCP server entry the way a client does: the file's command, args and env and nothing else from the
// caller but HOME, PATH and the desktop session's bus (no SONARQUBE_TOKEN). The stub MCP server records what it saw.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { parse } from 'jsonc-parser';
import type { McpClientEntry } from '../../../src/core/mcp/launcherEntry';

export interface ClientStart {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What the stub server saw at its start; undefined when none started. */
  readonly started?: { env: Record<string, string>; argv: string[] };
}

/** The `sonarqube` entry of a client file with `mcpServers`. */
export function entryInFile(text: string, serverName = 'sonarqube'): McpClientEntry {
  return (parse(text) as { mcpServers: Record<string, McpClientEntry> }).mcpServers[serverName];
}

/** Runs the entry with stdin closed at once (the stub then exits) and reads the stub's record (`record` is removed). */
export function startAsClient(entry: McpClientEntry, session: { home: string; bus: string }, record: string): Promise<ClientStart> {
  const env = { HOME: session.home, PATH: process.env.PATH!, DBUS_SESSION_BUS_ADDRESS: session.bus, ...entry.env, STUB_MCP_RECORD: record };
  const child = spawn(entry.command, entry.args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end();
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const lines = fs.existsSync(record) ? fs.readFileSync(record, 'utf8').trim().split('\n') : [];
      fs.rmSync(record, { force: true });
      resolve({ code, stdout, stderr, started: lines[0] ? JSON.parse(lines[0]) : undefined });
    });
  });
}
