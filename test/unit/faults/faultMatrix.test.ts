// Every Web API operation against every fault the network or a server can produce, through the real client and the
// fake SonarQube. Each cell: the error kind, and a message that names the connection, the cause and the fix.
// `WRITE_RELIABILITY_DOC=1` rewrites the matrix in docs/reliability.md from the observed behaviour.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { describeSonarError } from '../../../src/core/flows/describeError';
import { englishMessage } from '../../../src/core/ports';
import { SonarClient } from '../../../src/core/sonar/client';
import { isSonarApiError } from '../../../src/core/sonar/errors';
import type { SonarErrorKind } from '../../../src/core/sonar/errors';
import { createDispatcher } from '../../../src/core/sonar/transport';
import type { SonarTarget, TokenApi } from '../../../src/core/sonar/types';
import { FakeSonarQube } from '../../fake-sonarqube';
import type { Fault } from '../../fake-sonarqube';

const LABEL = 'sq.example.com';
const TIMEOUT_MS = 400;

interface Operation {
  readonly name: string;
  readonly route: string;
  readonly flavour: 'server' | 'cloud';
  readonly call: (api: TokenApi) => Promise<unknown>;
}

const operations: Operation[] = [
  { name: 'sign-in check', route: 'api/users/current', flavour: 'server', call: (api) => api.currentUser() },
  { name: 'token list', route: 'api/user_tokens/search', flavour: 'server', call: (api) => api.searchTokens() },
  { name: 'generate', route: 'api/user_tokens/generate', flavour: 'server', call: (api) => api.generateToken({ name: 'matrix' }) },
  { name: 'revoke', route: 'api/user_tokens/revoke', flavour: 'server', call: (api) => api.revokeToken({ name: 'matrix' }) },
  { name: 'users list', route: 'api/users/search', flavour: 'server', call: (api) => api.searchUsers({ page: 1, pageSize: 500 }) },
  { name: 'project search', route: 'api/projects/search_my_scannable_projects', flavour: 'server', call: (api) => api.scannableProjects('') },
  { name: 'organizations', route: 'api/organizations/search', flavour: 'cloud', call: (api) => api.listOrganizations() },
];

type Setup = { fault: Fault } | { environment: 'refused' | 'dns' | 'selfSigned' | 'expired' };

interface FaultCase {
  readonly name: string;
  readonly setup: Setup;
  /** The kind a person sees for it. */
  readonly expected: readonly SonarErrorKind[];
  /** Words that tell the person what to do. */
  readonly fix: RegExp;
  /** Operations that succeed despite the fault, by design (e.g. the project search falls back on a 404). */
  readonly harmlessFor?: readonly string[];
}

const fixes = {
  signIn: /Sign in again/,
  permission: /permission/,
  network: /Check the URL, your network and the proxy/,
  wait: /Wait .* try again|Try again later/,
  certificate: /certificate authority/,
  notSonar: /Check that the URL points to SonarQube/,
  serverSaid: /The server said:/,
  timeout: /requestTimeoutSeconds/,
  unsupported: /not support|could not find/,
};

