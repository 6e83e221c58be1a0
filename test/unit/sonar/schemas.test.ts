import * as assert from 'node:assert/strict';
import { SonarApiError } from '../../../src/core/sonar/errors';
import {
  componentsSearchSchema,
  currentUserSchema,
  formatIssuePath,
  generatedTokenSchema,
  organizationsSearchSchema,
  parseResponse,
  serverMessagesOf,
  settingsValuesSchema,
  toCurrentUser,
  toGeneratedToken,
  toMaxTokenLifetime,
  toOrganizations,
  toTokenList,
  toUserPage,
  tokenSearchSchema,
  usersSearchSchema,
} from '../../../src/core/sonar/schemas';
import { readFixture } from './support';

function example(name: string): unknown {
  return JSON.parse(readFixture(name));
}

function invalidResponseOf(action: () => unknown): SonarApiError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof SonarApiError);
    assert.equal(error.kind, 'invalidResponse');
    return error;
  }
  throw new Error('expected invalidResponse');
}

describe('sonar schemas', () => {
  it('accepts the shipped api/user_tokens/search example', () => {
    const list = toTokenList(parseResponse(tokenSearchSchema, example('user_tokens-search-example.json'), 'api/user_tokens/search'));
    assert.equal(list.login, 'grace.hopper');
    assert.deepEqual(
      list.tokens.map((token) => [token.name, token.type, token.project?.key]),
      [
        ['Project scan on AppVeyor', 'USER_TOKEN', undefined],
        ['Project scan on Jenkins', 'PROJECT_ANALYSIS_TOKEN', 'project-1'],
        ['Project scan on Travis', 'USER_TOKEN', undefined],
      ],
    );
    assert.deepEqual(list.tokens[1]?.project, { key: 'project-1', name: 'Project 1' });
  });

  it('accepts the shipped api/user_tokens/generate example', () => {
    const generated = toGeneratedToken(parseResponse(generatedTokenSchema, example('user_tokens-generate-example.json'), 'api/user_tokens/generate'));
    assert.deepEqual(generated, {
      login: 'grace.hopper',
      name: 'Third Party Application',
      token: '123456789',
      createdAt: '2018-01-10T14:06:05+0100',
      type: 'USER_TOKEN',
      expirationDate: '2022-07-14T00:00:00+0100',
    });
  });

  it('accepts the shipped api/users/current example and reads permissions', () => {
    const user = toCurrentUser(parseResponse(currentUserSchema, example('users-current-example.json'), 'api/users/current'), 'api/users/current');
    assert.deepEqual(user, {
      login: 'obiwan.kenobi',
      name: 'Obiwan Kenobi',
      email: 'obiwan.kenobi@starwars.com',
      globalPermissions: ['profileadmin', 'scan'],
      isAdmin: false,
      canScan: true,
    });
    const admin = toCurrentUser(
      parseResponse(currentUserSchema, { isLoggedIn: true, login: 'root', name: 'Root', permissions: { global: ['admin'] } }, 'api/users/current'),
      'api/users/current',
    );
    assert.equal(admin.isAdmin, true);
    assert.equal(admin.canScan, false);
  });

  it('treats an anonymous api/users/current as unauthorized', () => {
    const anonymous = parseResponse(currentUserSchema, { isLoggedIn: false, permissions: { global: [] } }, 'api/users/current');
    assert.throws(
      () => toCurrentUser(anonymous, 'api/users/current'),
      (error: unknown) =>
        error instanceof SonarApiError &&
        error.kind === 'unauthorized' &&
        error.message === 'The server does not recognise the credentials sent to api/users/current.' &&
        error.endpoint === 'api/users/current' &&
        error.status === 200,
    );
  });

  it('reads optional token fields and defaults a missing type to USER_TOKEN (pre-9.5 tokens)', () => {
    const list = toTokenList(
      parseResponse(
        tokenSearchSchema,
        {
          login: 'ada',
          extra: 'ignored',
          userTokens: [
            { name: 'old', createdAt: '2015-01-01T00:00:00+0000' },
            { name: 'ci', createdAt: '2024-01-01T00:00:00+0000', type: 'GLOBAL_ANALYSIS_TOKEN', lastConnectionDate: '2024-02-01T00:00:00+0000', expirationDate: '2024-03-01T00:00:00+0000', isExpired: true },
          ],
        },
        'api/user_tokens/search',
      ),
    );
    assert.deepEqual(list.tokens[0], { name: 'old', type: 'USER_TOKEN', createdAt: '2015-01-01T00:00:00+0000' });
    assert.deepEqual(list.tokens[1], {
      name: 'ci',
      type: 'GLOBAL_ANALYSIS_TOKEN',
      createdAt: '2024-01-01T00:00:00+0000',
      lastConnectionDate: '2024-02-01T00:00:00+0000',
      expirationDate: '2024-03-01T00:00:00+0000',
      isExpired: true,
    });
  });

  const rejections: Array<[string, () => unknown, string]> = [
    ['a token of an unknown type', () => parseResponse(tokenSearchSchema, { login: 'a', userTokens: [{ name: 'x', createdAt: 'd' }, { name: 'y', createdAt: 'd', type: 'USER_TOKEN' }, { name: 'z', createdAt: 'd', type: 'BOGUS' }] }, 'api/user_tokens/search'), 'userTokens[2].type'],
    ['a missing token list', () => parseResponse(tokenSearchSchema, { login: 'a' }, 'api/user_tokens/search'), 'userTokens'],
    ['a generated token without value', () => parseResponse(generatedTokenSchema, { login: 'a', name: 'n', createdAt: 'd', type: 'USER_TOKEN' }, 'api/user_tokens/generate'), 'token'],
    ['a user page without paging total', () => parseResponse(usersSearchSchema, { paging: { pageIndex: 1, pageSize: 50 }, users: [] }, 'api/users/search'), 'paging.total'],
    ['a project without key', () => parseResponse(componentsSearchSchema, { paging: { pageIndex: 1, pageSize: 1, total: 1 }, components: [{ name: 'p' }] }, 'api/components/search'), 'components[0].key'],
    ['an array instead of an object', () => parseResponse(settingsValuesSchema, [], 'api/settings/values'), '(root)'],
  ];
  for (const [what, action, field] of rejections) {
    it(`rejects ${what}, naming ${field}`, () => {
      const error = invalidResponseOf(action);
      assert.equal(error.detail, field);
      assert.match(error.message, new RegExp(field.replace(/[[\]().]/g, '\\$&')));
      assert.ok(error.endpoint?.startsWith('api/'));
    });
  }

  it('formats issue paths like a reader of the JSON would', () => {
    assert.equal(formatIssuePath(['userTokens', 2, 'type']), 'userTokens[2].type');
    assert.equal(formatIssuePath([]), '(root)');
  });

  it('maps the maximum token lifetime setting', () => {
    const lifetime = (value: string | undefined) =>
      toMaxTokenLifetime(parseResponse(settingsValuesSchema, { settings: value === undefined ? [{ key: 'sonar.core.serverBaseURL', value: 'x' }] : [{ key: 'other', value: '1 year' }, { key: 'sonar.auth.token.max.allowed.lifetime', value, inherited: false }] }, 'api/settings/values'));
    assert.deepEqual(lifetime('30 days'), { enforced: true, days: 30 });
    assert.deepEqual(lifetime('90 days'), { enforced: true, days: 90 });
    assert.deepEqual(lifetime('1 year'), { enforced: true, days: 365 });
    assert.deepEqual(lifetime('No expiration'), { enforced: false });
    assert.deepEqual(lifetime(undefined), { enforced: false });
  });

  it('maps user pages, defaulting a missing name to the login', () => {
    const page = toUserPage(parseResponse(usersSearchSchema, { paging: { pageIndex: 2, pageSize: 1, total: 3 }, users: [{ login: 'ada', active: true, email: null, tokensCount: 2, groups: ['g'] }, { login: 'bob', name: 'Bob', active: false }] }, 'api/users/search'));
    assert.deepEqual(page, {
      items: [
        { login: 'ada', name: 'ada', active: true, tokensCount: 2 },
        { login: 'bob', name: 'Bob', active: false },
      ],
      pageIndex: 2,
      pageSize: 1,
      total: 3,
    });
  });

  it('maps organizations, dropping a null description', () => {
    const organizations = toOrganizations(parseResponse(organizationsSearchSchema, { paging: { pageIndex: 1, pageSize: 500, total: 2 }, organizations: [{ key: 'a', name: 'A', description: null }, { key: 'b', name: 'B', description: 'Bee' }] }, 'api/organizations/search'));
    assert.deepEqual(organizations, [{ key: 'a', name: 'A' }, { key: 'b', name: 'B', description: 'Bee' }]);
  });

  it('extracts the server error texts, and none from other shapes', () => {
    assert.deepEqual(serverMessagesOf({ errors: [{ msg: 'one' }, { msg: 'two' }] }), ['one', 'two']);
    assert.deepEqual(serverMessagesOf({ message: 'not sonar' }), []);
    assert.deepEqual(serverMessagesOf('text'), []);
  });
});
