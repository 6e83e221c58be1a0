// What exactly the client puts on the wire: the Authorization header, organization paging, refusals sent nowhere.
import * as assert from 'node:assert/strict';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { SonarClient } from '../../../src/core/sonar/client';
import type { SonarClientOptions } from '../../../src/core/sonar/client';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { parseServerUrl } from '../../../src/core/sonar/target';
import type { SonarTarget } from '../../../src/core/sonar/types';
import { recordingLogger, rejectionOf, sendJson, startLocalServer } from './support';
import type { LocalServer, RecordedRequest } from './support';

// An obviously fake token; its Basic form below was written out by hand, not computed with the code under test.
const token = `squ_${'0'.repeat(40)}`;
const basicHeader = 'Basic c3F1XzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA6';

const servers: LocalServer[] = [];
const dispatchers: Dispatcher[] = [];

async function serve(handler: (request: RecordedRequest) => { status?: number; body: unknown; text?: boolean }): Promise<LocalServer> {
  const server = await startLocalServer((request, response) => {
    const answer = handler(request);
    if (answer.text) {
      response.writeHead(answer.status ?? 200, { 'content-type': 'text/plain' });
      response.end(String(answer.body));
    } else sendJson(response, answer.status ?? 200, answer.body);
  });
  servers.push(server);
  return server;
}

function pathOf(request: RecordedRequest): string {
  return new URL(request.url, 'http://x').pathname;
}

function queryOf(request: RecordedRequest): URLSearchParams {
  return new URL(request.url, 'http://x').searchParams;
}

/** Cloud targets are fixed to sonarcloud.io: this dispatcher sends their requests to the local server instead. */
function redirectTo(server: LocalServer): Dispatcher {
  const agent = new Agent();
  dispatchers.push(agent);
  return agent.compose((dispatch) => (options, handler) => dispatch({ ...options, origin: server.url }, handler));
}

function clientOptions(server: LocalServer): SonarClientOptions {
  const parsed = parseServerUrl(server.url);
  assert.ok(parsed.ok);
  const agent = new Agent();
  dispatchers.push(agent);
  return { target: parsed.target, token, dispatcher: agent, logger: recordingLogger(), retry: { sleep: async () => {} } };
}

function serverClient(server: LocalServer): SonarClient {
  return new SonarClient(clientOptions(server));
}

function cloudClient(server: LocalServer, target: SonarTarget = { kind: 'cloud', region: 'EU', organization: 'acme' }): SonarClient {
  return new SonarClient({ target, token, dispatcher: redirectTo(server), logger: recordingLogger(), retry: { sleep: async () => {} } });
}

