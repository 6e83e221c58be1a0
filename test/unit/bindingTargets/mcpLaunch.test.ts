import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeSonarLintIdePort, sonarLintWindowDescription, trustedOriginOf } from '../../../src/core/mcp/idePort';
import { buildMcpLaunch, McpLaunchError, withToken } from '../../../src/core/mcp/launch';
import type { McpLauncherSettings } from '../../../src/core/mcp/launch';
import { bundleTranslator } from '../support/bundleTranslator';
import { freshTokenValue } from '../support/fakeTokenApi';

const docker: McpLauncherSettings = { launcher: 'docker', dockerImage: 'sonarsource/sonarqube-mcp' };
const server = { kind: 'server', serverUrl: 'https://sq.example.com/sonarqube' } as const;
const stub = path.resolve(__dirname, '../../../../test/stubs/stub-mcp-server.cjs');

describe('MCP server launch', () => {
  it('passes only variable names to docker, never values', () => {
    const launch = buildMcpLaunch({ ...docker, toolsets: ['issues', 'projects'], readOnly: true }, server, { idePort: 64121, platform: 'darwin' });
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

  for (const platform of ['darwin', 'win32'] as const) {
    it(`points a container at host.docker.internal for a server on this computer on ${platform}, and says why`, () => {
      const launch = buildMcpLaunch(docker, { kind: 'server', serverUrl: 'http://localhost:9000' }, { platform });
      assert.deepEqual(launch.args, ['run', '--init', '--pull=always', '-i', '--rm', '-e', 'SONARQUBE_TOKEN', '-e', 'SONARQUBE_URL', 'sonarsource/sonarqube-mcp']);
      assert.deepEqual(launch.env, { SONARQUBE_URL: 'http://host.docker.internal:9000' });
      assert.deepEqual(launch.warnings, ['http://localhost:9000 is on this computer, which a container reaches as host.docker.internal: the MCP server is given http://host.docker.internal:9000.']);
    });
  }

  it('leaves the URL alone for a command that runs on this computer', () => {
    const launch = buildMcpLaunch({ ...docker, launcher: 'custom', customCommand: 'x' }, { kind: 'server', serverUrl: 'http://localhost:9000' }, { platform: 'darwin' });
    assert.deepEqual(launch.env, { SONARQUBE_URL: 'http://localhost:9000' });
    assert.deepEqual(launch.warnings, []);
  });

  it("on Linux, shares the host's network with the container for a server on the host's loopback, and keeps its URL", () => {
    for (const serverUrl of ['http://localhost:9000', 'http://127.0.0.1:9000/sonarqube', 'http://[::1]:9000']) {
      const launch = buildMcpLaunch(docker, { kind: 'server', serverUrl }, { platform: 'linux' });
      assert.deepEqual(launch.args, ['run', '--init', '--pull=always', '-i', '--rm', '--network=host', '-e', 'SONARQUBE_TOKEN', '-e', 'SONARQUBE_URL', 'sonarsource/sonarqube-mcp'], serverUrl);
      assert.deepEqual(launch.env, { SONARQUBE_URL: serverUrl }, serverUrl);
      assert.deepEqual(launch.warnings, [], serverUrl);
    }
  });

  it("on Linux, shares the host's network with the container to reach SonarQube for IDE, and only then", () => {
    const cloud = { kind: 'cloud', region: 'EU', organization: 'acme' } as const;
    assert.deepEqual(buildMcpLaunch(docker, cloud, { idePort: 64123, platform: 'linux' }).args, [
      'run', '--init', '--pull=always', '-i', '--rm', '--network=host', '-e', 'SONARQUBE_TOKEN', '-e', 'SONARQUBE_ORG', '-e', 'SONARQUBE_IDE_PORT', 'sonarsource/sonarqube-mcp',
    ]);
    assert.deepEqual(buildMcpLaunch(docker, server, { platform: 'linux' }).args, ['run', '--init', '--pull=always', '-i', '--rm', '-e', 'SONARQUBE_TOKEN', '-e', 'SONARQUBE_URL', 'sonarsource/sonarqube-mcp']);
    assert.deepEqual(buildMcpLaunch(docker, cloud, { idePort: 64123, platform: 'darwin' }).args, [
      'run', '--init', '--pull=always', '-i', '--rm', '-e', 'SONARQUBE_TOKEN', '-e', 'SONARQUBE_ORG', '-e', 'SONARQUBE_IDE_PORT', 'sonarsource/sonarqube-mcp',
    ]);
  });

  it('runs the JAR with a storage path, and says which setting is missing', () => {
    const launch = buildMcpLaunch({ ...docker, launcher: 'jar', jarPath: '/opt/mcp.jar', storagePath: '/tmp/store' }, server);
    assert.deepEqual([launch.command, ...launch.args], ['java', '-jar', '/opt/mcp.jar']);
    assert.deepEqual(launch.env, { SONARQUBE_URL: 'https://sq.example.com/sonarqube', STORAGE_PATH: '/tmp/store' });
    assert.throws(() => buildMcpLaunch({ ...docker, launcher: 'jar' }, server), (error: unknown) => error instanceof McpLaunchError && /sonarqubeTokens\.mcp\.jarPath/.test(error.message));
    assert.throws(() => buildMcpLaunch({ ...docker, launcher: 'custom' }, server), /sonarqubeTokens\.mcp\.customCommand/);
  });

  it('gives a custom command that runs the JAR its storage path too, and other custom commands none', () => {
    const custom = { ...docker, launcher: 'custom', storagePath: '/tmp/store' } as const;
    const jar = buildMcpLaunch({ ...custom, customCommand: '/usr/lib/jvm/21/bin/java', customArgs: ['-Xmx512m', '-jar', '/opt/sonarqube-mcp-server-1.2.0.jar'] }, server);
    assert.deepEqual([jar.command, ...jar.args], ['/usr/lib/jvm/21/bin/java', '-Xmx512m', '-jar', '/opt/sonarqube-mcp-server-1.2.0.jar']);
    assert.deepEqual(jar.env, { SONARQUBE_URL: 'https://sq.example.com/sonarqube', STORAGE_PATH: '/tmp/store' });
    const classpath = buildMcpLaunch({ ...custom, customCommand: 'java', customArgs: ['-cp', '/opt/Sonarqube-MCP-Server.JAR', 'org.sonarsource.sonarqube.mcp.SonarQubeMcpServer'] }, server);
    assert.deepEqual(classpath.env, { SONARQUBE_URL: 'https://sq.example.com/sonarqube', STORAGE_PATH: '/tmp/store' });
    const wrapper = buildMcpLaunch({ ...custom, customCommand: '/usr/local/bin/sonar-mcp', customArgs: ['--stdio'] }, server);
    assert.deepEqual(wrapper.env, { SONARQUBE_URL: 'https://sq.example.com/sonarqube' });
  });

  it('counts as this computer only localhost, [::1] and 127.x.y.z: a container is pointed at host.docker.internal for those alone', () => {
    const given = (serverUrl: string) => buildMcpLaunch(docker, { kind: 'server', serverUrl }, { platform: 'darwin' }).env.SONARQUBE_URL;
    assert.equal(given('http://127.10.200.3:9000/sonarqube'), 'http://host.docker.internal:9000/sonarqube');
    assert.equal(given('http://[::1]:9000/'), 'http://host.docker.internal:9000');
    assert.equal(given('http://LOCALHOST:9000'), 'http://host.docker.internal:9000');
    for (const elsewhere of ['http://127.0.0.1.nip.io:9000', 'http://localhost.example.com:9000', 'http://10.0.0.127:9000', 'http://[::2]:9000', 'https://sq.example.com']) {
      assert.equal(given(elsewhere), elsewhere, elsewhere);
    }
    assert.equal(given('not a url'), 'not a url', 'a URL that does not parse is passed on as it is');
  });

  it('gives the JAR its storage path only when it has one, and a container never', () => {
    assert.deepEqual(buildMcpLaunch({ ...docker, launcher: 'jar', jarPath: '/opt/mcp.jar' }, server).env, { SONARQUBE_URL: 'https://sq.example.com/sonarqube' });
    const leftOver = { customCommand: 'java', customArgs: ['-jar', '/opt/mcp.jar'], storagePath: '/tmp/store' };
    assert.deepEqual(buildMcpLaunch({ ...docker, ...leftOver }, server).env, { SONARQUBE_URL: 'https://sq.example.com/sonarqube' }, 'custom settings left from before');
    const custom = { ...docker, launcher: 'custom', storagePath: '/tmp/store' } as const;
    assert.deepEqual(buildMcpLaunch({ ...custom, customCommand: '/opt/mcp/server.jar' }, server).env, { SONARQUBE_URL: 'https://sq.example.com/sonarqube', STORAGE_PATH: '/tmp/store' }, 'a JAR as the command');
    assert.deepEqual(buildMcpLaunch({ ...custom, customCommand: 'java', customArgs: ['-jar', '/opt/sonarqube-mcp-server'] }, server).env, { SONARQUBE_URL: 'https://sq.example.com/sonarqube', STORAGE_PATH: '/tmp/store' }, '-jar with a file of any name');
    for (const customArgs of [['--jar-dir', '/opt'], ['/opt/sonarqube-mcp.jar.sh'], ['-jarfile']]) {
      assert.deepEqual(buildMcpLaunch({ ...custom, customCommand: 'run', customArgs }, server).env, { SONARQUBE_URL: 'https://sq.example.com/sonarqube' }, customArgs.join(' '));
    }
  });

  it('sets no organization for a Cloud connection without one, no toolsets for an empty list, and read-only only when asked', () => {
    assert.deepEqual(buildMcpLaunch({ ...docker, toolsets: [], readOnly: false }, { kind: 'cloud', region: 'EU' }), {
      command: 'docker',
      args: ['run', '--init', '--pull=always', '-i', '--rm', '-e', 'SONARQUBE_TOKEN', 'sonarsource/sonarqube-mcp'],
      env: {},
      warnings: [],
    });
    assert.deepEqual(buildMcpLaunch({ ...docker, toolsets: ['issues'] }, { kind: 'cloud', region: 'US', organization: '' }).env, { SONARQUBE_URL: 'https://sonarqube.us', SONARQUBE_TOOLSETS: 'issues' });
  });

  it('passes the custom arguments as given, and the JAR path as one argument', () => {
    const customArgs = ['--stdio', 'a b'];
    const custom = buildMcpLaunch({ ...docker, launcher: 'custom', customCommand: 'C:\\Program Files\\mcp\\mcp.exe', customArgs }, server);
    assert.deepEqual([custom.command, ...custom.args], ['C:\\Program Files\\mcp\\mcp.exe', '--stdio', 'a b']);
    customArgs.push('--later');
    assert.deepEqual(custom.args, ['--stdio', 'a b'], 'a copy, not the settings list');
    assert.deepEqual(buildMcpLaunch({ ...docker, launcher: 'custom', customCommand: 'mcp' }, server).args, []);
  });

  it('says which setting is missing, in words a translation is found for', () => {
    assert.throws(() => buildMcpLaunch({ ...docker, launcher: 'jar' }, server, { t: bundleTranslator }), {
      name: 'McpLaunchError',
      message: 'Set sonarqubeTokens.mcp.jarPath to the SonarQube MCP Server JAR, or choose another launcher in sonarqubeTokens.mcp.launcher.',
    });
    assert.throws(() => buildMcpLaunch({ ...docker, launcher: 'custom', customCommand: '' }, server, { t: bundleTranslator }), {
      name: 'McpLaunchError',
      message: 'Set sonarqubeTokens.mcp.customCommand, or choose another launcher in sonarqubeTokens.mcp.launcher.',
    });
    assert.deepEqual(buildMcpLaunch(docker, { kind: 'server', serverUrl: 'http://localhost:9000' }, { platform: 'win32', t: bundleTranslator }).warnings, [
      'http://localhost:9000 is on this computer, which a container reaches as host.docker.internal: the MCP server is given http://host.docker.internal:9000.',
    ]);
  });

  it('adds the token to a copy of the environment, under SONARQUBE_TOKEN', () => {
    const env = { SONARQUBE_URL: 'https://sq.example.com' };
    const token = freshTokenValue();
    assert.deepEqual(withToken(env, token), { SONARQUBE_URL: 'https://sq.example.com', SONARQUBE_TOKEN: token });
    assert.deepEqual(env, { SONARQUBE_URL: 'https://sq.example.com' }, 'the launch itself never holds it');
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
      // The stub records the SIGTERM on its way out: the folder must still be there then.
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
      assert.equal(answers[0].result.serverInfo?.name, 'stub-sonarqube-mcp');
      assert.equal(answers[1].result.tools?.length, 1);
      const [started] = fs.readFileSync(record, 'utf8').trim().split('\n');
      const seen = JSON.parse(started) as { env: Record<string, string>; argv: string[] };
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

describe("SonarQube for IDE port probe: this window's embedded server", () => {
  const trustedOrigin = 'https://sq.example.com';
  const thisWindow = { description: sonarLintWindowDescription('1.101.0', 'shop'), trustedOrigin };
  const servers: http.Server[] = [];
  const origins: Array<string | undefined> = [];
  afterEach(async () => {
    origins.length = 0;
    requests.length = 0;
    await Promise.all(servers.splice(0).map((listener) => new Promise((resolve) => listener.close(resolve))));
  });

  const requests: string[] = [];
  async function listen(answer: (origin: string | undefined) => { status: number; body?: unknown; raw?: string }): Promise<number> {
    const listener = http.createServer((request, response) => {
      origins.push(request.headers.origin);
      requests.push(`${request.method} ${request.headers.host} ${request.url}`);
      const { status, body, raw } = answer(request.headers.origin);
      response.writeHead(status, { 'content-type': 'application/json' }).end(raw ?? (body === undefined ? '' : JSON.stringify(body)));
    });
    servers.push(listener);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    return (listener.address() as AddressInfo).port;
  }

  /** Like SonarQube for IDE: 400 without an Origin, its description only to a server it is connected to. */
  function sonarQubeForIde(workspaceName: string | undefined, connectedOrigin = trustedOrigin): Promise<number> {
    return listen((origin) => {
      if (origin === undefined) return { status: 400 };
      const trusted = origin === connectedOrigin;
      return { status: 200, body: { ideName: 'Visual Studio Code', description: trusted ? sonarLintWindowDescription('1.101.0', workspaceName) : '', needsToken: !trusted, capabilities: { canOpenFixSuggestion: true } } };
    });
  }

  async function closedPort(): Promise<number> {
    const port = await listen(() => ({ status: 200 }));
    await new Promise((resolve) => servers.pop()!.close(resolve));
    return port;
  }

  it('describes a window as its language server does', () => {
    assert.equal(sonarLintWindowDescription('1.101.0', 'shop'), '1.101.0 - shop');
    assert.equal(sonarLintWindowDescription('1.101.0', undefined), '1.101.0 - (no open folder)');
  });

  it('asks from the origin of one of its connections: a Server URL, or the Cloud region', () => {
    assert.equal(trustedOriginOf({ sonarqube: [{ serverUrl: 'https://sq.example.com/sonarqube/' }], sonarcloud: [{ organizationKey: 'acme' }] }), 'https://sq.example.com');
    assert.equal(trustedOriginOf({ sonarqube: [{ serverUrl: 'not a url' }, { connectionId: 'x' }], sonarcloud: [{ organizationKey: 'acme', region: 'us' }] }), 'https://sonarqube.us');
    assert.equal(trustedOriginOf({ sonarqube: [], sonarcloud: [{ organizationKey: 'acme' }] }), 'https://sonarcloud.io');
    assert.equal(trustedOriginOf({ sonarqube: [], sonarcloud: [] }), undefined);
  });

  it("finds this window's port behind another window's on the lowest port, ignoring our own sign-in listener", async () => {
    const otherWindow = await sonarQubeForIde('billing');
    const closed = await closedPort();
    const ours = await listen(() => ({ status: 200, body: { ideName: 'Visual Studio Code', description: 'SonarQube Tokens for Visual Studio Code', needsToken: true } }));
    const thisOne = await sonarQubeForIde('shop');
    // Probed in this order, as 64120 upwards: the other window comes first, where "the first that answers" stopped.
    const ports = [otherWindow, closed, ours, thisOne];
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports }), { port: thisOne, explanation: `SonarQube for IDE of this window ("1.101.0 - shop") answers on port ${thisOne}.` });
    assert.deepEqual(origins, [trustedOrigin, trustedOrigin, trustedOrigin], 'one request per listening port, each from the trusted origin');
  });

  it('does not guess when two windows have the same name', async () => {
    const first = await sonarQubeForIde('shop');
    const second = await sonarQubeForIde('shop');
    const other = await sonarQubeForIde('billing');
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports: [other, first, second] }), {
      explanation: `SonarQube for IDE answers as this window ("1.101.0 - shop") on ports ${first}, ${second}, more than one window of that name: SONARQUBE_IDE_PORT is not set.`,
    });
  });

  it("does not guess when only other windows answer, even a single one", async () => {
    const other = await sonarQubeForIde('billing');
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports: [other] }), {
      explanation: `SonarQube for IDE answers on ports ${other} for other windows, not this one ("1.101.0 - shop"): SONARQUBE_IDE_PORT is not set.`,
    });
  });

  it('says other windows answer when one window names itself and another keeps its name to itself', async () => {
    const unnamed = await sonarQubeForIde('shop', 'https://other.example.com');
    const other = await sonarQubeForIde('billing');
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports: [unnamed, other] }), {
      explanation: `SonarQube for IDE answers on ports ${unnamed}, ${other} for other windows, not this one ("1.101.0 - shop"): SONARQUBE_IDE_PORT is not set.`,
    });
  });

  it('does not guess when SonarQube for IDE keeps its window to itself (no connection to ask from, or one it does not accept)', async () => {
    const elsewhere = await sonarQubeForIde('shop', 'https://other.example.com');
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports: [elsewhere] }), {
      explanation: `SonarQube for IDE answers on ports ${elsewhere} but tells its window only to a server it is connected to, and it did not accept https://sq.example.com: SONARQUBE_IDE_PORT is not set.`,
    });
    assert.deepEqual(await probeSonarLintIdePort({ description: thisWindow.description }, { ports: [elsewhere] }), {
      explanation: `SonarQube for IDE answers on ports ${elsewhere} but tells its window only to a server it is connected to, and it has no connection to ask from: SONARQUBE_IDE_PORT is not set.`,
    });
    assert.deepEqual(origins, [trustedOrigin, 'vscode-extension://sonarqube-tokens']);
  });

  it('says so when nothing answers', async () => {
    const closed = await closedPort();
    const broken = await listen(() => ({ status: 429 }));
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports: [closed, broken] }), {
      explanation: `SonarQube for IDE does not answer on ports ${closed}, ${broken} (not installed or not started yet): SONARQUBE_IDE_PORT is not set.`,
    });
  });

  const shopAnswer = { ideName: 'Visual Studio Code', description: '1.101.0 - shop', needsToken: false };
  const noAnswer = (ports: number[]) => `SonarQube for IDE does not answer on ports ${ports.join(', ')} (not installed or not started yet): SONARQUBE_IDE_PORT is not set.`;

  it('asks each port with GET /sonarlint/api/status on 127.0.0.1', async () => {
    const port = await sonarQubeForIde('shop');
    assert.equal((await probeSonarLintIdePort(thisWindow, { ports: [port] })).port, port);
    assert.deepEqual(requests, [`GET 127.0.0.1:${port} /sonarlint/api/status`]);
  });

  it("does not count an answer other than 200, even one that looks like this window's", async () => {
    const refused = await listen(() => ({ status: 403, body: shopAnswer }));
    const failing = await listen(() => ({ status: 500, body: shopAnswer }));
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports: [refused, failing] }), { explanation: noAnswer([refused, failing]) });
  });

  it('does not count a JSON answer without an ideName (another program on the port), nor one that is not JSON', async () => {
    const noIdeName = await listen(() => ({ status: 200, body: { description: '1.101.0 - shop' } }));
    const numericIdeName = await listen(() => ({ status: 200, body: { ideName: 7, description: '1.101.0 - shop' } }));
    const notJson = await listen(() => ({ status: 200, raw: '<html>1.101.0 - shop</html>' }));
    const nullBody = await listen(() => ({ status: 200, raw: 'null' }));
    const ports = [noIdeName, numericIdeName, notJson, nullBody];
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports }), { explanation: noAnswer(ports) });
  });

  it('counts an answer with an ideName but no description as SonarQube for IDE keeping its window to itself', async () => {
    const port = await listen(() => ({ status: 200, body: { ideName: 'Visual Studio Code', description: 42 } }));
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports: [port] }), {
      explanation: `SonarQube for IDE answers on ports ${port} but tells its window only to a server it is connected to, and it did not accept https://sq.example.com: SONARQUBE_IDE_PORT is not set.`,
    });
  });

  it('reads an answer of up to 16384 characters and drops a longer one', async () => {
    const padded = (length: number) => {
      const text = JSON.stringify({ ...shopAnswer, padding: '' });
      return text.replace('"padding":""', `"padding":"${'x'.repeat(length - text.length)}"`);
    };
    assert.equal(padded(16_384).length, 16_384);
    const longest = await listen(() => ({ status: 200, raw: padded(16_384) }));
    assert.equal((await probeSonarLintIdePort(thisWindow, { ports: [longest] })).port, longest);
    const tooLong = await listen(() => ({ status: 200, raw: padded(16_385) }));
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports: [tooLong] }), { explanation: noAnswer([tooLong]) });
  });

  it('asks from its own origin when it has no connection, and the answer names no window then', async () => {
    const port = await sonarQubeForIde('shop');
    const probe = await probeSonarLintIdePort({ description: '1.101.0 - shop' }, { ports: [port] });
    assert.equal(probe.port, undefined);
    assert.deepEqual(origins, ['vscode-extension://sonarqube-tokens']);
  });

  it('takes the first Server URL that parses as the origin to ask from, before any Cloud region, and skips entries that are not objects', () => {
    assert.equal(
      trustedOriginOf({ sonarqube: [null, { serverUrl: 42 }, { serverUrl: 'http://localhost:9000/' }, { serverUrl: 'https://sq.example.com' }], sonarcloud: [{ region: 'US' }] }),
      'http://localhost:9000',
    );
    assert.equal(trustedOriginOf({ sonarqube: [{ serverUrl: '' }], sonarcloud: [null, { region: 'US' }] }), 'https://sonarcloud.io', 'a null entry is the EU region');
    assert.equal(trustedOriginOf({ sonarqube: [], sonarcloud: [{ region: 'EU' }, { region: 'US' }] }), 'https://sonarcloud.io');
  });

  it('does not count our own sign-in listener as SonarQube for IDE when it is the only one answering', async () => {
    const ours = await listen(() => ({ status: 200, body: { ideName: 'Visual Studio Code', description: 'SonarQube Tokens for Visual Studio Code', needsToken: true } }));
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports: [ours] }), { explanation: noAnswer([ours]) });
  });

  it('does not count, and does not fail on, a program that hangs up in the middle of its answer', async () => {
    const listener = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"ideName":"Visual Studio Code","description":"1.101.0 - shop"', () => setTimeout(() => response.socket?.destroy(), 20));
    });
    servers.push(listener);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as AddressInfo).port;
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports: [port], timeoutMs: 1_000 }), { explanation: noAnswer([port]) });
  });

  it('gives up at the timeout on a program that starts its answer and then stalls', async () => {
    const listener = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"ideName":"Visual Studio Code",');
    });
    servers.push(listener);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as AddressInfo).port;
    const started = Date.now();
    assert.deepEqual(await probeSonarLintIdePort(thisWindow, { ports: [port], timeoutMs: 200 }), { explanation: noAnswer([port]) });
    assert.ok(Date.now() - started < 1_500, `took ${Date.now() - started} ms`);
    listener.closeAllConnections();
  });

  it('gives up quietly after the timeout', async () => {
    const result = await probeSonarLintIdePort(thisWindow, {
      ports: [1, 2],
      timeoutMs: 100,
      fetchStatus: (_port, _origin, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    });
    assert.equal(result.port, undefined);
  });
});
