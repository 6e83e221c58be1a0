import * as assert from 'node:assert/strict';
import {
  containsToken,
  planConnectedModeConnection,
  removeConnectedModeConnection,
  sharedConnectedModeJson,
  sonarlintConnectionId,
  validateConnectedModeConnections,
} from '../../../src/core/connectedMode/sonarlint';

const server = { kind: 'server', serverUrl: 'https://sq.example.com/sonarqube' } as const;
const cloud = { kind: 'cloud', region: 'US', organization: 'acme' } as const;

describe('SonarQube for IDE connected mode', () => {
  it('names connections as SonarQube for IDE does', () => {
    assert.equal(sonarlintConnectionId(server), 'https---sq-example-com-sonarqube');
    assert.equal(sonarlintConnectionId(cloud), 'acme');
  });

  it('adds a connection without a token, keeping every other entry as it was', () => {
    const other = { connectionId: 'mine', serverUrl: 'https://other.example.com', disableNotifications: true };
    const plan = planConnectedModeConnection({ sonarqube: [other], sonarcloud: [] }, server);
    assert.equal(plan.reused, false);
    assert.equal(plan.section, 'sonarqube');
    assert.deepEqual(plan.next.sonarqube, [other, { connectionId: 'https---sq-example-com-sonarqube', serverUrl: 'https://sq.example.com/sonarqube' }]);
    assert.equal(plan.next.sonarqube[0], other, 'untouched entry is the same object');
    assert.ok(!containsToken(plan.next));
    assert.deepEqual(validateConnectedModeConnections('sonarqube', plan.next.sonarqube), []);
    const cloudPlan = planConnectedModeConnection(plan.next, cloud);
    assert.deepEqual(cloudPlan.next.sonarcloud, [{ connectionId: 'acme', organizationKey: 'acme', region: 'US' }]);
    assert.deepEqual(validateConnectedModeConnections('sonarcloud', cloudPlan.next.sonarcloud), []);
  });

  it('reuses the entry for the same server or organization, whatever its id', () => {
    const existing = { sonarqube: [{ serverUrl: 'HTTPS://SQ.example.com/sonarqube/' }], sonarcloud: [{ connectionId: 'ours', organizationKey: 'acme', region: 'us' }] };
    assert.deepEqual(planConnectedModeConnection(existing, server), { section: 'sonarqube', connectionId: '<default>', reused: true, next: existing });
    assert.equal(planConnectedModeConnection(existing, cloud).connectionId, 'ours');
    assert.equal(planConnectedModeConnection(existing, { ...cloud, region: 'EU' }).reused, false, 'the EU organization is another one');
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
