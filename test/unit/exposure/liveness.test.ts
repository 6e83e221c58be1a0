import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import { ExposureModel } from '../../../src/core/exposure/exposureModel';
import { checkLiveness, planCheck } from '../../../src/core/exposure/liveness';
import type { LivenessDeps } from '../../../src/core/exposure/liveness';
import { livenessWords } from '../../../src/core/exposure/findingNodes';
import { findingsInText, nodeScanFiles, scanPlaces } from '../../../src/core/exposure/scan';
import type { Finding } from '../../../src/core/exposure/scan';
import { englishMessage } from '../../../src/core/ports';
import { SonarClient } from '../../../src/core/sonar/client';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { parseServerUrl } from '../../../src/core/sonar/target';
import type { SonarTarget } from '../../../src/core/sonar/types';
import { FakeSonarQube } from '../../fake-sonarqube';
import { RecordingLogger } from '../support/recordingLogger';
import { fill, userTokenValue, workspacePlaces, writeFixtures } from './fixtures';
import { userPlaces } from '../../../src/core/exposure/places';
import type { KnownPlace } from '../../../src/core/exposure/places';

/** Files naming the person's server (known) and another one (never contacted unless confirmed). */
const FILES: Readonly<Record<string, string>> = {
  'home/.cursor/mcp.json': '{ "mcpServers": { "sonarqube": { "command": "docker", "env": { "SONARQUBE_URL": "{knownUrl}", "SONARQUBE_TOKEN": "{alive}" } } } }\n',
  'home/.bashrc': 'export SONARQUBE_URL={knownUrl}\nexport SONARQUBE_TOKEN={revoked}\n',
  'home/.profile': '# the team server\nSONAR_HOST_URL={otherUrl}\nSONAR_TOKEN={onOther}\n',
  'project/.env': 'SONAR_TOKEN={unnamed}\n',
};

