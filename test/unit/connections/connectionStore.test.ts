import * as assert from 'node:assert/strict';
import { CONNECTIONS_STATE_KEY, ConnectionStore, connectionLabel, DuplicateConnectionError } from '../../../src/core/connections/connectionStore';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import { memoryState } from '../support/memoryState';
import { RecordingLogger } from '../support/recordingLogger';

const clock = { now: () => new Date('2025-05-01T10:00:00Z') };

function store(initial: Record<string, unknown> = {}, ids: string[] = ['id-1', 'id-2', 'id-3']) {
  const state = memoryState(initial);
  const logger = new RecordingLogger();
  const queue = [...ids];
  return { state, logger, connections: new ConnectionStore(state, { clock, logger, newId: () => queue.shift() ?? 'exhausted' }) };
}

describe('connection labels', () => {
  it('labels a Server by host, port and context path', () => {
    assert.equal(connectionLabel({ kind: 'server', serverUrl: 'https://sonar.example.com' }), 'sonar.example.com');
    assert.equal(connectionLabel({ kind: 'server', serverUrl: 'http://10.0.0.5:9000/sonarqube' }), '10.0.0.5:9000/sonarqube');
  });

  it('labels Cloud by organization and region', () => {
    assert.equal(connectionLabel({ kind: 'cloud', region: 'US', organization: 'acme' }), 'acme (US)');
    assert.equal(connectionLabel({ kind: 'cloud', region: 'EU' }), 'SonarQube Cloud (EU)');
  });
});

describe('ConnectionStore', () => {
  it('adds, lists, updates and removes, firing a change each time', async () => {
    const { connections } = store();
    const seen: number[] = [];
    connections.onDidChange((records) => seen.push(records.length));
    const added = await connections.add({ target: { kind: 'server', serverUrl: 'https://sonar.example.com' }, login: 'alice', isAdmin: true });
    assert.deepEqual(added, { target: { kind: 'server', serverUrl: 'https://sonar.example.com' }, login: 'alice', isAdmin: true, id: 'id-1', label: 'sonar.example.com', addedAt: '2025-05-01T10:00:00.000Z' });
    assert.deepEqual(connections.list(), [added]);
    const updated = await connections.update('id-1', { userName: 'Alice', serverVersion: '2025.1' });
    assert.equal(updated?.userName, 'Alice');
    assert.equal(connections.get('id-1')?.serverVersion, '2025.1');
    assert.equal(await connections.update('missing', { userName: 'x' }), undefined);
    assert.equal(await connections.remove('id-1'), true);
    assert.equal(await connections.remove('id-1'), false);
    assert.deepEqual(connections.list(), []);
    assert.deepEqual(seen, [1, 1, 0]);
  });

  it('keeps ids unique even when the generator repeats itself', async () => {
    const { connections } = store({}, ['same', 'same', 'other']);
    await connections.add({ target: { kind: 'cloud', region: 'EU', organization: 'a' }, login: 'alice' });
    assert.equal(connections.createId(), 'other');
  });

  it('refuses the same Server URL and login, whatever the case of the host or a trailing slash', async () => {
    const { connections } = store();
    await connections.add({ target: { kind: 'server', serverUrl: 'https://sonar.example.com/sq' }, login: 'alice' });
    await assert.rejects(
      connections.add({ target: { kind: 'server', serverUrl: 'https://SONAR.example.com/sq/' }, login: 'alice' }),
      (error: unknown) => error instanceof DuplicateConnectionError && /already signed in to sonar\.example\.com\/sq as alice/.test(error.message),
    );
    await connections.add({ target: { kind: 'server', serverUrl: 'https://sonar.example.com/sq' }, login: 'bob' });
    await connections.add({ target: { kind: 'server', serverUrl: 'https://sonar.example.com/other' }, login: 'alice' });
    assert.equal(connections.list().length, 3);
  });

  it('refuses the same Cloud region, organization and login only', async () => {
    const { connections } = store({}, ['1', '2', '3', '4']);
    const added = await connections.add({ target: { kind: 'cloud', region: 'EU', organization: 'acme' }, login: 'alice' });
    assert.deepEqual(connections.findDuplicate({ kind: 'cloud', region: 'EU', organization: 'acme' }, 'alice'), added);
    assert.equal(connections.findDuplicate({ kind: 'cloud', region: 'US', organization: 'acme' }, 'alice'), undefined);
    assert.equal(connections.findDuplicate({ kind: 'cloud', region: 'EU', organization: 'other' }, 'alice'), undefined);
  });

  it('ignores stored entries that are not valid records, and says so in the log', () => {
    const good: ConnectionRecord = { id: 'ok', target: { kind: 'cloud', region: 'EU', organization: 'acme' }, label: 'acme (EU)', login: 'alice', addedAt: '2025-01-01T00:00:00Z' };
    const { connections, logger } = store({
      [CONNECTIONS_STATE_KEY]: [
        good,
        { ...good, id: 'ok' },
        { ...good, id: 'bad-region', target: { kind: 'cloud', region: 'APAC' } },
        { ...good, id: 'bad-url', target: { kind: 'server', serverUrl: 'ftp://x' } },
        { ...good, id: 'bad-admin', isAdmin: 'yes' },
        { ...good, id: '' },
        'nonsense',
        null,
      ],
    });
    assert.deepEqual(connections.list(), [good]);
    assert.equal(logger.lines.filter((line) => line.startsWith('warn')).length, 7);
    assert.deepEqual(store({ [CONNECTIONS_STATE_KEY]: { not: 'a list' } }).connections.list(), []);
  });

  it('refuses to store an update that would make the record invalid', async () => {
    const { connections } = store();
    await connections.add({ target: { kind: 'server', serverUrl: 'https://sonar.example.com' }, login: 'alice' });
    await assert.rejects(connections.update('id-1', { login: '' }), /invalid connection/);
  });
});
