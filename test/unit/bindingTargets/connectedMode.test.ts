import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import {
  containsToken,
  planConnectedModeConnection,
  removeConnectedModeConnection,
  sharedConnectedModeJson,
  sonarlintConnectionId,
  validateConnectedModeConnections,
} from '../../../src/core/connectedMode/sonarlint';

/** The stand-in's copy of SonarQube for IDE's lookups (the one the editor tests' stub uses). */
interface SonarlintLookups {
  connectionForEdit(connections: readonly unknown[], connectionId: string): Record<string, unknown> | undefined;
  connectionOfBinding(sonarqube: readonly unknown[], sonarcloud: readonly unknown[], binding: Record<string, unknown>): Record<string, unknown> | undefined;
}
const lookups = createRequire(__filename)(path.resolve(__dirname, '../../../../test/e2e/fixtures/sonarlint-stub/connections.js')) as SonarlintLookups;

const server = { kind: 'server', serverUrl: 'https://sq.example.com/sonarqube' } as const;
const cloud = { kind: 'cloud', region: 'US', organization: 'acme' } as const;

describe('SonarQube for IDE connected mode', () => {
  it('names connections as SonarQube for IDE does', () => {
    assert.equal(sonarlintConnectionId(server), 'https-sq-example-com-sonarqube');
    assert.equal(sonarlintConnectionId({ kind: 'server', serverUrl: 'http://10.0.0.5:9000/' }), 'http-10-0-0-5-9000');
    assert.equal(sonarlintConnectionId(cloud), 'acme');
  });

  it('adds a connection without a token, keeping every other entry as it was', () => {
    const other = { connectionId: 'mine', serverUrl: 'https://other.example.com', disableNotifications: true };
    const plan = planConnectedModeConnection({ sonarqube: [other], sonarcloud: [] }, server);
    assert.equal(plan.reused, false);
    assert.equal(plan.section, 'sonarqube');
    assert.deepEqual(plan.next.sonarqube, [other, { connectionId: 'https-sq-example-com-sonarqube', serverUrl: 'https://sq.example.com/sonarqube' }]);
    assert.equal(plan.writeConnections, true);
    assert.equal(plan.next.sonarqube[0], other, 'untouched entry is the same object');
    assert.ok(!containsToken(plan.next));
    assert.deepEqual(validateConnectedModeConnections('sonarqube', plan.next.sonarqube), []);
    const cloudPlan = planConnectedModeConnection(plan.next, cloud);
    assert.deepEqual(cloudPlan.next.sonarcloud, [{ connectionId: 'acme', organizationKey: 'acme', region: 'US' }]);
    assert.deepEqual(validateConnectedModeConnections('sonarcloud', cloudPlan.next.sonarcloud), []);
  });

  it('reuses the entry for the same server or organization, whatever its id', () => {
    const existing = { sonarqube: [{ serverUrl: 'HTTPS://SQ.example.com/sonarqube/' }], sonarcloud: [{ connectionId: 'ours', organizationKey: 'acme', region: 'us' }] };
    assert.deepEqual(planConnectedModeConnection(existing, server), {
      section: 'sonarqube',
      connectionId: '<default>',
      reused: true,
      writeConnections: true,
      next: { ...existing, sonarqube: [{ serverUrl: 'HTTPS://SQ.example.com/sonarqube/', connectionId: '<default>' }] },
    });
    assert.deepEqual(planConnectedModeConnection(existing, cloud), { section: 'sonarcloud', connectionId: 'ours', reused: true, writeConnections: false, next: existing });
    assert.equal(planConnectedModeConnection(existing, { ...cloud, region: 'EU' }).reused, false, 'the EU organization is another one');
  });

  describe('hand-off to a stand-in that looks connections up like SonarQube for IDE', () => {
    /** Plans, applies the plan, and asks the stand-in what its edit command would open and where folders point. */
    function handOff(existing: { sonarqube: unknown[]; sonarcloud: unknown[] }, target: typeof server | typeof cloud, folders: Record<string, unknown>[]) {
      const before = folders.map((binding) => lookups.connectionOfBinding(existing.sonarqube, existing.sonarcloud, binding));
      const plan = planConnectedModeConnection(existing, target);
      const after = plan.writeConnections ? plan.next : existing;
      const opened = lookups.connectionForEdit(after[plan.section], plan.connectionId);
      const boundAfter = folders.map((binding) => lookups.connectionOfBinding(after.sonarqube, after.sonarcloud, binding));
      return { plan, opened, before, boundAfter };
    }

    it('opens the form for an entry with an id, changing nothing', () => {
      const entry = { connectionId: 'corp', serverUrl: 'https://sq.example.com/sonarqube' };
      const { plan, opened, before, boundAfter } = handOff({ sonarqube: [entry], sonarcloud: [] }, server, [{ connectionId: 'corp', projectKey: 'shop' }]);
      assert.equal(plan.writeConnections, false);
      assert.equal(opened, entry);
      assert.deepEqual(boundAfter, before);
    });

    it('opens the form for an entry without an id, which the stand-in cannot find as it is, and keeps its folder bindings', () => {
      const entry = { serverUrl: 'https://sq.example.com/sonarqube', disableNotifications: true };
      assert.equal(lookups.connectionForEdit([entry], '<default>'), undefined, 'SonarQube for IDE finds no "<default>" entry');
      const folders = [{ projectKey: 'shop' }, { connectionId: '<default>', projectKey: 'shop' }, { serverId: '<default>', projectKey: 'old' }];
      const { plan, opened, before, boundAfter } = handOff({ sonarqube: [entry], sonarcloud: [] }, server, folders);
      assert.equal(plan.connectionId, '<default>');
      assert.deepEqual(opened, { serverUrl: 'https://sq.example.com/sonarqube', disableNotifications: true, connectionId: '<default>' });
      assert.deepEqual(before.map((found) => found?.serverUrl), Array(3).fill('https://sq.example.com/sonarqube'));
      assert.deepEqual(boundAfter.map((found) => found?.serverUrl), Array(3).fill('https://sq.example.com/sonarqube'), 'existing folder bindings still resolve to it');
      assert.deepEqual(validateConnectedModeConnections('sonarqube', plan.next.sonarqube), []);
    });

    it('gives an id-less Cloud entry a fresh id when another entry already is <default>', () => {
      const existing = { sonarqube: [{ serverUrl: 'https://other.example.com' }], sonarcloud: [{ organizationKey: 'acme', region: 'US' }] };
      const { plan, opened } = handOff(existing, cloud, []);
      assert.equal(plan.connectionId, 'acme');
      assert.deepEqual(opened, { organizationKey: 'acme', region: 'US', connectionId: 'acme' });
      assert.deepEqual(plan.next.sonarqube, existing.sonarqube, 'the other entry is left alone');
    });

    it('opens the form for an entry it added', () => {
      const { plan, opened } = handOff({ sonarqube: [], sonarcloud: [] }, server, []);
      assert.deepEqual(opened, { connectionId: 'https-sq-example-com-sonarqube', serverUrl: 'https://sq.example.com/sonarqube' });
      assert.equal(plan.reused, false);
    });
  });

  it('makes the id unique when a different server already uses it', () => {
    const existing = { sonarqube: [{ connectionId: 'acme', serverUrl: 'https://acme.example.com' }], sonarcloud: [] };
    assert.equal(planConnectedModeConnection(existing, cloud).connectionId, 'acme-2');
  });

  it('removes only the connection it added', () => {
    const plan = planConnectedModeConnection({ sonarqube: [{ connectionId: 'keep', serverUrl: 'https://k' }], sonarcloud: [] }, server);
    assert.deepEqual(removeConnectedModeConnection(plan.next, 'sonarqube', plan.connectionId).sonarqube, [{ connectionId: 'keep', serverUrl: 'https://k' }]);
  });

  it('flags what the schema does not allow', () => {
    assert.deepEqual(validateConnectedModeConnections('sonarqube', [{ serverUrl: 'x', extra: 1 }, { connectionId: 'y' }]), ['sonarqube[0].extra is not allowed', 'sonarqube[1].serverUrl is required']);
    assert.ok(containsToken({ sonarqube: [{ serverUrl: 'x', token: 't' }], sonarcloud: [] }));
  });

  it('writes the shared file exactly as SonarQube for IDE reads it', () => {
    assert.equal(sharedConnectedModeJson(server, 'shop'), '{\n  "sonarQubeUri": "https://sq.example.com/sonarqube",\n  "projectKey": "shop"\n}\n');
    assert.equal(sharedConnectedModeJson(cloud, 'shop'), '{\n  "sonarCloudOrganization": "acme",\n  "projectKey": "shop",\n  "region": "US"\n}\n');
  });
});
