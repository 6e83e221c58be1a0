// SonarQube for IDE's connection entries: which existing entry counts as the same server or organization, that
// giving one an id leaves every other entry as it was, and what the schema check and the token check report.
import * as assert from 'node:assert/strict';
import {
  containsToken,
  planConnectedModeConnection,
  sharedConnectedModeJson,
  sonarlintConnectionId,
  validateConnectedModeConnections,
} from '../../../src/core/connectedMode/sonarlint';

const server = { kind: 'server', serverUrl: 'https://sonar.example.com/sq' } as const;
const acmeEu = { kind: 'cloud', region: 'EU', organization: 'acme' } as const;
const acmeUs = { kind: 'cloud', region: 'US', organization: 'acme' } as const;

describe('SonarQube for IDE connection entries', () => {
  it('reuses a Server entry written with other case, spaces and several trailing slashes', () => {
    const existing = { sonarqube: [{ connectionId: 'mine', serverUrl: ' HTTPS://SONAR.example.com/SQ// ' }], sonarcloud: [] };
    const plan = planConnectedModeConnection(existing, server);
    assert.deepEqual({ connectionId: plan.connectionId, reused: plan.reused, writeConnections: plan.writeConnections }, { connectionId: 'mine', reused: true, writeConnections: false });
    assert.equal(plan.next, existing);
  });

  it('skips entries that are not objects, have no serverUrl or an unparsable one, and adds its own after them', () => {
    const existing = { sonarqube: ['text', null, { connectionId: 'a' }, { connectionId: 'b', serverUrl: 'not a url' }], sonarcloud: [] };
    const plan = planConnectedModeConnection(existing, server);
    assert.equal(plan.reused, false);
    assert.deepEqual(plan.next.sonarqube, ['text', null, { connectionId: 'a' }, { connectionId: 'b', serverUrl: 'not a url' }, { connectionId: 'https-sonar-example-com-sq', serverUrl: 'https://sonar.example.com/sq' }]);
  });

  it('matches a Cloud entry by organization and region, a missing region being EU and "us" being US', () => {
    const existing = {
      sonarqube: [],
      sonarcloud: [
        { connectionId: 'other-org', organizationKey: 'other', region: 'EU' },
        { connectionId: 'eu-by-default', organizationKey: 'acme' },
        { connectionId: 'us-lower', organizationKey: 'acme', region: 'us' },
      ],
    };
    assert.equal(planConnectedModeConnection(existing, acmeEu).connectionId, 'eu-by-default');
    assert.equal(planConnectedModeConnection(existing, acmeUs).connectionId, 'us-lower');
    const numericRegion = { sonarqube: [], sonarcloud: [{ connectionId: 'n', organizationKey: 'acme', region: 1 }] };
    assert.equal(planConnectedModeConnection(numericRegion, acmeUs).reused, false);
    assert.equal(planConnectedModeConnection(numericRegion, acmeEu).connectionId, 'n');
  });

  it('counts up from -2 past every id already taken', () => {
    const existing = { sonarqube: [], sonarcloud: [{ connectionId: 'acme', organizationKey: 'acme', region: 'US' }, { connectionId: 'acme-2', organizationKey: 'x' }] };
    assert.equal(planConnectedModeConnection(existing, acmeEu).connectionId, 'acme-3');
  });

  it('gives an entry with an empty connectionId the <default> id and leaves every other entry as it was', () => {
    const other = { connectionId: 'other', serverUrl: 'https://other.example.com' };
    const existing = { sonarqube: [other, 'junk', { connectionId: '', serverUrl: 'https://sonar.example.com/sq', disableNotifications: true }], sonarcloud: [] };
    const plan = planConnectedModeConnection(existing, server);
    assert.deepEqual(plan, {
      section: 'sonarqube',
      reused: true,
      writeConnections: true,
      connectionId: '<default>',
      next: { sonarqube: [other, 'junk', { connectionId: '<default>', serverUrl: 'https://sonar.example.com/sq', disableNotifications: true }], sonarcloud: [] },
    });
  });

  it('names a Cloud connection without an organization "sonarcloud" and writes an empty organization key', () => {
    const target = { kind: 'cloud', region: 'EU' } as const;
    assert.equal(sonarlintConnectionId(target), 'sonarcloud');
    assert.deepEqual(planConnectedModeConnection({ sonarqube: [], sonarcloud: [] }, target).next.sonarcloud, [{ connectionId: 'sonarcloud', organizationKey: '', region: 'EU' }]);
    assert.equal(sharedConnectedModeJson(target, 'p'), '{\n  "sonarCloudOrganization": "",\n  "projectKey": "p",\n  "region": "EU"\n}\n');
  });

  it('writes the shared connectedMode.json server address without its trailing slashes', () => {
    assert.equal(sharedConnectedModeJson({ kind: 'server', serverUrl: 'https://sonar.example.com/sq//' }, 'app'), '{\n  "sonarQubeUri": "https://sonar.example.com/sq",\n  "projectKey": "app"\n}\n');
  });

  it('reports a list that is not an array, an item that is not an object and a Cloud region other than EU or US', () => {
    assert.deepEqual(validateConnectedModeConnections('sonarqube', { serverUrl: 'x' }), ['sonarqube must be an array']);
    assert.deepEqual(validateConnectedModeConnections('sonarcloud', ['x', null]), ['sonarcloud[0] must be an object', 'sonarcloud[1] must be an object']);
    assert.deepEqual(validateConnectedModeConnections('sonarcloud', [{ organizationKey: 'a', region: 'APAC' }, { organizationKey: 'b', region: 'EU' }, { organizationKey: 'c', region: 'US' }, { organizationKey: 'd' }]), [
      'sonarcloud[0].region must be EU or US',
    ]);
    assert.deepEqual(validateConnectedModeConnections('sonarqube', [{ serverUrl: 'https://x', region: 'APAC' }]), ['sonarqube[0].region is not allowed']);
  });

  it('finds a token in any entry of either list, and none in lists of entries without one or of non-objects', () => {
    assert.equal(containsToken({ sonarqube: [{ serverUrl: 'https://x' }, { serverUrl: 'https://y', token: 'secret' }], sonarcloud: [] }), true);
    assert.equal(containsToken({ sonarqube: [], sonarcloud: [{ organizationKey: 'a', token: '' }] }), true);
    assert.equal(containsToken({ sonarqube: [null, 'text', { serverUrl: 'https://x' }], sonarcloud: [{ organizationKey: 'a' }] }), false);
    assert.equal(containsToken({ sonarqube: [], sonarcloud: [] }), false);
  });

  it('never reuses an EU entry of the organization for its US target', () => {
    const existing = { sonarqube: [], sonarcloud: [{ connectionId: 'acme-eu', organizationKey: 'acme', region: 'EU' }] };
    const plan = planConnectedModeConnection(existing, acmeUs);
    assert.deepEqual({ connectionId: plan.connectionId, reused: plan.reused }, { connectionId: 'acme', reused: false });
  });

  it('reports no problem for the token and disableNotifications fields the schema allows', () => {
    assert.deepEqual(validateConnectedModeConnections('sonarqube', [{ serverUrl: 'https://x', connectionId: 'x', token: 't', disableNotifications: true }]), []);
    assert.deepEqual(validateConnectedModeConnections('sonarcloud', [{ organizationKey: 'a', connectionId: 'a', region: 'EU', token: 't', disableNotifications: false }]), []);
  });
});
