import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { isConfigFileError } from '../../../src/core/config/configFileError';
import { applyMcpFileBinding, removeMcpFileBinding, rewritePlainTextToken } from '../../../src/core/mcp/fileBinding';
import { buildMcpLaunch } from '../../../src/core/mcp/launch';
import { MCP_TARGETS } from '../../../src/core/mcp/targets';
import type { McpTargetId } from '../../../src/core/mcp/targets';
import { freshTokenValue } from '../support/fakeTokenApi';

const launch = buildMcpLaunch({ launcher: 'docker', dockerImage: 'sonarsource/sonarqube-mcp' }, { kind: 'server', serverUrl: 'https://sq.example.com' });
const fileTargets = MCP_TARGETS.filter((target) => target.file).map((target) => target.id);
/** The fallback's reference (no launcher), literal per syntax; Claude Desktop has none and gets the value. */
const references: Partial<Record<McpTargetId, string>> = {
  vscodeWorkspace: '${input:sonarqube-token-sq-example-com}',
  cursorUser: '${env:SONARQUBE_TOKEN}',
  cursorWorkspace: '${env:SONARQUBE_TOKEN}',
  windsurf: '${env:SONARQUBE_TOKEN}',
  windsurfNext: '${env:SONARQUBE_TOKEN}',
  claudeCodeProject: '${SONARQUBE_TOKEN}',
  claudeCodeUser: '${SONARQUBE_TOKEN}',
  geminiCli: '${SONARQUBE_TOKEN}',
  kiro: '${SONARQUBE_TOKEN}',
  kiroWorkspace: '${SONARQUBE_TOKEN}',
};

const existingFiles: Record<string, (topKey: string) => string> = {
  missing: () => '',
  empty: () => '{}',
  commentsAndTrailingCommas: (topKey) => `{\n  // my servers\n  "${topKey}": {\n    "other": { "command": "npx", "args": ["other"], }, // keep\n  },\n  "theme": "dark",\n}\n`,
  crlfTabs: (topKey) => `{\r\n\t"${topKey}": {\r\n\t\t"other": {\r\n\t\t\t"command": "x"\r\n\t\t}\r\n\t}\r\n}\r\n`,
  bomUnicode: () => '\uFEFF{\n    "ünïcødé": "✓ 日本",\n    "deep": { "a": { "b": { "c": [1, { "d": null }] } } }\n}\n',
  otherKeysOnly: () => '{\n  "inputs": [\n    { "id": "mine", "type": "promptString" }\n  ]\n}',
};

