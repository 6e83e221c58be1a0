// Ready-made data: a small demo world for `npm start` and editor tests, and bulk data for benchmarks.
import type { FakeSonarQube } from './server';
import { utcDay } from './sonarDate';
import type { TokenInput } from './types';

export interface DemoUser {
  readonly login: string;
  readonly name: string;
  readonly admin: boolean;
}

export interface DemoSeed {
  readonly users: readonly DemoUser[];
  /** User tokens to sign in with, made at seeding time (never committed anywhere). */
  readonly signInTokens: { readonly admin: string; readonly ada: string };
  /** The token name of the sign-in tokens, so tests can tell them from the seeded ones. */
  readonly signInTokenName: string;
}

const dayMs = 86_400_000;
const signInTokenName = 'Demo sign-in';

const demoUsers = [
  { login: 'admin', name: 'Administrator', email: 'admin@example.com', admin: true, scan: true },
  { login: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', admin: false, scan: true },
  { login: 'grace', name: 'Grace Hopper', email: 'grace@example.com', admin: false, scan: true },
  { login: 'linus', name: 'Linus Reader', email: 'linus@example.com', admin: false, scan: false },
  { login: 'ken', name: 'Ken Former', email: 'ken@example.com', admin: false, scan: true, active: false },
];

const demoProjects = [
  { key: 'demo-shop', name: 'Demo Shop', organization: 'acme' },
  { key: 'payments-api', name: 'Payments API', organization: 'acme' },
  { key: 'ada-notes', name: 'Ada Notes', organization: 'ada-personal' },
];

/** Users `admin` (System Administrator) and `ada` (developer) and others, projects, Cloud organizations, and tokens
 * of every type with varied expiry and last use: some expire within a week, one has expired. */
export function seedDemo(fake: FakeSonarQube): DemoSeed {
  const now = fake.now().getTime();
  const day = (offset: number) => utcDay(new Date(now + offset * dayMs));
  const at = (offset: number) => new Date(now + offset * dayMs).toISOString();
  const cloud = fake.flavour === 'cloud';

  for (const user of demoUsers) fake.addUser(user);
  for (const project of demoProjects) fake.addProject(cloud ? project : { key: project.key, name: project.name });
  if (cloud) {
    fake.addOrganization({ key: 'acme', name: 'ACME Corp', description: 'Where Ada and Grace work', members: ['admin', 'ada', 'grace'] });
    fake.addOrganization({ key: 'ada-personal', name: 'Ada Lovelace', members: ['ada'] });
  }

  const tokens: [string, TokenInput][] = [
    ['ada', { name: 'CI pipeline', createdAt: at(-120), lastConnectionDate: at(-2), expirationDate: day(60) }],
    ['ada', { name: 'Laptop', createdAt: at(-85), lastConnectionDate: at(-0.2), expirationDate: day(5) }],
    ['ada', { name: 'Old script', createdAt: at(-400), lastConnectionDate: at(-40), expirationDate: day(-10) }],
    ['ada', { name: 'Never used', createdAt: at(-3) }],
    ['grace', { name: 'Release automation', createdAt: at(-30), lastConnectionDate: at(-1), expirationDate: day(3) }],
    ['admin', { name: 'Backup job', createdAt: at(-200), lastConnectionDate: at(-0.5) }],
  ];
  if (!cloud) {
    tokens.push(
      ['ada', { name: 'Global scanner', type: 'GLOBAL_ANALYSIS_TOKEN', createdAt: at(-50), lastConnectionDate: at(-1), expirationDate: day(25) }],
      ['ada', { name: 'Shop scan', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'demo-shop', createdAt: at(-20), expirationDate: day(6) }],
      ['grace', { name: 'Payments scan', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'payments-api', createdAt: at(-10), lastConnectionDate: at(-3) }],
    );
  }
  for (const [login, token] of tokens) fake.createToken(login, token);

  fake.setBrowserSignInUser('ada');
  return {
    users: demoUsers.map(({ login, name, admin }) => ({ login, name, admin })),
    signInTokens: {
      admin: fake.createToken('admin', { name: signInTokenName }),
      ada: fake.createToken('ada', { name: signInTokenName }),
    },
    signInTokenName,
  };
}

export interface BulkSeed {
  readonly logins: readonly string[];
}

/** `users` users (`user-00001`...) with `tokensPerUser` tokens each, of mixed types and ages; fast enough for
 * tens of thousands of tokens. Adds a project `bulk-project` for the project analysis tokens. */
export function seedMany(fake: FakeSonarQube, counts: { users: number; tokensPerUser: number }): BulkSeed {
  const now = fake.now().getTime();
  const width = Math.max(5, String(counts.users).length);
  const projectKey = 'bulk-project';
  if (fake.flavour === 'server') fake.addProject({ key: projectKey, name: 'Bulk project' });
  const logins: string[] = [];
  for (let u = 1; u <= counts.users; u++) {
    const login = `user-${String(u).padStart(width, '0')}`;
    fake.addUser({ login, name: `User ${u}`, email: `${login}@example.com`, admin: u === 1 });
    logins.push(login);
    for (let t = 1; t <= counts.tokensPerUser; t++) {
      // Deterministic variety: every third token expires (some in the past), every other one was used.
      const seed = u * 31 + t * 7;
      const type = fake.flavour === 'cloud' ? 'USER_TOKEN' : (['USER_TOKEN', 'USER_TOKEN', 'GLOBAL_ANALYSIS_TOKEN', 'PROJECT_ANALYSIS_TOKEN'] as const)[seed % 4]!;
      fake.createToken(login, {
        name: `token-${t}`,
        type,
        ...(type === 'PROJECT_ANALYSIS_TOKEN' ? { projectKey } : {}),
        createdAt: new Date(now - ((seed % 300) + 1) * dayMs),
        ...(t % 3 === 0 ? { expirationDate: new Date(Math.floor(now / dayMs + (seed % 120) - 20) * dayMs) } : {}),
        ...(t % 2 === 0 ? { lastConnectionDate: new Date(now - (seed % 30) * dayMs) } : {}),
      });
    }
  }
  return { logins };
}
