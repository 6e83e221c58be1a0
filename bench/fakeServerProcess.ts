// The fake SonarQube for the tree-load benchmark, in a process of its own: a real server does its work elsewhere,
// so its JSON building and token hashing must not share the client's event loop.
import { FakeSonarQube } from '../test/fake-sonarqube';
import { seedMany } from '../test/fake-sonarqube/seed';

export interface FakeServerReady {
  readonly url: string;
  readonly origin: string;
  readonly version: string;
  /** Sign-in token per login. */
  readonly signIn: Record<string, string>;
}

async function main(): Promise<void> {
  const [users, tokensPerUser, latencyMs] = process.argv.slice(2).map(Number);
  const fake = await FakeSonarQube.start();
  const { logins } = seedMany(fake, { users, tokensPerUser });
  const signIn = Object.fromEntries(logins.map((login) => [login, fake.createToken(login, { name: 'bench sign-in' })]));
  // Hash every token once now, so the first timed request does not pay for the lazy hashing.
  await Promise.all(logins.map((login) => fetch(`${fake.url}/api/user_tokens/search`, { headers: { authorization: `Bearer ${signIn[login]}` } })));
  fake.setLatency(latencyMs);
  const ready: FakeServerReady = { url: fake.url, origin: fake.origin, version: fake.version, signIn };
  process.send?.(ready);
  process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
}

void main();
