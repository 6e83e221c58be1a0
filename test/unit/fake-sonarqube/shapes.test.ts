// The fake answers in exactly the shapes of the examples the SonarQube web services ship.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { call, fakeLifecycle, shapeOf, sonarDateTime } from './support';

const examplesDir = path.join('/work/shared/reference/examples');

function example(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(examplesDir, name), 'utf8')) as Record<string, unknown>;
}

describe('fake SonarQube: response shapes match the shipped examples', () => {
  const startFake = fakeLifecycle();

  it('api/users/current', async () => {
    const fake = await startFake();
    fake.addUser({ login: 'obiwan.kenobi', name: 'Obiwan Kenobi', email: 'obiwan.kenobi@starwars.com', scan: true });
    const token = fake.createToken('obiwan.kenobi', { name: 'ide' });
    const body = (await call(fake, 'api/users/current', { token })).json() as Record<string, unknown>;
    const expected = example('users-current-example.json');
    // A user without a project as home page gets `{"type":"PROJECTS"}`, as on the real server: no `component`.
    delete (expected.homepage as Record<string, unknown>).component;
    // The fake's users have no SCM accounts: an empty list stands for the example's list of strings.
    assert.deepEqual(body.scmAccounts, []);
    assert.deepEqual(
      { ...(shapeOf(body, { distinctElements: true }) as object), scmAccounts: ['string'] },
      shapeOf(expected, { distinctElements: true }),
    );
    assert.deepEqual(body.permissions, { global: ['scan'] });
  });

  it('api/user_tokens/search', async () => {
    const fake = await startFake();
    fake.addUser({ login: 'root', admin: true });
    fake.addUser({ login: 'grace.hopper' });
    fake.addProject({ key: 'project-1', name: 'Project 1' });
    fake.createToken('grace.hopper', { name: 'Project scan on AppVeyor', createdAt: '2015-08-02T13:44:27Z' });
    fake.createToken('grace.hopper', { name: 'Project scan on Jenkins', type: 'PROJECT_ANALYSIS_TOKEN', projectKey: 'project-1' });
    fake.createToken('grace.hopper', { name: 'Project scan on Travis' });
    const admin = fake.createToken('root', { name: 'admin' });
    const body = (await call(fake, 'api/user_tokens/search', { token: admin, query: { login: 'grace.hopper' } })).json() as {
      userTokens: { createdAt: string }[];
    };
    assert.deepEqual(shapeOf(body), shapeOf(example('user_tokens-search-example.json')));
    assert.deepEqual(body, {
      ...body,
      login: 'grace.hopper',
      userTokens: [
        { name: 'Project scan on AppVeyor', createdAt: '2015-08-02T13:44:27+0000', type: 'USER_TOKEN' },
        { name: 'Project scan on Jenkins', createdAt: body.userTokens[1]!.createdAt, type: 'PROJECT_ANALYSIS_TOKEN', project: { key: 'project-1', name: 'Project 1' } },
        { name: 'Project scan on Travis', createdAt: body.userTokens[2]!.createdAt, type: 'USER_TOKEN' },
      ],
    });
    for (const token of body.userTokens) assert.match(token.createdAt, sonarDateTime);
  });

  it('api/user_tokens/generate', async () => {
    const fake = await startFake({ now: () => new Date('2022-06-01T10:00:00Z'), utcOffsetMinutes: 60 });
    fake.addUser({ login: 'grace.hopper' });
    const token = fake.createToken('grace.hopper', { name: 'ide' });
    const body = (
      await call(fake, 'api/user_tokens/generate', { token, form: { name: 'Third Party Application', expirationDate: '2022-07-14' } })
    ).json() as Record<string, unknown>;
    assert.deepEqual(shapeOf(body), shapeOf(example('user_tokens-generate-example.json')));
    assert.equal(body.createdAt, '2022-06-01T11:00:00+0100');
    assert.equal(body.expirationDate, '2022-07-14T01:00:00+0100');
    assert.match(body.token as string, /^squ_[0-9a-f]{40}$/);
  });
});