describe('SonarClient requests on the wire', () => {
  after(async () => {
    await Promise.allSettled([...servers.map((server) => server.close()), ...dispatchers.map((dispatcher) => dispatcher.close())]);
  });

  describe('the Authorization header', () => {
    function versionedServer(version: string): Promise<LocalServer> {
      return serve((request) => (pathOf(request) === '/api/server/version' ? { body: version, text: true } : { body: { valid: true } }));
    }

    it('sends the token as Basic user name with an empty password to a server before 10.0', async () => {
      const server = await versionedServer('9.9.8.100196');
      assert.equal(await serverClient(server).validateCredentials(), true);
      assert.deepEqual(
        server.requests.map((request) => [pathOf(request), request.headers.authorization]),
        [
          ['/api/server/version', undefined],
          ['/api/authentication/validate', basicHeader],
        ],
      );
    });

    it('sends the token as a Bearer token to a recent server (10.7) and to SonarQube Cloud', async () => {
      const server = await versionedServer('10.7.0.96327');
      assert.equal(await serverClient(server).validateCredentials(), true);
      const cloud = await versionedServer('unused');
      assert.equal(await cloudClient(cloud).validateCredentials(), true);
      const sent = [...server.requests, ...cloud.requests].map((request) => [pathOf(request), request.headers.authorization]);
      assert.deepEqual(sent, [
        ['/api/server/version', undefined],
        ['/api/authentication/validate', `Bearer ${token}`],
        ['/api/authentication/validate', `Bearer ${token}`],
      ]);
    });
  });

  describe('organizations on SonarQube Cloud', () => {
    /** Serves `perPage(page)` organizations on each page, claiming `total` in all. */
    function organizationsServer(total: number, perPage: (page: number) => number): Promise<LocalServer> {
      return serve((request) => {
        const page = Number(queryOf(request).get('p'));
        const organizations = Array.from({ length: perPage(page) }, (_, index) => ({ key: `org-${page}-${index}`, name: `Org ${page}.${index}` }));
        return { body: { paging: { pageIndex: page, pageSize: 500, total }, organizations } };
      });
    }

    const cases: ReadonlyArray<{ what: string; total: number; perPage: (page: number) => number; pages: number[]; count: number }> = [
      { what: 'one page when all fit on it', total: 3, perPage: (page) => (page === 1 ? 3 : 0), pages: [1], count: 3 },
      { what: 'every page of a person in more organizations than one page holds', total: 1100, perPage: (page) => (page < 3 ? 500 : 100), pages: [1, 2, 3], count: 1100 },
      { what: 'two pages that exactly reach the total, without asking for a third', total: 1000, perPage: (page) => (page <= 2 ? 500 : 7), pages: [1, 2], count: 1000 },
      { what: 'the pages up to an empty one when the total promised more', total: 5000, perPage: (page) => (page === 1 ? 500 : 0), pages: [1, 2], count: 500 },
      { what: 'at most 50 pages from a server whose total never comes', total: 1_000_000, perPage: () => 1, pages: Array.from({ length: 50 }, (_, index) => index + 1), count: 50 },
    ];
    for (const { what, total, perPage, pages, count } of cases) {
      it(`lists ${what}`, async () => {
        const server = await organizationsServer(total, perPage);
        const organizations = await cloudClient(server).listOrganizations();
        assert.equal(organizations.length, count);
        assert.equal(new Set(organizations.map((organization) => organization.key)).size, count);
        assert.deepEqual(
          server.requests.map((request) => [pathOf(request), queryOf(request).get('p'), queryOf(request).get('ps'), queryOf(request).get('member')]),
          pages.map((page) => ['/api/organizations/search', String(page), '500', 'true']),
        );
      });
    }
  });

  describe('the version probe', () => {
    it('retries a probe the server answered with 503, and asks again after a probe that failed', async () => {
      const statuses = [503, 500, 200];
      const server = await serve((request) => {
        if (pathOf(request) !== '/api/server/version') return { body: { valid: true } };
        const status = statuses.shift() ?? 200;
        return status === 200 ? { body: '9.9.8.100196', text: true } : { status, body: { errors: [{ msg: 'busy' }] } };
      });
      const sonar = new SonarClient({ ...clientOptions(server), retry: { maxRetries: 1, sleep: async () => {} } });
      const error = await rejectionOf(sonar.validateCredentials());
      assert.ok(error instanceof SonarApiError);
      assert.equal(error.status, 500);
      assert.equal(await sonar.validateCredentials(), true);
      assert.deepEqual(server.requests.map(pathOf), ['/api/server/version', '/api/server/version', '/api/server/version', '/api/authentication/validate']);
    });
  });

  it('reports a GET cancelled while waiting to retry as cancelled and never delivered, without asking again', async () => {
    const server = await serve(() => ({ status: 503, body: { errors: [{ msg: 'busy' }] } }));
    const controller = new AbortController();
    const sonar = new SonarClient({
      target: { kind: 'cloud', region: 'EU', organization: 'acme' },
      token,
      dispatcher: redirectTo(server),
      retry: { sleep: async () => controller.abort() },
    });
    const error = await rejectionOf(sonar.searchTokens(undefined, { signal: controller.signal }));
    assert.ok(error instanceof SonarApiError);
    assert.deepEqual([error.kind, error.maybeDelivered, error.message], ['cancelled', false, 'The request to api/user_tokens/search was cancelled.']);
    assert.equal(server.requests.length, 1);
  });

  it('refuses a SonarQube Cloud project search without an organization before sending anything', async () => {
    const server = await serve(() => ({ body: { paging: { pageIndex: 1, pageSize: 500, total: 0 }, components: [] } }));
    const error = await rejectionOf(cloudClient(server, { kind: 'cloud', region: 'EU' }).scannableProjects('web'));
    assert.ok(error instanceof SonarApiError);
    assert.equal(error.kind, 'badRequest');
    assert.equal(error.message, 'api/components/search on SonarQube Cloud needs an organization.');
    assert.equal(error.endpoint, 'api/components/search');
    assert.deepEqual(server.requests, []);
  });
});