describe('MCP client files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpfile-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const target of fileTargets) {
    for (const [shape, make] of Object.entries(existingFiles)) {
      it(`${target}: bind then unbind gives back the ${shape} file byte for byte`, async () => {
        const file = path.join(dir, 'nested', 'config.json');
        const topKey = MCP_TARGETS.find((candidate) => candidate.id === target)!.topKey!;
        const original = make(topKey);
        if (shape !== 'missing') {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, original);
        }
        const token = freshTokenValue();
        const result = await applyMcpFileBinding(nodeFileSystem, {
          target,
          path: file,
          launch,
          connectionSlug: 'sq-example-com',
          plainTextToken: target === 'claudeDesktop' ? token : undefined,
        });
        assert.equal(result.kind, 'written');
        if (result.kind !== 'written') return;
        const written = fs.readFileSync(file, 'utf8');
        const entry = (parse(written.replace(/^\uFEFF/, ''), [], { allowTrailingComma: true }) as Record<string, Record<string, { env: Record<string, string> }>>)[topKey].sonarqube;
        if (target === 'claudeDesktop') {
          assert.equal(entry.env.SONARQUBE_TOKEN, token);
          assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        } else {
          assert.equal(entry.env.SONARQUBE_TOKEN, references[target]);
          assert.ok(!written.includes(token));
        }
        if (shape === 'commentsAndTrailingCommas') {
          assert.ok(written.includes('    "other": { "command": "npx", "args": ["other"], },'), 'the other server is untouched');
          assert.ok(written.includes('// my servers') && written.includes('// keep'), 'comments are kept');
        }
        await removeMcpFileBinding(nodeFileSystem, { target, path: file, serverName: result.serverName, inputId: result.inputId, createdFile: result.createdFile, createdDirs: result.createdDirs, createdKeys: result.createdKeys });
        if (shape === 'missing') assert.ok(!fs.existsSync(path.join(dir, 'nested')), 'created file and folder removed');
        else assert.equal(fs.readFileSync(file, 'utf8'), original);
      });
    }
  }

  it('asks before replacing an existing "sonarqube" entry, then replaces or adds beside it', async () => {
    const file = path.join(dir, 'mcp.json');
    const original = '{\n  "mcpServers": {\n    "sonarqube": { "command": "mine" }\n  }\n}\n';
    fs.writeFileSync(file, original);
    const options = { target: 'cursorUser' as McpTargetId, path: file, launch, connectionSlug: 'sq-example-com' };
    assert.deepEqual(await applyMcpFileBinding(nodeFileSystem, options), { kind: 'conflict', existingName: 'sonarqube', suggestedName: 'sonarqube-sq-example-com' });
    assert.equal(fs.readFileSync(file, 'utf8'), original);
    const added = await applyMcpFileBinding(nodeFileSystem, { ...options, serverName: 'sonarqube-sq-example-com' });
    assert.equal(added.kind === 'written' && added.serverName, 'sonarqube-sq-example-com');
    assert.match(fs.readFileSync(file, 'utf8'), /"sonarqube": \{ "command": "mine" \}/);
    await applyMcpFileBinding(nodeFileSystem, { ...options, replaceExisting: true });
    assert.ok(!fs.readFileSync(file, 'utf8').includes('"mine"'));
  });

  it('adds one password input for .vscode/mcp.json and never a duplicate', async () => {
    const file = path.join(dir, '.vscode', 'mcp.json');
    const options = { target: 'vscodeWorkspace' as McpTargetId, path: file, launch, connectionSlug: 'sq', inputDescription: 'SonarQube token for sq' };
    const first = await applyMcpFileBinding(nodeFileSystem, options);
    await applyMcpFileBinding(nodeFileSystem, { ...options, replaceExisting: true });
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(written.inputs, [{ id: 'sonarqube-token-sq', type: 'promptString', description: 'SonarQube token for sq', password: true }]);
    assert.equal(written.servers.sonarqube.type, 'stdio');
    assert.equal(written.servers.sonarqube.env.SONARQUBE_TOKEN, '${input:sonarqube-token-sq}');
    assert.equal(first.kind === 'written' && first.inputId, 'sonarqube-token-sq');
  });

  it('leaves a file that does not parse untouched and names it and the line', async () => {
    const file = path.join(dir, 'mcp.json');
    fs.writeFileSync(file, '{\n  "mcpServers": {\n    "x": \n  }\n}');
    await assert.rejects(
      applyMcpFileBinding(nodeFileSystem, { target: 'cursorUser', path: file, launch, connectionSlug: 's' }),
      (error: unknown) => isConfigFileError(error) && error.message.includes(file) && error.line === 4,
    );
    assert.equal(fs.readFileSync(file, 'utf8'), '{\n  "mcpServers": {\n    "x": \n  }\n}');
  });

  it('rewrites only the value of a plain-text binding on rotation', async () => {
    const file = path.join(dir, 'claude.json');
    const [oldToken, newToken] = [freshTokenValue(), freshTokenValue()];
    await applyMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, launch, connectionSlug: 's', plainTextToken: oldToken });
    const before = fs.readFileSync(file, 'utf8');
    await rewritePlainTextToken(nodeFileSystem, { path: file, serverName: 'sonarqube', token: newToken });
    assert.equal(fs.readFileSync(file, 'utf8'), before.replace(oldToken, newToken));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('rotation leaves a deleted Claude Desktop file deleted: no file recreated, the new token written nowhere', async () => {
    const folder = path.join(dir, 'Claude');
    const file = path.join(folder, 'claude_desktop_config.json');
    const [oldToken, newToken] = [freshTokenValue(), freshTokenValue()];
    await applyMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, launch, connectionSlug: 's', plainTextToken: oldToken });
    fs.rmSync(file); // the person deleted it
    await rewritePlainTextToken(nodeFileSystem, { path: file, serverName: 'sonarqube', token: newToken });
    assert.deepEqual(fs.readdirSync(folder), [], 'no file recreated, no temporary file left');
    assert.deepEqual(fs.readdirSync(dir), ['Claude']);
  });

  it('rotation leaves a Claude Desktop file whose entry the person removed byte for byte as it was, mode included', async () => {
    const file = path.join(dir, 'claude_desktop_config.json');
    const [oldToken, newToken] = [freshTokenValue(), freshTokenValue()];
    await applyMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, launch, connectionSlug: 's', plainTextToken: oldToken });
    const theirs = '{\n  "mcpServers": {\n    "filesystem": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem"] }\n  }\n}\n';
    fs.writeFileSync(file, theirs);
    fs.chmodSync(file, 0o644);
    await rewritePlainTextToken(nodeFileSystem, { path: file, serverName: 'sonarqube', token: newToken });
    assert.equal(fs.readFileSync(file, 'utf8'), theirs);
    assert.equal(fs.statSync(file).mode & 0o777, 0o644, 'their file keeps its mode');
    assert.deepEqual(fs.readdirSync(dir), ['claude_desktop_config.json']);
  });
});