const faults: FaultCase[] = [
  { name: '400, one error', setup: { fault: { kind: 'status', status: 400, body: { errors: [{ msg: 'Bad thing' }] } } }, expected: ['badRequest'], fix: fixes.serverSaid },
  { name: '400, several errors', setup: { fault: { kind: 'status', status: 400, body: { errors: [{ msg: 'One' }, { msg: 'Two' }] } } }, expected: ['badRequest'], fix: /The server said: One Two/ },
  { name: '401, empty body', setup: { fault: { kind: 'status', status: 401, body: '' } }, expected: ['unauthorized'], fix: fixes.signIn },
  { name: '403', setup: { fault: { kind: 'status', status: 403, body: { errors: [{ msg: 'Insufficient privileges' }] } } }, expected: ['forbidden'], fix: fixes.permission },
  { name: '404', setup: { fault: { kind: 'status', status: 404, body: { errors: [{ msg: 'Unknown url' }] } } }, expected: ['notFound'], fix: fixes.unsupported, harmlessFor: ['project search'] },
  { name: '405', setup: { fault: { kind: 'status', status: 405, body: { errors: [{ msg: 'HTTP method POST is required' }] } } }, expected: ['methodNotAllowed'], fix: fixes.unsupported },
  { name: '429 with Retry-After', setup: { fault: { kind: 'rateLimit', retryAfterSeconds: 120 } }, expected: ['rateLimited'], fix: /Wait 120 s and try again/ },
  { name: '429 without Retry-After', setup: { fault: { kind: 'rateLimit' } }, expected: ['rateLimited'], fix: /Wait a few minutes/ },
  { name: '500', setup: { fault: { kind: 'status', status: 500, body: { errors: [{ msg: 'An error has occurred. Please contact your administrator' }] } } }, expected: ['server'], fix: fixes.wait },
  { name: '502', setup: { fault: { kind: 'status', status: 502, body: 'Bad Gateway' } }, expected: ['server'], fix: fixes.wait },
  { name: '503', setup: { fault: { kind: 'status', status: 503, body: 'Service Unavailable' } }, expected: ['server'], fix: fixes.wait },
  { name: '504', setup: { fault: { kind: 'status', status: 504, body: 'Gateway Timeout' } }, expected: ['server'], fix: fixes.wait },
  { name: 'connection refused', setup: { environment: 'refused' }, expected: ['network'], fix: fixes.network },
  { name: 'DNS failure', setup: { environment: 'dns' }, expected: ['network'], fix: fixes.network },
  { name: 'connection reset mid-body', setup: { fault: { kind: 'resetMidBody' } }, expected: ['network'], fix: fixes.network },
  { name: 'timeout before headers', setup: { fault: { kind: 'delay', ms: 5_000 } }, expected: ['timeout'], fix: fixes.timeout },
  { name: 'timeout mid-body', setup: { fault: { kind: 'stallMidBody' } }, expected: ['timeout'], fix: fixes.timeout },
  { name: 'TLS: self-signed certificate', setup: { environment: 'selfSigned' }, expected: ['tls'], fix: fixes.certificate },
  { name: 'TLS: expired certificate', setup: { environment: 'expired' }, expected: ['tls'], fix: fixes.certificate },
  { name: 'HTML login page with 200', setup: { fault: { kind: 'html' } }, expected: ['invalidResponse'], fix: fixes.notSonar },
  { name: 'redirect to a login page', setup: { fault: { kind: 'redirectToLogin' } }, expected: ['invalidResponse'], fix: fixes.notSonar },
  // A revoke is answered 204 and its body is never read: a broken body there is harmless, anywhere else it is not.
  { name: 'invalid JSON', setup: { fault: { kind: 'malformedJson' } }, expected: ['invalidResponse'], fix: fixes.notSonar, harmlessFor: ['revoke'] },
  { name: 'JSON of the wrong shape', setup: { fault: { kind: 'wrongShape' } }, expected: ['invalidResponse'], fix: fixes.notSonar, harmlessFor: ['revoke'] },
  { name: 'empty body', setup: { fault: { kind: 'emptyBody' } }, expected: ['invalidResponse'], fix: fixes.notSonar, harmlessFor: ['revoke'] },
  { name: '50 MB body', setup: { fault: { kind: 'hugeBody', bytes: 50 * 1024 * 1024 } }, expected: ['invalidResponse'], fix: fixes.notSonar },
  { name: 'slow-loris trickle', setup: { fault: { kind: 'trickle', bytesPerSecond: 20 } }, expected: ['timeout'], fix: fixes.timeout, harmlessFor: ['revoke'] },
];

