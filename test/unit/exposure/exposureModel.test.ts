// The exposure model the Tokens view draws from: what it holds before the first scan, what a failed scan leaves,
// and a check of a finding whose file has changed since. The files are in memory and there is no connection, so
// nothing is ever sent anywhere.
import * as assert from 'node:assert/strict';
import { ExposureModel } from '../../../src/core/exposure/exposureModel';
import type { KnownPlace } from '../../../src/core/exposure/places';
import { scanPlaces } from '../../../src/core/exposure/scan';
import type { ScanFiles, ScanResult } from '../../../src/core/exposure/scan';
import { silentLogger } from '../../../src/core/ports';
import { userTokenValue } from './fixtures';

const BASHRC: KnownPlace = { path: '/home/ada/.bashrc', kind: 'shellProfile', syntax: 'lines', scope: 'user' };

function memoryFiles(files: Map<string, string>): ScanFiles {
  return {
    size: async (file) => (files.has(file) ? Buffer.byteLength(files.get(file) ?? '') : undefined),
    read: async (file) => (files.has(file) ? Buffer.from(files.get(file) ?? '', 'latin1') : undefined),
  };
}

/** A model over in-memory files, with no connection; `scan` may be replaced. Records the status at each change. */
function modelOver(files: Map<string, string>, scan?: () => Promise<ScanResult>) {
  const scanFiles = memoryFiles(files);
  const model = new ExposureModel({
    scan: scan ?? (() => scanPlaces({ files: scanFiles, git: { trackedFiles: async () => new Set() }, ignored: new Set(), ownPlainText: [] }, [BASHRC])),
    files: scanFiles,
    liveness: () => ({
      connections: [],
      checkerFor: () => {
        throw new Error('no token may be sent anywhere in these tests');
      },
      logger: silentLogger,
    }),
    logger: silentLogger,
  });
  const changes: string[] = [];
  model.onDidChange(() => changes.push(model.status));
  return { model, changes };
}

describe('exposure model', () => {
  it('holds nothing and is idle before the first scan', () => {
    const { model } = modelOver(new Map());
    assert.equal(model.status, 'idle');
    assert.deepEqual(model.findings, []);
    assert.deepEqual(model.lastResult, { findings: [], skipped: [], filesRead: 0 });
    assert.equal(model.finding('anything'), undefined);
    assert.equal(model.livenessOf('anything'), undefined);
  });

  it('keeps what the last scan found, with the files it read, until the next one', async () => {
    const files = new Map([[BASHRC.path, `export SONARQUBE_TOKEN=${userTokenValue()}\n`]]);
    const { model, changes } = modelOver(files);
    const result = await model.scan();
    assert.equal(model.lastResult, result);
    assert.equal(result.filesRead, 1);
    assert.deepEqual(
      model.findings.map((finding) => [finding.place.path, finding.line, finding.key]),
      [[BASHRC.path, 1, 'SONARQUBE_TOKEN']],
    );
    assert.deepEqual(changes, ['scanning', 'done']);
  });

  it('says a scan failed, rethrows its error, keeps the findings it had, and can scan again', async () => {
    const files = new Map([[BASHRC.path, `export SONARQUBE_TOKEN=${userTokenValue()}\n`]]);
    const broken = new Error('the disk went away');
    let fail = false;
    const scanFiles = memoryFiles(files);
    const { model, changes } = modelOver(files, () => {
      if (fail) return Promise.reject(broken);
      return scanPlaces({ files: scanFiles, git: { trackedFiles: async () => undefined }, ignored: new Set(), ownPlainText: [] }, [BASHRC]);
    });
    const first = await model.scan();
    fail = true;
    await assert.rejects(model.scan(), (error) => error === broken);
    assert.equal(model.status, 'failed');
    assert.deepEqual(changes, ['scanning', 'done', 'scanning', 'failed'], 'the view is told about the failure');
    assert.equal(model.lastResult, first, 'the findings of the last good scan stay');
    fail = false;
    await model.scan();
    assert.equal(model.status, 'done');
    assert.deepEqual(changes.slice(4), ['scanning', 'done']);
  });

  it('leaves a finding unchecked, not "checking…", when its file no longer holds the value', async () => {
    const files = new Map([[BASHRC.path, `export SONARQUBE_TOKEN=${userTokenValue()}\n`]]);
    const { model } = modelOver(files);
    await model.scan();
    const [finding] = model.findings;
    files.set(BASHRC.path, 'export SONARQUBE_TOKEN=\n');
    const seen: Array<ReturnType<ExposureModel['livenessOf']>> = [];
    model.onDidChange(() => seen.push(model.livenessOf(finding.id)));
    assert.equal(await model.check(finding.id), undefined);
    assert.deepEqual(seen, ['checking', undefined]);
    assert.equal(model.livenessOf(finding.id), undefined);
  });
});
