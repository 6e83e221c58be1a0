// The client per server version: which authentication it uses, which generate parameters it sends, what it learns.
import * as assert from 'node:assert/strict';
import { FakeSonarQube } from '../../fake-sonarqube';
import type { FakeSonarOptions } from '../../fake-sonarqube';
import { cloudCapabilities, serverCapabilities } from '../../../src/core/sonar/capabilities';
import { SonarClient } from '../../../src/core/sonar/client';
import { parseServerUrl } from '../../../src/core/sonar/target';

const now = () => new Date('2025-03-10T12:00:00Z');

describe('Web API client per server version', () => {
  const fakes: FakeSonarQube[] = [];
  afterEach(async () => {
    await Promise.allSettled(fakes.splice(0).map((fake) => fake.close()));
  });

  async function signedIn(options: FakeSonarOptions, tokenExpiry?: string): Promise<{ fake: FakeSonarQube; client: SonarClient; value: string }> {
    const fake = await FakeSonarQube.start({ now, ...options });
    fakes.push(fake);
    fake.addUser({ login: 'ada', scan: true });
    fake.addProject({ key: 'shop', name: 'Shop' });
    const value = fake.createToken('ada', { name: 'sign-in', ...(tokenExpiry ? { expirationDate: tokenExpiry } : {}) });
    const parsed = parseServerUrl(fake.url);
    assert.ok(parsed.ok);
    return { fake, client: new SonarClient({ target: parsed.target, token: value, retry: { maxRetries: 0 } }), value };
  }

  it('uses Basic before 10.4 and Bearer from 10.4, as SonarSource\'s IDE client does', async () => {
    const schemes: Record<string, string[]> = {};
    for (const version of ['9.9.8.100196', '10.3.0.82913', '10.4.1.88267', '2025.1.0.102418', '26.2.0.119303']) {
      const { fake, client } = await signedIn({ version });
      assert.equal((await client.currentUser()).login, 'ada');
      schemes[version] = [...new Set(fake.requests.filter((request) => request.path !== 'api/server/version').map((request) => request.auth))];
    }
    assert.deepEqual(schemes, {
      '9.9.8.100196': ['basic'],
      '10.3.0.82913': ['basic'],
      '10.4.1.88267': ['bearer'],
      '2025.1.0.102418': ['bearer'],
      '26.2.0.119303': ['bearer'],
    });
  });

  it('sends type and projectKey from 9.5 and expirationDate from 9.6 only', async () => {
    const sent: Record<string, Record<string, string>> = {};
    for (const version of ['9.4.0.54424', '9.5.0.56709', '9.6.1.59531']) {
      const { fake, client } = await signedIn({ version });
      await client.generateToken({ name: 'scan', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'shop', expirationDate: '2025-04-01' });
      sent[version] = fake.requests.find((request) => request.path === 'api/user_tokens/generate')!.form;
    }
    assert.deepEqual(sent, {
      '9.4.0.54424': { name: 'scan' },
      '9.5.0.56709': { name: 'scan', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'shop' },
      '9.6.1.59531': { name: 'scan', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'shop', expirationDate: '2025-04-01' },
    });
  });

  it('learns when its own token expires from the server\'s header, and nothing for one that never does', async () => {
    const expiring = await signedIn({}, '2025-06-01');
    assert.equal((await expiring.client.currentUser()).tokenExpiration, '2025-06-01T00:00:00+0000');
    const lasting = await signedIn({});
    assert.equal((await lasting.client.currentUser()).tokenExpiration, undefined);
  });

  it('decides capabilities from the version: token types, expiration and the browser sign-in route', () => {
    const routes = ['9.6.1.59531', '9.7.0.61563', '10.8.1.101195', '2025.1.0.102418', '2026.1.0.110000', '2026.2.0.119245', '26.1.0.118079', '26.2.0.119303'].map(
      (version) => [version, serverCapabilities(version).handshakeRoute ?? 'paste'],
    );
    assert.deepEqual(routes, [
      ['9.6.1.59531', 'paste'],
      ['9.7.0.61563', 'sonarlint/auth'],
      ['10.8.1.101195', 'sonarlint/auth'],
      ['2025.1.0.102418', 'sonarlint/auth'],
      ['2026.1.0.110000', 'sonarlint/auth'],
      ['2026.2.0.119245', 'auth'],
      ['26.1.0.118079', 'sonarlint/auth'],
      ['26.2.0.119303', 'auth'],
    ]);
    assert.deepEqual(serverCapabilities('9.4.0.54424').tokenTypes, ['USER_TOKEN']);
    assert.equal(serverCapabilities('9.5.0.56709').expirationDate, false);
    assert.deepEqual(cloudCapabilities.tokenTypes, ['USER_TOKEN']);
  });
});
