import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import { ExposureModel } from '../../../src/core/exposure/exposureModel';
import type { LivenessDeps } from '../../../src/core/exposure/liveness';
import { livenessWords } from '../../../src/core/exposure/findingNodes';
import { nodeScanFiles, scanPlaces } from '../../../src/core/exposure/scan';
import type { Finding } from '../../../src/core/exposure/scan';
import { englishMessage } from '../../../src/core/ports';
import { SonarClient } from '../../../src/core/sonar/client';
import { parseServerUrl } from '../../../src/core/sonar/target';
import type { SonarTarget } from '../../../src/core/sonar/types';
import { FakeSonarQube } from '../../fake-sonarqube';
import { RecordingLogger } from '../support/recordingLogger';
import { fill, userTokenValue, workspacePlaces, writeFixtures } from './fixtures';
import { userPlaces } from '../../../src/core/exposure/places';

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
