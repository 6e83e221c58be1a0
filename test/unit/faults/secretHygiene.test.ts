// One pass through every flow with known token values, then a scan of everything the extension produced outside the
// secret store: state, logs, messages, errors, tree items and tooltips, written files, the clipboard after its clear.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { copyTokenFlow } from '../../../src/core/flows/copyToken';
import { generateTokenFlow } from '../../../src/core/flows/generateToken';
import { revokeTokenFlow } from '../../../src/core/flows/revokeToken';
import { replacementName, rotateToken } from '../../../src/core/flows/rotateToken';
import { completeSignIn } from '../../../src/core/flows/signIn';
import { createRedactingLogger } from '../../../src/core/logging/redact';
import { applyMcpFileBinding, removeMcpFileBinding } from '../../../src/core/mcp/fileBinding';
import { buildMcpLaunch } from '../../../src/core/mcp/launch';
import { MCP_TARGETS, mcpConfigPath } from '../../../src/core/mcp/targets';
import type { TokenRef } from '../../../src/core/secrets/keys';
import { TokensModel } from '../../../src/core/tokens/tokensModel';
import { childrenOf, presentNode } from '../../../src/core/tokens/treeNodes';
import { englishMessage } from '../../../src/core/ports';
import { freshTokenValue } from '../support/fakeTokenApi';
import { environment, manualTimers, NOW, serverConnection } from '../flows/harness';

const TOKEN_SHAPED = /sq[uapb]_[0-9a-f]{40}|(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])/;

describe('secret hygiene across every flow', () => {
  let home: string;
  beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), 'hygiene-'))));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('leaves no token value and nothing token-shaped outside the secret store', async () => {
    const signInToken = freshTokenValue();
    const env = environment(
      [
        { input: async () => 'laptop' }, { pick: 'User' }, { pick: '30 days' }, { pick: 'Copy once to the clipboard' },
        { confirm: true },
      ],
      { tokens: { alice: [{ name: 'old', type: 'USER_TOKEN', createdAt: '2025-01-01T00:00:00+0000' }] } },
    );
    const thrown: unknown[] = [];
    const logger = createRedactingLogger(env.logger);
    const deps = { ...env.deps, logger };

    // Sign in, generate (kept and copied), bind to every MCP client file, rotate, revoke.
    const connection = await completeSignIn({ ...deps, connections: env.connections, parseServerUrl: () => ({ ok: false, reason: '' }), createApi: () => env.api }, serverConnection.target, signInToken);
    assert.ok(connection);
    const generated = await generateTokenFlow(deps, serverConnection);
    assert.ok(generated);
    const generatedValue = env.secrets.values.get([...env.secrets.values.keys()].find((key) => key.includes('laptop'))!)!;
    const launch = buildMcpLaunch({ launcher: 'docker', dockerImage: 'sonarsource/sonarqube-mcp' }, serverConnection.target);
    const written: string[] = [];
    // Every client with a file here: the launcher's entry, and VS Code's input for .vscode/mcp.json.
    const runtime = { executable: process.execPath, script: path.join(home, 'storage', 'launcher', 'launcher.js') };
    for (const target of MCP_TARGETS) {
      const file = mcpConfigPath(target.id, { platform: 'linux', home, workspaceFolder: path.join(home, 'project') });
      if (!file) continue;
      const launcher = target.secret === 'launcher' ? { runtime, bindingId: `binding-${target.id}` } : undefined;
      const result = await applyMcpFileBinding(nodeFileSystem, { target: target.id, path: file, launch, connectionSlug: 'sonar-example-com', launcher });
      if (result.kind === 'written') written.push(file);
    }
    assert.ok(written.length >= 10, `bound ${written.length} client files`);
    const old: TokenRef = { connectionId: serverConnection.id, login: 'alice', name: 'laptop' };
    const token = (await env.api.searchTokens()).tokens.find((listed) => listed.name === 'laptop')!;
    const rotated = await rotateToken(
      { old, token, bindings: [], newName: replacementName('laptop', NOW, []), now: NOW },
      {
        generate: (request) => env.api.generateToken(request),
        storeValue: (ref, value) => env.vault.store(ref, value),
        deleteValue: (ref) => env.vault.delete(ref),
        switchBinding: async () => undefined,
        revoke: (ref) => env.api.revokeToken({ name: ref.name }),
      },
    );
    assert.ok(rotated.ok);
    const rotatedValue = await env.vault.read(rotated.replacement);
    await copyTokenFlow(deps, serverConnection, rotated.replacement);
    const revoked = await revokeTokenFlow({ ...deps, api: env.api }, serverConnection, rotated.replacement, { usedBy: ['MCP: Cursor'] });
    assert.deepEqual(revoked, { revoked: true, signedOut: false });
    for (const file of written) {
      const target = MCP_TARGETS.find((candidate) => mcpConfigPath(candidate.id, { platform: 'linux', home, workspaceFolder: path.join(home, 'project') }) === file)!;
      await removeMcpFileBinding(nodeFileSystem, { target: target.id, path: file, serverName: 'sonarqube', inputId: 'sonarqube-token-sonar-example-com' });
    }
    try {
      await env.api.failNext('searchTokens', new Error('boom')).searchTokens();
    } catch (error) {
      thrown.push(error);
    }

    // The clipboard was cleared once its time was up.
    for (const handle of [...manualTimers.pending]) {
      manualTimers.pending.delete(handle);
      await (handle as { callback: () => Promise<void> | void }).callback();
    }

    const model = new TokensModel({ apiFor: async () => env.api, logger });
    await model.loadTokens(serverConnection.id);
    const context = { connections: [serverConnection], model, isHeld: () => true, bindingsOf: () => [], now: NOW, warningDays: 7, t: englishMessage, commands: { signInAgain: 'a', loadMoreUsers: 'b', generateToken: 'c' } };
    const [root] = childrenOf(undefined, context);
    const tree = [root, ...childrenOf(root, context)].map((node) => presentNode(node, context)).map((item) => ({ ...item, tooltip: item.tooltip?.() }));

    const files = (function walk(dir: string): string[] {
      return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
    })(home);
    const places: Record<string, string> = {
      state: env.state.dump(),
      logs: env.logger.lines.join('\n'),
      messages: env.prompter.shownText,
      errors: JSON.stringify(thrown.map((error) => [String(error), (error as Error).stack])),
      tree: JSON.stringify(tree),
      clipboard: env.clipboard.text,
      requests: JSON.stringify(env.api.calls),
      ...Object.fromEntries(files.map((file) => [file, fs.readFileSync(file, 'utf8')])),
    };
    const values = [signInToken, generatedValue, rotatedValue!];
    assert.ok(values.every((value) => typeof value === 'string' && value.length > 40));
    for (const [place, text] of Object.entries(places)) {
      for (const value of values) assert.ok(!text.includes(value), `a token value leaked into ${place}`);
      assert.doesNotMatch(text, TOKEN_SHAPED, `something token-shaped in ${place}`);
    }
    assert.ok(env.logger.lines.length > 0, `the scan read the logs (${env.logger.lines.length} lines)`);
    assert.ok(env.prompter.shownText.length > 50, 'the scan read the messages');
    assert.ok(files.length > 0, 'the scan read the files');
  });
});
