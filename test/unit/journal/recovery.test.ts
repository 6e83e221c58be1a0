// Crash recovery as the person meets it: its words as translators get them, and whose sign-in it keeps.
import * as assert from 'node:assert/strict';
import { recoverOperations } from '../../../src/core/journal/recovery';
import type { Translate } from '../../../src/core/ports';
import { signInSecretKey } from '../../../src/core/secrets/keys';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { startWorldFixture, stopWorldFixture, World } from '../crash/world';
import type { Session, WorldFixture } from '../crash/world';
import { bundleTranslator } from '../support/bundleTranslator';
import { ScriptedPrompter } from '../support/scriptedPrompter';
import type { ScriptStep } from '../support/scriptedPrompter';

describe('crash recovery, as the person meets it', () => {
  let fixture: WorldFixture;
  let worlds = 0;

  before(async () => {
    fixture = await startWorldFixture();
  });

  after(() => stopWorldFixture(fixture));

  async function recover(session: Session, script: ScriptStep[], t: Translate = bundleTranslator): Promise<ScriptedPrompter> {
    const prompter = new ScriptedPrompter(script);
    await recoverOperations({ journal: session.journal, vault: session.vault, connections: session.connections, bindings: session.bindings, apiFor: async () => session.api, prompter, t, logger: session.logger, clock: { now: () => new Date() } });
    prompter.assertDone();
    return prompter;
  }

  it('says, in words translators have, that the extension was closed in the middle of an operation and what became of it', async () => {
    const world = await World.create(fixture, `words-${++worlds}`);
    await world.session().journal.begin({ op: 'rotate', step: 'generating', old: world.other, newName: 'other-next', bindingIds: [] });
    const prompter = await recover(world.session(), []);
    assert.deepEqual(prompter.messages('info'), [
      'SonarQube Tokens was closed in the middle of an operation. Rotating token other on crash.example was undone: other is still valid and bound. Rotate it again.',
    ]);
    world.dispose();
  });

  it("an administrator's revoke of another user's lost token keeps the administrator signed in, even when the server refuses the sign-in just then", async () => {
    const world = await World.create(fixture, `admin-${++worlds}`, { admin: true });
    const bob = `bob-${worlds}`;
    fixture.fake.addUser({ login: bob, name: bob });
    fixture.fake.createToken(bob, { name: 'lost' });
    await world.session().journal.begin({ op: 'generate', step: 'generated', ref: { connectionId: 'conn', login: bob, name: 'lost' }, forLogin: bob });
    const session = world.session();
    const refusing = { ...session, api: Object.create(session.api, { currentUser: { value: () => Promise.reject(new SonarApiError('unauthorized', 'Unauthorized')) } }) as Session['api'] };
    await recover(refusing, [{ warn: 'Revoke' }]);
    assert.deepEqual(fixture.fake.tokenNames(bob), [], "bob's token is revoked");
    assert.ok(world.secrets.values.has(signInSecretKey('conn')), "the administrator's sign-in is kept");
    world.dispose();
  });
});
