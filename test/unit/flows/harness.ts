import * as assert from 'node:assert/strict';
import type { Timers } from '../../../src/core/clipboard/autoClear';
import { ConnectionStore } from '../../../src/core/connections/connectionStore';
import { JOURNAL_STATE_KEY, OperationJournal } from '../../../src/core/journal/journal';
import type { JournalEntry } from '../../../src/core/journal/journal';
import type { ConnectionRecord } from '../../../src/core/connections/connectionStore';
import type { ScriptStep } from '../support/scriptedPrompter';
import { ScriptedPrompter } from '../support/scriptedPrompter';
import { bundleTranslator } from '../support/bundleTranslator';
import type { Clipboard } from '../../../src/core/ports';
import { HeldTokens, TokenVault } from '../../../src/core/tokens/heldTokens';
import { FakeTokenApi } from '../support/fakeTokenApi';
import type { FakeTokenApiOptions } from '../support/fakeTokenApi';
import { memorySecretStore } from '../support/memorySecretStore';
import { memoryState } from '../support/memoryState';
import { RecordingLogger } from '../support/recordingLogger';

export const NOW = new Date('2025-03-10T09:00:00Z');

export class FakeClipboard implements Clipboard {
  text = '';
  async readText(): Promise<string> {
    return this.text;
  }
  async writeText(value: string): Promise<void> {
    this.text = value;
  }
}

export const manualTimers: Timers & { readonly pending: Set<unknown> } = {
  pending: new Set(),
  setTimeout(callback) {
    const handle = { callback };
    this.pending.add(handle);
    return handle;
  },
  clearTimeout(handle) {
    this.pending.delete(handle);
  },
};

export const serverConnection: ConnectionRecord = {
  id: 'conn-1',
  target: { kind: 'server', serverUrl: 'https://sonar.example.com' },
  label: 'sonar.example.com',
  login: 'alice',
  canScan: true,
  addedAt: '2025-01-01T00:00:00.000Z',
};

/** Everything a flow touches, in memory. */
export function environment(script: ScriptStep[], apiOptions: FakeTokenApiOptions = {}) {
  const state = memoryState();
  const secrets = memorySecretStore();
  const logger = new RecordingLogger();
  const prompter = new ScriptedPrompter(script);
  const index = new HeldTokens(state, logger);
  const vault = new TokenVault(secrets, index);
  const clipboard = new FakeClipboard();
  const api = new FakeTokenApi(apiOptions);
  const connections = new ConnectionStore(state, { logger, clock: { now: () => NOW } });
  const deps = {
    prompter,
    vault,
    clock: { now: () => NOW },
    t: bundleTranslator,
    logger,
    api,
    machineName: 'devbox',
    clipboard: { clipboard, clearSeconds: 30, timers: manualTimers },
    connections,
  };
  /** No token value in state, logs, anything shown, or what the fake server recorded (which never sees values). */
  const assertNoLeak = (...values: string[]) => {
    const places = { state: state.dump(), logs: logger.lines.join('\n'), shown: prompter.shownText, requests: JSON.stringify(api.calls) };
    for (const value of values) {
      assert.ok(value.length > 8, 'a real value to look for');
      for (const [place, text] of Object.entries(places)) assert.ok(!text.includes(value), `token value leaked into ${place}`);
    }
  };
  return { state, secrets, logger, prompter, vault, index, clipboard, api, connections, deps, assertNoLeak };
}

/**
 * A journal for `env`'s flows, and each state of it as written, without ids, owner and times: what recovery would
 * find after a crash at that point (`[]`: nothing left to repair).
 */
export function recordedJournal(env: Pick<ReturnType<typeof environment>, 'state' | 'logger'>) {
  const journal = new OperationJournal(env.state, { host: 'devbox', pid: 1 }, { now: () => NOW }, env.logger);
  const written: Array<Array<Record<string, unknown>>> = [];
  const update = env.state.update.bind(env.state);
  env.state.update = async (key, value) => {
    await update(key, value);
    // Read back as stored (through JSON, as globalState keeps it).
    if (key === JOURNAL_STATE_KEY) written.push((env.state.get<JournalEntry[]>(JOURNAL_STATE_KEY) ?? []).map(({ id: _id, owner: _owner, startedAt: _started, updatedAt: _updated, ...record }) => record));
  };
  return { journal, written };
}
