// Demo and bulk seeding, and the CLI that serves the demo.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { seedDemo, seedMany } from '../../fake-sonarqube';
import { call, fakeLifecycle } from './support';

interface ListedToken {
  name: string;
  type: string;
  expirationDate?: string;
  isExpired?: boolean;
  lastConnectionDate?: string;
}

describe('fake SonarQube: seeding and CLI', () => {
  const startFake = fakeLifecycle();
  const now = new Date('2025-03-10T12:00:00Z');

  for (const flavour of ['server', 'cloud'] as const) {
    it(`seedDemo (${flavour}): sign-in tokens for admin and ada, tokens expiring soon and one expired`, async () => {
      const fake = await startFake({ flavour, now: () => now });
      const demo = seedDemo(fake);
      assert.deepEqual(demo.users.filter((user) => user.admin).map((user) => user.login), ['admin']);
      const current = async (token: string) => (await call(fake, 'api/users/current', { token })).json() as { login: string; permissions: { global: string[] } };
      assert.equal((await current(demo.signInTokens.admin)).login, 'admin');
      assert.ok((await current(demo.signInTokens.admin)).permissions.global.includes('admin'));
      assert.equal((await current(demo.signInTokens.ada)).login, 'ada');

      const tokens = ((await call(fake, 'api/user_tokens/search', { token: demo.signInTokens.ada })).json() as { userTokens: ListedToken[] }).userTokens;
      const weekAhead = now.getTime() + 7 * 86_400_000;
      assert.ok(tokens.some((token) => token.expirationDate && !token.isExpired && Date.parse(token.expirationDate.replace(/(\d{2})(\d{2})$/, '$1:$2')) < weekAhead));
      assert.equal(tokens.filter((token) => token.isExpired).length, 1);
      assert.ok(tokens.some((token) => token.lastConnectionDate) && tokens.some((token) => !token.lastConnectionDate));
      const types = new Set(tokens.map((token) => token.type));
      assert.deepEqual([...types].sort(), flavour === 'server' ? ['GLOBAL_ANALYSIS_TOKEN', 'PROJECT_ANALYSIS_TOKEN', 'USER_TOKEN'] : ['USER_TOKEN']);
      if (flavour === 'cloud') {
        const orgs = (await call(fake, 'api/organizations/search', { token: demo.signInTokens.ada, query: { member: 'true' } })).json() as { organizations: unknown[] };
        assert.equal(orgs.organizations.length, 2);
      }
    });
  }

  // How fast seeding is belongs to `npm run bench`, which seeds larger accounts; a timed unit test fails on a busy machine.
  it('seedMany: thousands of users and tokens, all usable', async () => {
    const fake = await startFake();
    const { logins } = seedMany(fake, { users: 2000, tokensPerUser: 5 });
    assert.equal(logins.length, 2000);
    assert.equal(fake.issuedTokenValues().length, 10_000);
    // The first token of user 1556 (tokens without an expiry: every third one expires).
    const seeded = fake.issuedTokenValues()[1555 * 5]!;
    const who = (await call(fake, 'api/users/current', { token: seeded })).json() as { login: string };
    assert.equal(who.login, 'user-01556');
    const admin = fake.createToken('user-00001', { name: 'admin sign-in' });
    const page = (await call(fake, 'api/users/search', { token: admin, query: { ps: '500' } })).json() as { paging: { total: number } };
    assert.equal(page.paging.total, 2000);
  });

  it('the CLI prints the URL, the demo users and working sign-in tokens', async function () {
    this.timeout(20_000);
    const cli = path.join(__dirname, '..', '..', 'fake-sonarqube', 'cli.js');
    const child = spawn(process.execPath, [cli, '--port', '0', '--seed', 'demo', '--context-path', '/sonarqube'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          if (/ada: +\S+/.test(output)) resolve();
        });
        child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${output}`)));
      });
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/sonarqube)/.exec(output)![1]!;
      const token = /ada: +(\S+)/.exec(output)![1]!;
      assert.match(output, /user admin \(Administrator\) - System Administrator/);
      const response = await fetch(`${url}/api/users/current`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(((await response.json()) as { login: string }).login, 'ada');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