describe('exposure liveness: only the person\'s servers, or one they confirm by name', () => {
  let known: FakeSonarQube;
  let other: FakeSonarQube;
  let root: string;
  let connection: ConnectionRecord;
  let values: Record<string, string>;
  let logger: RecordingLogger;

  before(async () => {
    [known, other] = await Promise.all([FakeSonarQube.start(), FakeSonarQube.start()]);
    for (const fake of [known, other]) fake.addUser({ login: 'ada', name: 'Ada Lovelace' });
  });
  after(() => Promise.all([known.close(), other.close()]));

  beforeEach(() => {
    known.requests.length = 0;
    other.requests.length = 0;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exposure-live-'));
    values = {
      alive: known.createToken('ada', { name: `laptop-${path.basename(root)}` }),
      revoked: userTokenValue(),
      onOther: other.createToken('ada', { name: `team-${path.basename(root)}` }),
      unnamed: known.createToken('ada', { name: `env-${path.basename(root)}` }),
      knownUrl: known.url,
      otherUrl: other.url,
    };
    writeFixtures(root, FILES, values);
    const target = (parseServerUrl(known.url) as { ok: true; target: SonarTarget }).target;
    connection = { id: 'c-known', target, label: 'known server', login: 'ada', serverVersion: '2025.1.0.102418', addedAt: '2025-01-01T00:00:00.000Z' };
    logger = new RecordingLogger();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const livenessDeps = (connections: readonly ConnectionRecord[]): LivenessDeps => ({
    connections,
    checkerFor: (target, token, serverVersion) => new SonarClient({ target, token, serverVersion, retry: { maxRetries: 0 } }),
    logger,
  });

  function model(connections: readonly ConnectionRecord[]): ExposureModel {
    const home = path.join(root, 'home');
    const places = [...userPlaces({ platform: 'linux', home, env: {} }), ...workspacePlaces(path.join(root, 'project'))];
    return new ExposureModel({
      scan: () => scanPlaces({ files: nodeScanFiles, git: { trackedFiles: async () => undefined }, ignored: new Set(), ownPlainText: [] }, places),
      files: nodeScanFiles,
      liveness: () => livenessDeps(connections),
      logger,
    });
  }

  const byFile = (exposure: ExposureModel, suffix: string): Finding => {
    const finding = exposure.findings.find((candidate) => candidate.place.path.endsWith(suffix));
    assert.ok(finding, `a finding in ${suffix}`);
    return finding;
  };
  const tokenRequests = (fake: FakeSonarQube) => fake.requests.filter((request) => request.auth !== 'none').map((request) => request.path);

  it('checks what it can on the person\'s connection after the scan, one validate and one users/current each', async () => {
    const exposure = model([connection]);
    await exposure.scan();
    const words = (suffix: string) => livenessWords(exposure.livenessOf(byFile(exposure, suffix).id) as never, englishMessage);
    assert.equal(words('.cursor/mcp.json'), 'alive: ada on known server');
    assert.equal(words('.bashrc'), 'refused by known server');
    assert.equal(words('.env'), 'alive: ada on known server');
    assert.equal(words('.profile'), 'not checked');
    assert.deepEqual(exposure.planOf(byFile(exposure, '.profile')).unconfirmed?.host, new URL(other.url).host);
    // alive: validate + current; refused: validate only. No version probe: the connection knows its version.
    assert.deepEqual(tokenRequests(known).sort(), ['api/authentication/validate', 'api/authentication/validate', 'api/authentication/validate', 'api/users/current', 'api/users/current']);
    assert.equal(known.requests.length, 5);
    assert.equal(other.requests.length, 0, 'the server named only in a file received a request');
  });

  it('sends the token to a server named in a file only after the person confirmed that server for that finding', async () => {
    const exposure = model([connection]);
    await exposure.scan();
    const profile = byFile(exposure, '.profile');
    assert.equal(other.requests.length, 0);
    const plan = exposure.planOf(profile);
    const liveness = await exposure.check(profile.id, plan.unconfirmed!.target);
    assert.equal(liveness?.state, 'alive');
    assert.deepEqual(tokenRequests(other), ['api/authentication/validate', 'api/users/current']);
    assert.equal(livenessWords(liveness, englishMessage), `alive: ada on ${new URL(other.url).host}`);
  });

  it('sends nothing anywhere without a connection, and says why it cannot tell', async () => {
    const exposure = model([]);
    await exposure.scan();
    assert.equal(exposure.findings.length, 4);
    for (const finding of exposure.findings) {
      const liveness = await exposure.check(finding.id);
      assert.equal(liveness?.state, 'unknown');
    }
    assert.equal(known.requests.length + other.requests.length, 0);
  });

  it('reports an unreachable server as unknown, and leaks no value into logs or requests', async () => {
    const exposure = model([{ ...connection, target: { kind: 'server', serverUrl: 'http://127.0.0.1:9' } }]);
    await exposure.scan();
    const env = byFile(exposure, '.env');
    assert.deepEqual(exposure.livenessOf(env.id), { state: 'unknown', reason: 'unreachable' });
    const everything = [logger.lines.join('\n'), JSON.stringify(known.requests), JSON.stringify(other.requests), JSON.stringify(exposure.findings)].join('\n');
    for (const value of [values.alive, values.revoked, values.onOther, values.unnamed]) assert.ok(!everything.includes(value));
  });

  it('finds nothing and asks no server when the places hold no token', async () => {
    for (const relative of Object.keys(FILES)) fs.writeFileSync(path.join(root, relative), fill('# nothing here\nSONARQUBE_URL={otherUrl}\n', values));
    const exposure = model([connection]);
    const result = await exposure.scan();
    assert.equal(result.findings.length, 0);
    assert.equal(known.requests.length + other.requests.length, 0);
  });
});

// The checks below hand the value to a scripted checker that records which server each request went to, so a test
// can say exactly where a found token was sent (and that it was sent nowhere else).
const ENV_PLACE: KnownPlace = { path: '/ws/.env', kind: 'dotenv', syntax: 'lines', scope: 'workspace' };

/** A finding of a generated value in a .env whose other lines (`SONAR_HOST_URL=…`) may name a server. */
function foundIn(lines: readonly string[], value: string = userTokenValue()): { finding: Finding; value: string } {
  const [finding] = findingsInText(ENV_PLACE, [...lines, `SONAR_TOKEN=${value}`, ''].join('\n'));
  assert.ok(finding, 'a finding');
  return { finding, value };
}

const record = (id: string, target: SonarTarget, label: string): ConnectionRecord => ({
  id,
  target,
  label,
  login: 'ada',
  serverVersion: '2025.1.0.102418',
  addedAt: '2025-01-01T00:00:00.000Z',
});

/** What a server answers: the token is alive, `valid: false`, 401 on users/current, no answer, or the check crashes. */
type Answer = 'alive' | 'refused' | 'unauthorized' | 'network' | 'crash';

/** Where a request went: the server URL exactly as the checker got it, or the Cloud region. */
const where = (target: SonarTarget) => (target.kind === 'server' ? target.serverUrl : `SonarQube Cloud ${target.region}`);

class RecordingCheckers {
  /** `<where> <method>` per request, in order. */
  readonly requests: string[] = [];
  readonly handed: Array<{ readonly where: string; readonly token: string; readonly serverVersion?: string }> = [];
  readonly logger = new RecordingLogger();

  constructor(private readonly answers: Readonly<Record<string, Answer>> = {}) {}

  deps(connections: readonly ConnectionRecord[]): LivenessDeps {
    return {
      connections,
      logger: this.logger,
      checkerFor: (target, token, serverVersion) => {
        const at = where(target);
        this.handed.push({ where: at, token, serverVersion });
        const answer = this.answers[at] ?? 'alive';
        const fail = (): never => {
          if (answer === 'crash') throw new Error(`checker crashed holding ${token}`);
          throw new SonarApiError(answer === 'unauthorized' ? 'unauthorized' : 'network', `HTTP failure for ${token}`);
        };
        return {
          validateCredentials: async () => {
            this.requests.push(`${at} validate`);
            if (answer === 'network' || answer === 'crash') fail();
            return answer !== 'refused';
          },
          currentUser: async () => {
            this.requests.push(`${at} currentUser`);
            if (answer === 'unauthorized') fail();
            return { login: 'ada', name: 'Ada Lovelace', globalPermissions: [], isAdmin: false, canScan: true };
          },
        };
      },
    };
  }
}

interface ServerCase {
  readonly name: string;
  /** The lines of the file that name the server. */
  readonly file: readonly string[];
  readonly connection: SonarTarget;
}

/** A file naming another server than the connection's: the finding waits for a confirmation of the named target. */
interface OtherServerCase extends ServerCase {
  readonly waitsFor: { readonly target: SonarTarget; readonly host: string };
}

const A_SONAR: SonarTarget = { kind: 'server', serverUrl: 'https://a.example/sonar' };
const CLOUD_EU: SonarTarget = { kind: 'cloud', region: 'EU', organization: 'acme' };
const CLOUD_US: SonarTarget = { kind: 'cloud', region: 'US', organization: 'acme' };

const OTHER_SERVER_CASES: readonly OtherServerCase[] = [
  {
    name: 'a token found for https://a.example/sonar is not checked with a connection to https://a.example/other',
    file: ['SONAR_HOST_URL=https://a.example/sonar'],
    connection: { kind: 'server', serverUrl: 'https://a.example/other' },
    waitsFor: { target: A_SONAR, host: 'a.example' },
  },
  {
    name: 'a token found for https://a.example/sonar is not checked with a connection to https://a.example (same host, no context path)',
    file: ['SONAR_HOST_URL=https://a.example/sonar'],
    connection: { kind: 'server', serverUrl: 'https://a.example' },
    waitsFor: { target: A_SONAR, host: 'a.example' },
  },
  {
    name: 'a token found for https://a.example is not checked with a connection to https://a.example/sonar',
    file: ['SONAR_HOST_URL=https://a.example/'],
    connection: A_SONAR,
    waitsFor: { target: { kind: 'server', serverUrl: 'https://a.example' }, host: 'a.example' },
  },
  {
    name: 'a token found for https://a.example/sonar is not checked with a connection to https://b.example/sonar (another host)',
    file: ['SONAR_HOST_URL=https://a.example/sonar'],
    connection: { kind: 'server', serverUrl: 'https://b.example/sonar' },
    waitsFor: { target: A_SONAR, host: 'a.example' },
  },
  {
    name: 'a token found for http://a.example/sonar is not checked with a connection to https://a.example/sonar (another scheme)',
    file: ['SONAR_HOST_URL=http://a.example/sonar'],
    connection: A_SONAR,
    waitsFor: { target: { kind: 'server', serverUrl: 'http://a.example/sonar' }, host: 'a.example' },
  },
  {
    name: 'a token found for https://a.example:8443/sonar is not checked with a connection to https://a.example/sonar (another port)',
    file: ['SONAR_HOST_URL=https://a.example:8443/sonar'],
    connection: A_SONAR,
    waitsFor: { target: { kind: 'server', serverUrl: 'https://a.example:8443/sonar' }, host: 'a.example:8443' },
  },
  {
    name: 'a token found for https://a.example/Sonar is not checked with a connection to https://a.example/sonar (the path keeps its case)',
    file: ['SONAR_HOST_URL=https://a.example/Sonar'],
    connection: A_SONAR,
    waitsFor: { target: { kind: 'server', serverUrl: 'https://a.example/Sonar' }, host: 'a.example' },
  },
  {
    name: 'a token found for a server is never checked with a SonarQube Cloud connection',
    file: ['SONAR_HOST_URL=https://a.example/sonar'],
    connection: CLOUD_EU,
    waitsFor: { target: A_SONAR, host: 'a.example' },
  },
  {
    name: 'a token found for SonarQube Cloud (an organization, no URL) is never checked with a server connection',
    file: ['SONARQUBE_ORG=acme'],
    connection: A_SONAR,
    waitsFor: { target: { kind: 'cloud', region: 'EU', organization: 'acme' }, host: 'sonarcloud.io' },
  },
  {
    name: 'a token found for SonarQube Cloud EU (https://sonarcloud.io) is not checked with a Cloud US connection',
    file: ['SONAR_HOST_URL=https://sonarcloud.io'],
    connection: CLOUD_US,
    waitsFor: { target: { kind: 'cloud', region: 'EU' }, host: 'sonarcloud.io' },
  },
  {
    name: 'a token found for SonarQube Cloud US (https://sonarqube.us) is not checked with a Cloud EU connection',
    file: ['SONAR_HOST_URL=https://sonarqube.us'],
    connection: CLOUD_EU,
    waitsFor: { target: { kind: 'cloud', region: 'US' }, host: 'sonarqube.us' },
  },
  {
    name: 'a token found beside an organization with no region is taken for Cloud EU, and not checked with a Cloud US connection',
    file: ['SONARQUBE_ORG=acme'],
    connection: CLOUD_US,
    waitsFor: { target: { kind: 'cloud', region: 'EU', organization: 'acme' }, host: 'sonarcloud.io' },
  },
];

const SAME_SERVER_CASES: readonly ServerCase[] = [
  {
    name: 'a token found for https://a.example/sonar is checked with a connection to https://a.example/sonar/ (a trailing slash is the same server)',
    file: ['SONAR_HOST_URL=https://a.example/sonar'],
    connection: { kind: 'server', serverUrl: 'https://a.example/sonar/' },
  },
  {
    name: 'a token found for https://a.example/sonar is checked with a connection to https://a.example/sonar// (any number of trailing slashes)',
    file: ['SONAR_HOST_URL=https://a.example/sonar'],
    connection: { kind: 'server', serverUrl: 'https://a.example/sonar//' },
  },
  {
    name: 'a token found for https://A.EXAMPLE:443/sonar/ is checked with a connection to https://a.example/sonar (host case, default port)',
    file: ['SONAR_HOST_URL=https://A.EXAMPLE:443/sonar/'],
    connection: A_SONAR,
  },
  {
    name: 'a token found for SonarQube Cloud EU is checked with a Cloud EU connection of another organization (tokens belong to users)',
    file: ['SONAR_HOST_URL=https://sonarcloud.io/organizations/other'],
    connection: CLOUD_EU,
  },
  {
    name: 'a token found beside an organization with no region is checked with a Cloud EU connection',
    file: ['SONARQUBE_ORG=acme'],
    connection: CLOUD_EU,
  },
  {
    name: 'a token found for SonarQube Cloud US is checked with a Cloud US connection',
    file: ['SONAR_HOST_URL=https://sonarqube.us'],
    connection: CLOUD_US,
  },
];

describe('exposure liveness: a found token is sent only to the server or Cloud region its file names', () => {
  for (const { name, file, connection, waitsFor } of OTHER_SERVER_CASES) {
    it(name, async () => {
      const { finding, value } = foundIn(file);
      const checks = new RecordingCheckers();
      const liveness = await checkLiveness(checks.deps([record('c-1', connection, 'my connection')]), finding, value);
      assert.deepEqual(checks.requests, [], 'the token was sent to a connection of another server');
      assert.deepEqual(liveness, { state: 'unknown', reason: 'needsConfirmation', ...waitsFor });
    });
  }

  for (const { name, file, connection } of SAME_SERVER_CASES) {
    it(name, async () => {
      const { finding, value } = foundIn(file);
      const checks = new RecordingCheckers();
      const liveness = await checkLiveness(checks.deps([record('c-1', connection, 'my connection')]), finding, value);
      assert.deepEqual(checks.requests, [`${where(connection)} validate`, `${where(connection)} currentUser`]);
      assert.deepEqual(liveness, { state: 'alive', connectionId: 'c-1', target: connection, serverLabel: 'my connection', login: 'ada', userName: 'Ada Lovelace' });
    });
  }

  it('of several connections, checks a token only on the one to the server its file names', async () => {
    const { finding, value } = foundIn(['SONAR_HOST_URL=https://a.example/sonar/']);
    const checks = new RecordingCheckers({ 'https://a.example/sonar': 'refused' });
    const connections = [
      record('c-other', { kind: 'server', serverUrl: 'https://a.example/other' }, 'other path'),
      record('c-eu', CLOUD_EU, 'acme (EU)'),
      record('c-sonar', A_SONAR, 'a.example/sonar'),
      record('c-root', { kind: 'server', serverUrl: 'https://a.example' }, 'root'),
    ];
    assert.deepEqual(planCheck(finding, connections), { connections: [connections[2]] });
    assert.deepEqual(await checkLiveness(checks.deps(connections), finding, value), { state: 'dead', refusedBy: ['a.example/sonar'] });
    assert.deepEqual(checks.requests, ['https://a.example/sonar validate']);
  });

  it('checks a token whose file names a server the person has no connection to only on that server, once they confirmed it', async () => {
    const { finding, value } = foundIn(['SONAR_HOST_URL=https://a.example/sonar']);
    const checks = new RecordingCheckers();
    const deps = checks.deps([record('c-other', { kind: 'server', serverUrl: 'https://a.example/other' }, 'other path')]);
    assert.deepEqual(await checkLiveness(deps, finding, value), { state: 'unknown', reason: 'needsConfirmation', target: A_SONAR, host: 'a.example' });
    assert.deepEqual(checks.requests, []);
    const confirmed = await checkLiveness(deps, finding, value, { confirmed: A_SONAR });
    assert.deepEqual(confirmed, { state: 'alive', connectionId: undefined, target: A_SONAR, serverLabel: 'a.example/sonar', login: 'ada', userName: 'Ada Lovelace' });
    assert.deepEqual(checks.requests, ['https://a.example/sonar validate', 'https://a.example/sonar currentUser']);
    assert.deepEqual(checks.handed, [{ where: 'https://a.example/sonar', token: value, serverVersion: undefined }]);
  });

  it('checks a token whose file names a URL that is no server address nowhere, not even on the person\'s connections', async () => {
    const { finding, value } = foundIn(['SONAR_HOST_URL=https://ci:hunter2@a.example/sonar']);
    assert.deepEqual(finding.hint, { url: 'https://ci:hunter2@a.example/sonar', organization: undefined });
    const checks = new RecordingCheckers();
    const connections = [record('c-sonar', A_SONAR, 'a.example/sonar'), record('c-eu', CLOUD_EU, 'acme (EU)')];
    assert.deepEqual(planCheck(finding, connections), { connections: [] });
    assert.deepEqual(await checkLiveness(checks.deps(connections), finding, value), { state: 'unknown', reason: 'noServer' });
    assert.deepEqual(checks.requests, []);
  });
});

describe('exposure liveness: which connections a token that names no server is tried on', () => {
  const server = record('c-server', A_SONAR, 'a.example/sonar');
  const cloud = record('c-cloud', CLOUD_EU, 'acme (EU)');
  const hex = () => userTokenValue().slice(4);

  for (const [kind, value, on, tried] of [
    ['a user token (squ_)', userTokenValue(), 'server connections only', ['c-server']],
    ['a global analysis token (sqa_)', `sqa_${hex()}`, 'server connections only', ['c-server']],
    ['a project analysis token (sqp_)', `sqp_${hex()}`, 'server connections only', ['c-server']],
    ['a scoped organization token (sqco_)', `sqco_${hex()}`, 'Cloud connections only', ['c-cloud']],
    ['a bare 40-hex value (Cloud, or an older server)', hex(), 'Cloud connections first, then server ones', ['c-cloud', 'c-server']],
  ] as const) {
    it(`tries ${kind} on ${on}`, () => {
      const { finding } = foundIn([], value);
      assert.deepEqual(planCheck(finding, [server, cloud]).connections.map((connection) => connection.id), tried);
    });
  }

  it('takes a bare value refused by Cloud and by the server as dead, having asked Cloud first', async () => {
    const { finding, value } = foundIn([], hex());
    const checks = new RecordingCheckers({ 'SonarQube Cloud EU': 'refused', 'https://a.example/sonar': 'refused' });
    assert.deepEqual(await checkLiveness(checks.deps([server, cloud]), finding, value), { state: 'dead', refusedBy: ['acme (EU)', 'a.example/sonar'] });
    assert.deepEqual(checks.requests, ['SonarQube Cloud EU validate', 'https://a.example/sonar validate']);
  });

  it('stops at the first connection that knows the token, and hands each checker the value and its connection\'s version', async () => {
    const { finding, value } = foundIn([]);
    const servers = ['https://one.example', 'https://two.example', 'https://three.example'].map((url, index) => ({
      ...record(`c-${index + 1}`, { kind: 'server', serverUrl: url }, new URL(url).host),
      serverVersion: `10.${index + 1}.0.1`,
    }));
    const checks = new RecordingCheckers({ 'https://one.example': 'refused' });
    const liveness = await checkLiveness(checks.deps(servers), finding, value);
    assert.deepEqual(liveness, { state: 'alive', connectionId: 'c-2', target: { kind: 'server', serverUrl: 'https://two.example' }, serverLabel: 'two.example', login: 'ada', userName: 'Ada Lovelace' });
    assert.deepEqual(checks.requests, ['https://one.example validate', 'https://two.example validate', 'https://two.example currentUser']);
    assert.deepEqual(checks.handed, [
      { where: 'https://one.example', token: value, serverVersion: '10.1.0.1' },
      { where: 'https://two.example', token: value, serverVersion: '10.2.0.1' },
    ]);
  });
});

describe('exposure liveness: what a server\'s answer makes of the finding', () => {
  const server = record('c-server', A_SONAR, 'known server');

  for (const [answer, behaviour, liveness, asked, log] of [
    ['refused', 'takes "valid: false" as dead, asks nothing more, logs nothing', { state: 'dead', refusedBy: ['known server'] }, ['validate'], []],
    ['unauthorized', 'takes a 401 on users/current after a valid answer as dead, logging nothing', { state: 'dead', refusedBy: ['known server'] }, ['validate', 'currentUser'], []],
    ['network', 'takes no answer as unknown, and logs which server and the kind of failure, never the value', { state: 'unknown', reason: 'unreachable' }, ['validate'], ['warn [exposure] checking a found token on known server failed: network']],
    ['crash', 'takes a failure that is no API error as unknown, and logs "error", never its message', { state: 'unknown', reason: 'unreachable' }, ['validate'], ['warn [exposure] checking a found token on known server failed: error']],
  ] as const) {
    it(behaviour, async () => {
      const { finding, value } = foundIn([]);
      const checks = new RecordingCheckers({ 'https://a.example/sonar': answer });
      assert.deepEqual(await checkLiveness(checks.deps([server]), finding, value), liveness);
      assert.deepEqual(checks.requests, asked.map((method) => `https://a.example/sonar ${method}`));
      assert.deepEqual(checks.logger.lines, log);
    });
  }

  it('says unknown, not dead, when one server refuses and another cannot be reached', async () => {
    const { finding, value } = foundIn([]);
    const other = record('c-other', { kind: 'server', serverUrl: 'https://b.example' }, 'other server');
    const checks = new RecordingCheckers({ 'https://a.example/sonar': 'refused', 'https://b.example': 'network' });
    assert.deepEqual(await checkLiveness(checks.deps([server, other]), finding, value), { state: 'unknown', reason: 'unreachable' });
    assert.deepEqual(checks.logger.lines, ['warn [exposure] checking a found token on other server failed: network']);
  });
});

describe('exposure liveness: a server under a context path, over HTTP', () => {
  let fake: FakeSonarQube;
  before(async () => {
    fake = await FakeSonarQube.start({ contextPath: '/sonar' });
    fake.addUser({ login: 'ada', name: 'Ada Lovelace' });
  });
  after(() => fake.close());
  beforeEach(() => (fake.requests.length = 0));

  const clientDeps = (connections: readonly ConnectionRecord[]): LivenessDeps => ({
    connections,
    checkerFor: (target, token, serverVersion) => new SonarClient({ target, token, serverVersion, retry: { maxRetries: 0 } }),
    logger: new RecordingLogger(),
  });

  it('sends a token found for <server>/sonar nowhere with connections to <server>/other and <server>, and once to <server>/sonar/', async () => {
    const origin = new URL(fake.url).origin;
    assert.equal(fake.url, `${origin}/sonar`);
    const { finding, value } = foundIn([`SONAR_HOST_URL=${origin}/sonar`], fake.createToken('ada', { name: 'found' }));
    const elsewhere = [record('c-other', { kind: 'server', serverUrl: `${origin}/other` }, 'other'), record('c-root', { kind: 'server', serverUrl: origin }, 'root')];
    assert.deepEqual(await checkLiveness(clientDeps(elsewhere), finding, value), {
      state: 'unknown',
      reason: 'needsConfirmation',
      target: { kind: 'server', serverUrl: `${origin}/sonar` },
      host: new URL(origin).host,
    });
    assert.equal(fake.requests.length, 0);
    const slash = record('c-sonar', { kind: 'server', serverUrl: `${origin}/sonar/` }, 'sonar');
    const liveness = await checkLiveness(clientDeps([...elsewhere, slash]), finding, value);
    assert.equal(liveness.state === 'alive' && liveness.connectionId, 'c-sonar');
    assert.deepEqual(fake.requests.map((request) => [request.path, request.authenticatedLogin]), [['api/authentication/validate', 'ada'], ['api/users/current', 'ada']]);
  });
});