interface Cell {
  readonly operation: string;
  readonly fault: string;
  readonly outcome: string;
  readonly message: string;
  readonly ms: number;
}

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('fault matrix: every operation, every fault', function () {
  this.timeout(20_000);
  const cells: Cell[] = [];
  const fakes: Partial<Record<string, FakeSonarQube>> = {};
  const dispatchers: Dispatcher[] = [];
  const tokens = new Map<string, string>();

  async function fakeFor(key: string, start: () => Promise<FakeSonarQube>): Promise<FakeSonarQube> {
    if (!fakes[key]) {
      const fake = await start();
      fake.addUser({ login: 'ada', name: 'Ada', admin: true, scan: true });
      fake.addProject({ key: 'shop', name: 'Shop' });
      if (fake.flavour === 'cloud') fake.addOrganization({ key: 'acme', name: 'Acme', members: ['ada'] });
      tokens.set(key, fake.createToken('ada', { name: 'sign-in' }));
      fakes[key] = fake;
    }
    return fakes[key]!;
  }

  /** A client for the case, with a short timeout and no waiting between retries. */
  async function clientFor(operation: Operation, setup: Setup): Promise<{ api: TokenApi; fake?: FakeSonarQube }> {
    const retry = { sleep: async () => undefined, maxRetryAfterMs: 0 };
    const options = { timeoutMs: TIMEOUT_MS, retry };
    if ('environment' in setup && (setup.environment === 'refused' || setup.environment === 'dns')) {
      const serverUrl = setup.environment === 'dns' ? 'http://sonarqube.does-not-exist.invalid' : `http://127.0.0.1:${await closedPort()}`;
      return { api: new SonarClient({ target: { kind: 'server', serverUrl }, token: 'squ_' + '0'.repeat(40), serverVersion: '2025.1', ...options }) };
    }
    if ('environment' in setup) {
      const expired = setup.environment === 'expired';
      const fake = await fakeFor(setup.environment, () => FakeSonarQube.start({ https: expired ? { expired: true } : true }));
      // The expired case trusts the fake's CA, so only the date is wrong; the self-signed case trusts nothing extra.
      const dispatcher = createDispatcher(fake.origin, expired ? { ca: [fake.caCertificate!] } : {});
      dispatchers.push(dispatcher);
      return { api: new SonarClient({ target: { kind: 'server', serverUrl: fake.url }, token: tokens.get(setup.environment)!, dispatcher, serverVersion: '2025.1', ...options }), fake };
    }
    const fake = await fakeFor(operation.flavour, () => FakeSonarQube.start({ flavour: operation.flavour }));
    fake.clearFaults();
    fake.inject(operation.route, setup.fault);
    const target: SonarTarget = operation.flavour === 'cloud' ? { kind: 'cloud', region: 'EU', organization: 'acme' } : { kind: 'server', serverUrl: fake.url };
    const agent = new Agent();
    dispatchers.push(agent);
    // Cloud targets are fixed to sonarcloud.io: send their requests to the loopback fake instead.
    const dispatcher = operation.flavour === 'cloud' ? agent.compose((dispatch) => (request, handler) => dispatch({ ...request, origin: fake.origin }, handler)) : agent;
    return { api: new SonarClient({ target, token: tokens.get(operation.flavour)!, dispatcher, serverVersion: fake.version, ...options }), fake };
  }

  after(async () => {
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.close().catch(() => undefined)));
    await Promise.all(Object.values(fakes).map((fake) => fake!.close()));
    const table = [
      '| operation | fault | outcome | message shown | time |',
      '| --- | --- | --- | --- | --- |',
      ...cells.map((cell) => `| ${cell.operation} | ${cell.fault} | ${cell.outcome} | ${cell.message.replace(/\|/g, '\\|')} | ${cell.ms} ms |`),
    ].join('\n');
    process.stdout.write(`\n${table}\n`);
    if (process.env.WRITE_RELIABILITY_DOC === '1') {
      const doc = path.resolve(__dirname, '../../../../docs/reliability.md');
      const text = fs.readFileSync(doc, 'utf8');
      const begin = '<!-- fault-matrix:begin -->';
      const end = '<!-- fault-matrix:end -->';
      fs.writeFileSync(doc, text.slice(0, text.indexOf(begin) + begin.length) + `\n${table}\n` + text.slice(text.indexOf(end)));
    }
  });

  for (const operation of operations) {
    for (const fault of faults) {
      // Network and certificate faults do not depend on the operation: the Server operations cover them.
      if (operation.flavour === 'cloud' && 'environment' in fault.setup) continue;
      it(`${operation.name}: ${fault.name}`, async () => {
        const { api, fake } = await clientFor(operation, fault.setup);
        const issuedBefore = fake?.issuedTokenValues().length ?? 0;
        const started = Date.now();
        let outcome: string;
        let message = '';
        try {
          await operation.call(api);
          outcome = 'ok';
        } catch (error) {
          assert.ok(isSonarApiError(error), `a typed error, not ${String(error)}`);
          outcome = error.kind;
          message = describeSonarError(error, LABEL, englishMessage);
          assert.ok(message.includes(LABEL), `names the connection: ${message}`);
          assert.match(message, fault.fix);
        }
        const ms = Date.now() - started;
        const expected: readonly string[] = fault.harmlessFor?.includes(operation.name) ? ['ok'] : fault.expected;
        assert.ok(expected.includes(outcome), `${outcome} is not one of ${expected.join(', ')}`);
        assert.ok(ms < TIMEOUT_MS * 4 + 1_000, `bounded by the timeout (${ms} ms)`);
        if (operation.name === 'generate' && fake && outcome !== 'ok') {
          const generated = fake.requests.filter((request) => request.path === operation.route).length;
          assert.ok(generated <= 1, 'generate is never sent twice');
          assert.ok(fake.issuedTokenValues().length - issuedBefore <= 1);
        }
        fake?.requests.splice(0);
        cells.push({ operation: operation.name, fault: fault.name, outcome, message, ms });
      });
    }
  }
});
