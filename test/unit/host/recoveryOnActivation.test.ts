// Activation wiring of crash recovery: an entry a killed extension host left is finished at the next start and told
// in one notification; a clean start reads globalState only and shows nothing.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { activate } from '../../../src/extension';
import { CONNECTIONS_STATE_KEY } from '../../../src/core/connections/connectionStore';
import { JOURNAL_STATE_KEY } from '../../../src/core/journal/journal';
import { signInSecretKey } from '../../../src/core/secrets/keys';
import { standInContext, world } from '../support/vscodeStandIn';

const connection = { id: 'conn', target: { kind: 'server', serverUrl: 'https://sq.example.com' }, label: 'sq.example.com', login: 'ada', addedAt: '2026-01-01T00:00:00.000Z' };

async function started(entries: unknown[]) {
  const context = standInContext();
  await context.globalState.update(CONNECTIONS_STATE_KEY, [connection]);
  await context.secrets.store(signInSecretKey('conn'), 'sign-in-value-for-the-test');
  if (entries.length > 0) await context.globalState.update(JOURNAL_STATE_KEY, entries);
  activate(context);
  return context;
}

async function settled(): Promise<void> {
  for (let turn = 0; turn < 50 && world.messages.length === 0; turn++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('crash recovery at activation', () => {
  beforeEach(() => world.reset());

  it('finishes a connection removal a killed host left, and says so once', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const at = '2026-01-01T00:00:00.000Z';
    const context = await started([{ op: 'removeConnection', step: 'removing', connectionId: 'conn', id: 'e1', owner: { host: os.hostname(), pid: deadPid }, startedAt: at, updatedAt: at }]);
    await settled();
    assert.deepEqual(world.texts(), ['SonarQube Tokens was closed in the middle of an operation. The connection to sq.example.com was removed from this computer, with its token values and bindings.']);
    assert.deepEqual(context.globalState.get(CONNECTIONS_STATE_KEY), []);
    assert.equal(context.globalState.get(JOURNAL_STATE_KEY), undefined);
    assert.equal(context.secretValues.size, 0);
    for (const subscription of context.subscriptions) subscription.dispose();
  });

  it('shows nothing and changes nothing on a clean start', async () => {
    const context = await started([]);
    await settled();
    assert.deepEqual(world.texts(), []);
    assert.deepEqual(context.globalState.get(CONNECTIONS_STATE_KEY), [connection]);
    for (const subscription of context.subscriptions) subscription.dispose();
  });
});
