// The edges of clearing a copied token: the real timers, a clipboard that cannot be read, and deactivation with
// nothing (or nothing more) to clear.
import * as assert from 'node:assert/strict';
import { copyWithAutoClear, PendingClears, systemTimers } from '../../../src/core/clipboard/autoClear';
import type { Clipboard } from '../../../src/core/ports';
import { manualTimers } from '../support/manualTimers';
import { RecordingLogger } from '../support/recordingLogger';

/** A clipboard that counts what is done to it. */
class CountingClipboard implements Clipboard {
  text = '';
  reads = 0;
  writes: string[] = [];
  async readText(): Promise<string> {
    this.reads += 1;
    return this.text;
  }
  async writeText(value: string): Promise<void> {
    this.writes.push(value);
    this.text = value;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('clipboard clearing edges', () => {
  it('the system timers call back after the delay and clearTimeout cancels a pending callback', async () => {
    const calls: string[] = [];
    await new Promise<void>((resolve) => {
      systemTimers.setTimeout(() => {
        calls.push('fired');
        resolve();
      }, 1);
    });
    const cancelled = systemTimers.setTimeout(() => calls.push('cancelled one fired'), 1);
    systemTimers.clearTimeout(cancelled);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(calls, ['fired']);
  });

  it('a copy that is never cleared (0 seconds) still returns a subscription that can be disposed', async () => {
    const clipboard = new CountingClipboard();
    const subscription = await copyWithAutoClear(clipboard, 'kept-value', 0, { timers: manualTimers() });
    subscription.dispose();
    assert.equal(clipboard.text, 'kept-value');
  });

  it('an unreadable clipboard is left alone and logged by the error name only, never with the value', async () => {
    const logger = new RecordingLogger();
    const timers = manualTimers();
    const value = `copied-${Math.random().toString(36).slice(2)}`;
    let written = '';
    const failing: Clipboard = {
      readText: async () => {
        throw new TypeError(`cannot read ${value}`);
      },
      writeText: async (text) => {
        written = text;
      },
    };
    await copyWithAutoClear(failing, value, 5, { timers, logger });
    timers.fire();
    await settle();
    assert.equal(written, value);
    assert.deepEqual(logger.lines, ['warn [clipboard] could not clear the copied token: TypeError']);
  });

  it('a clipboard failing with something that is not an Error is logged as an unknown error', async () => {
    const logger = new RecordingLogger();
    const pending = new PendingClears();
    const failing: Clipboard = {
      readText: () => Promise.reject('no access'),
      writeText: async () => {},
    };
    await copyWithAutoClear(failing, 'some-value', 5, { timers: manualTimers(), pending });
    await pending.clearNow(failing, logger);
    assert.deepEqual(logger.lines, ['warn [clipboard] could not clear the copied token: unknown error']);
  });

  it('deactivation with nothing pending does not even read the clipboard', async () => {
    const clipboard = new CountingClipboard();
    clipboard.text = 'the person copied this';
    await new PendingClears().clearNow(clipboard);
    assert.equal(clipboard.reads, 0);
    assert.deepEqual(clipboard.writes, []);
  });

  it('deactivation clears once and forgets: a second call does not read or clear the token copied again by hand', async () => {
    const pending = new PendingClears();
    const clipboard = new CountingClipboard();
    await copyWithAutoClear(clipboard, 'value-1', 60, { timers: manualTimers(), pending });
    await pending.clearNow(clipboard);
    assert.equal(pending.size, 0);
    assert.equal(clipboard.reads, 1);
    clipboard.text = 'value-1';
    await pending.clearNow(clipboard);
    assert.equal(clipboard.reads, 1);
    assert.equal(clipboard.text, 'value-1');
    assert.deepEqual(clipboard.writes, ['value-1', '']);
  });
});
