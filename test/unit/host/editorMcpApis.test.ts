// VS Code forks: activation without VS Code's MCP provider API, and Cursor's extension API used for its own row (the
// server registered with the token in its environment, no file; unregistered on unbind).
import * as assert from 'node:assert/strict';
import { activate } from '../../../src/extension';
import { CONNECTIONS_STATE_KEY } from '../../../src/core/connections/connectionStore';
import { tokenSecretKey } from '../../../src/core/secrets/keys';
import { BINDINGS_STATE_KEY } from '../../../src/core/tokens/bindingStore';
import { freshTokenValue } from '../support/fakeTokenApi';
import { standInContext, vscodeStandIn, world } from '../support/vscodeStandIn';

const connection = { id: 'conn', target: { kind: 'server', serverUrl: 'https://sq.example.com' }, label: 'sq.example.com', login: 'ada', addedAt: '2026-01-01T00:00:00.000Z' };
const ref = { connectionId: 'conn', login: 'ada', name: 'laptop' };

async function until(what: string, check: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !check(); turn++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check(), what);
}

describe('MCP APIs of VS Code forks', () => {
  const savedLm = vscodeStandIn.lm;
  beforeEach(() => world.reset());
  afterEach(() => {
    vscodeStandIn.lm = savedLm;
    vscodeStandIn.cursor = undefined;
  });

  it("activates without VS Code's MCP provider API, with every command and no provider", () => {
    delete vscodeStandIn.lm;
    const context = standInContext();
    activate(context);
    assert.ok(world.commands.has('sonarqubeTokens.bindMcp'));
    assert.equal(world.mcpProviders.size, 0);
    for (const subscription of context.subscriptions) subscription.dispose();
  });

  it("inside Cursor, registers a bound server with the token in its environment, and unregisters it on unbind", async () => {
    const calls: Array<[string, unknown]> = [];
    vscodeStandIn.cursor = { mcp: { registerServer: (server: unknown) => calls.push(['register', server]), unregisterServer: (name: string) => calls.push(['unregister', name]) } };
    delete vscodeStandIn.lm;
    const value = freshTokenValue();
    const context = standInContext();
    await context.globalState.update(CONNECTIONS_STATE_KEY, [connection]);
    await context.secrets.store(tokenSecretKey(ref), value);
    await context.globalState.update(BINDINGS_STATE_KEY, [{ id: 'b1', kind: 'mcp', token: ref, target: 'cursorExtension', label: 'SonarQube (sq.example.com)', createdAt: '2026-01-01T00:00:00.000Z' }]);
    activate(context);
    await until('registered at activation', () => calls.length === 1);
    assert.deepEqual(calls[0], [
      'register',
      {
        name: 'SonarQube (sq.example.com)',
        server: {
          command: 'docker',
          args: ['run', '--init', '--pull=always', '-i', '--rm', '-e', 'SONARQUBE_TOKEN', '-e', 'SONARQUBE_URL', 'sonarsource/sonarqube-mcp'],
          env: { SONARQUBE_URL: 'https://sq.example.com', SONARQUBE_TOKEN: value },
        },
      },
    ]);
    await world.commands.get('sonarqubeTokens.unbind')!({ kind: 'binding', bindingId: 'b1' });
    await until('unregistered on unbind', () => calls.length === 2);
    assert.deepEqual(calls[1], ['unregister', 'SonarQube (sq.example.com)']);
    assert.ok(!world.logLines.join('\n').includes(value), 'no value in the log');
    assert.ok(!JSON.stringify(world.messages).includes(value), 'no value in a message');
    for (const subscription of context.subscriptions) subscription.dispose();
  });
});
