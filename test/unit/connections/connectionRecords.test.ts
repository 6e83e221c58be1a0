// What the connection store accepts from globalState, what counts as the same place, and that an update or a
// removal touches only the record it names.
import * as assert from 'node:assert/strict';
import { CONNECTIONS_STATE_KEY, ConnectionStore, connectionLabel, isConnectionRecord, isDuplicateConnectionError } from '../../../src/core/connections/connectionStore';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import { memoryState } from '../support/memoryState';
import { RecordingLogger } from '../support/recordingLogger';

const clock = { now: () => new Date('2025-05-01T10:00:00Z') };
const good: ConnectionRecord = {
  id: 'ok',
  target: { kind: 'server', serverUrl: 'https://sonar.example.com' },
  label: 'sonar.example.com',
  login: 'alice',
  addedAt: '2025-01-01T00:00:00Z',
};

function store(initial: Record<string, unknown> = {}, ids: string[] = ['id-1', 'id-2', 'id-3']) {
  const state = memoryState(initial);
  const logger = new RecordingLogger();
  const queue = [...ids];
  return { state, logger, connections: new ConnectionStore(state, { clock, logger, newId: () => queue.shift() ?? 'exhausted' }) };
}

describe('connection records', () => {
  it('accepts a record with every optional field of the right type', () => {
    assert.equal(isConnectionRecord({ ...good, userName: 'Alice', isAdmin: false, canScan: true, serverVersion: '2025.1', signInExpiresAt: '2026-01-01' }), true);
    assert.equal(isConnectionRecord({ ...good, target: { kind: 'cloud', region: 'US' } }), true);
    assert.equal(isConnectionRecord({ ...good, target: { kind: 'server', serverUrl: 'http://10.0.0.5:9000' } }), true);
  });

  it('refuses each required field missing or empty and each optional field of the wrong type', () => {
    const refused: Record<string, unknown>[] = [
      { ...good, label: '' },
      { ...good, label: 7 },
      { ...good, login: '' },
      { ...good, addedAt: '' },
      { ...good, userName: 1 },
      { ...good, isAdmin: 'true' },
      { ...good, canScan: 'yes' },
      { ...good, serverVersion: 10 },
      { ...good, signInExpiresAt: 1700000000 },
      { ...good, target: null },
      { ...good, target: 'https://sonar.example.com' },
      { ...good, target: { kind: 'server' } },
      { ...good, target: { kind: 'server', serverUrl: '' } },
      { ...good, target: { kind: 'server', serverUrl: 'not a url' } },
      { ...good, target: { kind: 'server', serverUrl: 'file:///etc/passwd' } },
      { ...good, target: { kind: 'cloud', region: 'EU', organization: '' } },
      { ...good, target: { kind: 'cloud', region: 'EU', organization: 5 } },
      { ...good, target: { kind: 'other', region: 'EU' } },
    ];
    assert.deepEqual(refused.map((record) => isConnectionRecord(record)), refused.map(() => false));
    assert.equal(isConnectionRecord(null), false);
    assert.equal(isConnectionRecord('ok'), false);
  });

  it('logs which stored entry it ignored and why, by position and id', () => {
    const { connections, logger } = store({ [CONNECTIONS_STATE_KEY]: [good, { ...good, label: '' }, good] });
    assert.deepEqual(connections.list(), [good]);
    assert.deepEqual(logger.lines, [
      'warn [connections] ignoring stored connection #1: not a valid record',
      'warn [connections] ignoring stored connection #2: id ok is used twice',
    ]);
    const broken = store({ [CONNECTIONS_STATE_KEY]: 'a string' });
    assert.deepEqual(broken.connections.list(), []);
    assert.deepEqual(broken.logger.lines, ['warn [connections] ignoring stored connections: not a list']);
  });

  it('treats another port, another path or a Server against Cloud as a different place', async () => {
    const { connections } = store();
    await connections.add({ target: { kind: 'server', serverUrl: 'https://sonar.example.com/SQ' }, login: 'alice' });
    assert.equal(connections.findDuplicate({ kind: 'server', serverUrl: 'https://sonar.example.com:8443/SQ' }, 'alice'), undefined);
    assert.equal(connections.findDuplicate({ kind: 'server', serverUrl: 'https://sonar.example.com/sq' }, 'alice'), undefined);
    assert.equal(connections.findDuplicate({ kind: 'server', serverUrl: 'http://sonar.example.com/SQ' }, 'alice'), undefined);
    assert.equal(connections.findDuplicate({ kind: 'cloud', region: 'EU' }, 'alice'), undefined);
    assert.equal(connections.findDuplicate({ kind: 'server', serverUrl: 'https://sonar.example.com/SQ//' }, 'alice')?.id, 'id-1');
    await connections.add({ target: { kind: 'cloud', region: 'EU' }, login: 'alice' });
    assert.equal(connections.findDuplicate({ kind: 'server', serverUrl: 'https://sonar.example.com/other' }, 'alice'), undefined);
  });

  it('refuses an id already in use instead of storing two records under it', async () => {
    const { connections, state } = store();
    await connections.add({ target: { kind: 'cloud', region: 'EU', organization: 'a' }, login: 'alice' }, 'taken');
    await assert.rejects(connections.add({ target: { kind: 'cloud', region: 'EU', organization: 'b' }, login: 'alice' }, 'taken'), /Connection id taken is already in use/);
    assert.deepEqual((state.get(CONNECTIONS_STATE_KEY) as ConnectionRecord[]).map((record) => record.id), ['taken']);
  });

  it('an update changes only the named record and can change neither its id nor when it was added', async () => {
    const { connections, state } = store();
    await connections.add({ target: { kind: 'cloud', region: 'EU', organization: 'a' }, login: 'alice' });
    await connections.add({ target: { kind: 'cloud', region: 'EU', organization: 'b' }, login: 'alice', label: 'Team B' });
    const changes = { userName: 'Alice', id: 'hijacked', addedAt: '1999-01-01T00:00:00Z' } as Parameters<ConnectionStore['update']>[1];
    const updated = await connections.update('id-2', changes);
    assert.deepEqual(updated, { target: { kind: 'cloud', region: 'EU', organization: 'b' }, login: 'alice', label: 'Team B', id: 'id-2', addedAt: '2025-05-01T10:00:00.000Z', userName: 'Alice' });
    assert.deepEqual(state.get(CONNECTIONS_STATE_KEY), [
      { target: { kind: 'cloud', region: 'EU', organization: 'a' }, login: 'alice', id: 'id-1', label: 'a (EU)', addedAt: '2025-05-01T10:00:00.000Z' },
      updated,
    ]);
  });

  it('a removal keeps the other records and announces the remaining list', async () => {
    const { connections, state } = store();
    await connections.add({ target: { kind: 'cloud', region: 'EU', organization: 'a' }, login: 'alice' });
    await connections.add({ target: { kind: 'cloud', region: 'US', organization: 'b' }, login: 'alice' });
    const announced: string[][] = [];
    connections.onDidChange((records) => announced.push(records.map((record) => record.id)));
    assert.equal(await connections.remove('id-1'), true);
    assert.deepEqual(announced, [['id-2']]);
    assert.deepEqual((state.get(CONNECTIONS_STATE_KEY) as ConnectionRecord[]).map((record) => record.id), ['id-2']);
    assert.equal(await connections.remove('missing'), false);
    assert.deepEqual(announced, [['id-2']]);
  });

  it('reads an empty globalState as no connections without a warning', () => {
    const { connections, logger } = store();
    assert.deepEqual(connections.list(), []);
    assert.deepEqual(logger.lines, []);
  });

  it('labels a Server without any of the trailing slashes of its context path', () => {
    assert.equal(connectionLabel({ kind: 'server', serverUrl: 'https://sonar.example.com/sonarqube//' }), 'sonar.example.com/sonarqube');
  });

  it('recognises the duplicate error it throws, and not another error that only shares its name or a field', async () => {
    const { connections } = store();
    await connections.add({ target: { kind: 'cloud', region: 'EU', organization: 'a' }, login: 'alice' });
    const thrown = await connections.add({ target: { kind: 'cloud', region: 'EU', organization: 'a' }, login: 'alice' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.equal(isDuplicateConnectionError(thrown), true);
    assert.equal((thrown as Error).name, 'DuplicateConnectionError');
    const sameName = Object.assign(new Error('x'), { name: 'DuplicateConnectionError' });
    assert.equal(isDuplicateConnectionError(sameName), false);
    assert.equal(isDuplicateConnectionError(Object.assign(new Error('x'), { existing: good })), false);
  });

  it('reads the connections stored under sonarqubeTokens.connections, the key earlier versions wrote', () => {
    const { connections } = store({ 'sonarqubeTokens.connections': [good] });
    assert.deepEqual(connections.list(), [good]);
  });

  it('finds the duplicate of a stored Server URL that ends in several slashes', async () => {
    const { connections } = store({ [CONNECTIONS_STATE_KEY]: [{ ...good, target: { kind: 'server', serverUrl: 'https://sonar.example.com/sq//' } }] });
    assert.equal(connections.findDuplicate({ kind: 'server', serverUrl: 'https://sonar.example.com/sq' }, 'alice')?.id, 'ok');
  });

  it('refuses a stored Server whose scheme only ends in http', () => {
    assert.equal(isConnectionRecord({ ...good, target: { kind: 'server', serverUrl: 'xhttp://sonar.example.com' } }), false);
    assert.equal(isConnectionRecord({ ...good, target: { kind: 'server', serverUrl: 'shttps://sonar.example.com' } }), false);
  });
});
