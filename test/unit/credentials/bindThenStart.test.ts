// Bind through the flow, then start what was written exactly as the client would: command, args and env read back
// from the client's file, spawned with HOME, PATH and the desktop session's bus only (no SONARQUBE_TOKEN), against a
// real Secret Service and the bundled launcher, starting the stub MCP server. Rotation reaches the next start with
// the file byte-identical; unbind leaves no keyring entry and the launcher fails with its one line.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { mcpCredentialAccount } from '../../../src/core/credentials/credentialStore';
import { KeyringCredentialStore } from '../../../src/core/credentials/keyringStore';
import { bindMcpFlow, removeMcpBindingEffects, switchMcpBindingToken } from '../../../src/core/flows/bindMcp';
import type { BindMcpDeps } from '../../../src/core/flows/bindMcp';
import { buildMcpLaunch } from '../../../src/core/mcp/launch';
import type { McpClientEntry } from '../../../src/core/mcp/launcherEntry';
import type { TokenRef } from '../../../src/core/secrets/keys';
import { BindingStore } from '../../../src/core/tokens/bindingStore';
import { entryInFile, startAsClient } from '../support/clientStart';
import { freshTokenValue } from '../support/fakeTokenApi';
import { keyringSessionFor } from '../support/keyringSession';
import type { KeyringSession } from '../support/keyringSession';
import { buildLauncher } from '../support/launcherBuild';
import type { LauncherBuild } from '../support/launcherBuild';
import { environment, serverConnection } from '../flows/harness';

const STUB = path.resolve(__dirname, '../../../../test/stubs/stub-mcp-server.cjs');
const BIND_AGAIN = 'In VS Code, run "SonarQube Tokens: Bind Token to MCP Server…" again.';

describe('bind, then start the written entry as the client does (real keyring, bundled launcher)', function () {
  this.timeout(20_000);
  let session: KeyringSession;
  let build: LauncherBuild;
  let store: KeyringCredentialStore;
  const ref: TokenRef = { connectionId: serverConnection.id, login: 'alice', name: 'laptop' };
  const values: string[] = [];
  const outputs: string[] = [];

  before(async function () {
    session = await keyringSessionFor(this);
    session.enter();
    build = buildLauncher();
    store = new KeyringCredentialStore(() => build.loadKeyring());
  });
  after(async () => {
    // The secret canary also covers the launcher's folder and everything it printed.
    if (build) {
      for (const file of fs.readdirSync(build.folder)) {
        const content = fs.readFileSync(path.join(build.folder, file)).toString('latin1');
        for (const value of values) assert.ok(!content.includes(value), `${file} in the launcher's folder holds a token`);
      }
    }
    for (const output of outputs) for (const value of values) assert.ok(!output.includes(value), 'the launcher printed a token');
    await session?.stop();
    build?.remove();
  });

  const entryIn = (file: string) => entryInFile(fs.readFileSync(file, 'utf8'));
  const start = async (entry: McpClientEntry, record: string) => {
    const run = await startAsClient(entry, { home: session.home, bus: session.address }, record);
    outputs.push(run.stdout, run.stderr);
    return run;
  };

  for (const [label, relative] of [
    ['Claude Code (user, ~/.claude.json)', '.claude.json'],
    ['Cursor (user, ~/.cursor/mcp.json)', path.join('.cursor', 'mcp.json')],
  ] as const) {
    it(`${label}: the server gets the token, then the rotated one with the file unchanged, then nothing after unbind`, async () => {
      const home = fs.mkdtempSync(path.join(session.home, 'client-'));
      const env = environment([{ pick: label }, { info: undefined }]);
      const [first, second] = [freshTokenValue(), freshTokenValue()];
      values.push(first, second);
      const next: TokenRef = { ...ref, name: 'laptop-2' };
      await env.vault.store(ref, first);
      await env.vault.store(next, second);
      const deps: BindMcpDeps = {
        t: env.deps.t,
        logger: env.logger,
        prompter: env.prompter,
        fs: nodeFileSystem,
        credentials: store,
        store: new BindingStore(env.state, env.logger),
        readValue: (which) => env.vault.read(which),
        paths: { platform: process.platform, home, env: {} },
        folders: [],
        editorApis: new Set(),
        launchFor: (connection) => buildMcpLaunch({ launcher: 'custom', dockerImage: '', customCommand: process.execPath, customArgs: [STUB] }, connection.target),
        installLauncher: async () => ({ executable: process.execPath, script: build.script }),
        displayPath: (file) => file,
        openFile: async () => undefined,
      };
      const record = path.join(home, 'record.jsonl');

      const binding = await bindMcpFlow(deps, serverConnection, ref);
      assert.ok(binding?.launcher);
      const file = path.join(home, relative);
      const written = fs.readFileSync(file, 'utf8');
      for (const value of values) assert.ok(!written.includes(value), 'the client file holds a token');
      const entry = entryIn(file);
      const run = await start(entry, record);
      assert.deepEqual([run.code, run.stderr], [0, '']);
      assert.deepEqual(run.started?.env, { SONARQUBE_TOKEN: first, SONARQUBE_URL: 'https://sonar.example.com' });

      await switchMcpBindingToken(deps, binding, next);
      assert.equal(fs.readFileSync(file, 'utf8'), written, 'rotation changes no client file');
      const rotated = await start(entryIn(file), record);
      assert.equal(rotated.started?.env.SONARQUBE_TOKEN, second);

      await removeMcpBindingEffects(deps, binding);
      assert.equal(await store.get(mcpCredentialAccount(binding.id)), undefined, 'the keyring entry is gone');
      const afterUnbind = await start(entry, record);
      assert.equal(afterUnbind.code, 1);
      assert.equal(afterUnbind.stderr, `SonarQube Tokens: no token is stored for this MCP server (binding ${binding.id}). ${BIND_AGAIN}\n`);
      assert.equal(afterUnbind.started, undefined, 'no server started');
      env.assertNoLeak(first, second);
    });
  }
});
