import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeSonarLintIdePort } from '../../../src/core/mcp/idePort';
import { buildMcpLaunch, McpLaunchError, withToken } from '../../../src/core/mcp/launch';
import type { McpLauncherSettings } from '../../../src/core/mcp/launch';
import { freshTokenValue } from '../support/fakeTokenApi';

const docker: McpLauncherSettings = { launcher: 'docker', dockerImage: 'sonarsource/sonarqube-mcp' };
const server = { kind: 'server', serverUrl: 'https://sq.example.com/sonarqube' } as const;
const stub = path.resolve(__dirname, '../../../../test/stubs/stub-mcp-server.cjs');

describe('MCP server launch', () => {
  it('passes only variable names to docker, never values', () => {
    const launch = buildMcpLaunch({ ...docker, toolsets: ['issues', 'projects'], readOnly: true }, server, { idePort: 64121 });
    assert.equal(launch.command, 'docker');
    assert.deepEqual(launch.args, [
      'run', '--init', '--pull=always', '-i', '--rm',
      '-e', 'SONARQUBE_TOKEN', '-e', 'SONARQUBE_URL', '-e', 'SONARQUBE_TOOLSETS', '-e', 'SONARQUBE_READ_ONLY', '-e', 'SONARQUBE_IDE_PORT',
      'sonarsource/sonarqube-mcp',
    ]);
    assert.deepEqual(launch.env, { SONARQUBE_URL: 'https://sq.example.com/sonarqube', SONARQUBE_TOOLSETS: 'issues,projects', SONARQUBE_READ_ONLY: 'true', SONARQUBE_IDE_PORT: '64121' });
    assert.ok(!('SONARQUBE_TOKEN' in launch.env));
  });

  it('sets the organization for Cloud, and the US URL only for the US region', () => {
    assert.deepEqual(buildMcpLaunch(docker, { kind: 'cloud', region: 'EU', organization: 'acme' }).env, { SONARQUBE_ORG: 'acme' });
    assert.deepEqual(buildMcpLaunch(docker, { kind: 'cloud', region: 'US', organization: 'acme' }).env, { SONARQUBE_URL: 'https://sonarqube.us', SONARQUBE_ORG: 'acme' });
  });

  it('points a container at host.docker.internal for a server on this computer, and says why', () => {
    const launch = buildMcpLaunch(docker, { kind: 'server', serverUrl: 'http://localhost:9000' });
    assert.equal(launch.env.SONARQUBE_URL, 'http://host.docker.internal:9000');
    assert.match(launch.warnings[0], /host\.docker\.internal/);
    assert.equal(buildMcpLaunch({ ...docker, launcher: 'custom', customCommand: 'x' }, { kind: 'server', serverUrl: 'http://localhost:9000' }).env.SONARQUBE_URL, 'http://localhost:9000');
  });

  it('runs the JAR with a storage path, and says which setting is missing', () => {
    const launch = buildMcpLaunch({ ...docker, launcher: 'jar', jarPath: '/opt/mcp.jar', storagePath: '/tmp/store' }, server);
    assert.deepEqual([launch.command, ...launch.args], ['java', '-jar', '/opt/mcp.jar']);
    assert.equal(launch.env.STORAGE_PATH, '/tmp/store');
    assert.throws(() => buildMcpLaunch({ ...docker, launcher: 'jar' }, server), (error: unknown) => error instanceof McpLaunchError && /sonarqubeTokens\.mcp\.jarPath/.test(error.message));
    assert.throws(() => buildMcpLaunch({ ...docker, launcher: 'custom' }, server), /sonarqubeTokens\.mcp\.customCommand/);
  });

  it('hands the token to a started server through its environment only', async function () {
    this.timeout(10_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-'));
    try {
      const record = path.join(dir, 'record.jsonl');
      const token = freshTokenValue();
      const launch = buildMcpLaunch({ ...docker, launcher: 'custom', customCommand: process.execPath, customArgs: [stub] }, server);
      const child = spawn(launch.command, launch.args, { env: { ...withToken(launch.env, token), STUB_MCP_RECORD: record }, stdio: ['pipe', 'pipe', 'inherit'] });
      const answers: Array<{ id: number; result: { serverInfo?: { name: string }; tools?: unknown[] } }> = [];
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
          answers.push(JSON.parse(buffer.slice(0, newline)));
          buffer = buffer.slice(newline + 1);
        }
      });
      child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } } }) + '\n');
      child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
      child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) + '\n');
      while (answers.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      child.kill();
      assert.equal(answers[0].result.serverInfo?.name, 'stub-sonarqube-mcp');
      assert.equal(answers[1].result.tools?.length, 1);
      const seen = JSON.parse(fs.readFileSync(record, 'utf8').trim()) as { env: Record<string, string>; argv: string[] };
      assert.equal(seen.env.SONARQUBE_TOKEN, token, 'the token arrived through the environment');
      assert.equal(seen.env.SONARQUBE_URL, server.serverUrl);
      assert.ok(!seen.argv.some((argument) => argument.includes(token)), 'not in argv');
      assert.ok(!launch.args.some((argument) => argument.includes(token)));
      for (const file of fs.readdirSync(dir).filter((name) => name !== 'record.jsonl')) {
        assert.ok(!fs.readFileSync(path.join(dir, file), 'utf8').includes(token), `${file} holds the token`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SonarQube for IDE port probe', () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((listener) => new Promise((resolve) => listener.close(resolve))));
  });

  async function listen(status: unknown): Promise<number> {
    const listener = http.createServer((_request, response) => response.end(JSON.stringify(status)));
    servers.push(listener);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    return (listener.address() as AddressInfo).port;
  }

  it('finds the lowest port where SonarQube for IDE answers, ignoring our own sign-in listener', async () => {
    const ours = await listen({ ideName: 'VS Code', description: 'SonarQube Tokens for VS Code', needsToken: true });
    const ide = await listen({ ideName: 'Visual Studio Code', description: 'SonarQube for IDE' });
    const closed = await listen({});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    assert.equal(await probeSonarLintIdePort({ ports: [closed, ours, ide] }), ide);
  });

  it('gives up quietly after the timeout', async () => {
    const started = Date.now();
    const result = await probeSonarLintIdePort({ ports: [1, 2], timeoutMs: 100, fetchStatus: (_port, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))) });
    assert.equal(result, undefined);
    assert.ok(Date.now() - started < 1000);
  });
});
