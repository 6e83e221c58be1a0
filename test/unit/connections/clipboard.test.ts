import * as assert from 'node:assert/strict';
import { copyWithAutoClear } from '../../../src/core/clipboard/autoClear';
import type { Timers } from '../../../src/core/clipboard/autoClear';
import type { Clipboard } from '../../../src/core/ports';

class FakeClipboard implements Clipboard {
  text = '';
  async readText(): Promise<string> {
    return this.text;
  }
  async writeText(value: string): Promise<void> {
    this.text = value;
  }
}

class FakeTimers implements Timers {
  readonly pending = new Map<number, { callback: () => void; milliseconds: number }>();
  private next = 1;
  setTimeout(callback: () => void, milliseconds: number): unknown {
    this.pending.set(this.next, { callback, milliseconds });
    return this.next++;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  async fireAll(): Promise<void> {
    const due = [...this.pending.values()];
    this.pending.clear();
    due.forEach(({ callback }) => callback());
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('copyWithAutoClear', () => {
  it('writes, then clears after the given seconds while the clipboard still holds the value', async () => {
    const clipboard = new FakeClipboard();
    const timers = new FakeTimers();
    await copyWithAutoClear(clipboard, 'value-1', 45, { timers });
    assert.equal(clipboard.text, 'value-1');
    assert.deepEqual([...timers.pending.values()].map((timer) => timer.milliseconds), [45_000]);
    await timers.fireAll();
    assert.equal(clipboard.text, '');
  });

  it('leaves something the person copied since alone', async () => {
    const clipboard = new FakeClipboard();
    const timers = new FakeTimers();
    await copyWithAutoClear(clipboard, 'value-1', 10, { timers });
    clipboard.text = 'a shopping list';
    await timers.fireAll();
    assert.equal(clipboard.text, 'a shopping list');
  });

  it('never clears with 0 seconds, and disposing cancels the pending clear', async () => {
    const clipboard = new FakeClipboard();
    const timers = new FakeTimers();
    await copyWithAutoClear(clipboard, 'value-1', 0, { timers });
    assert.equal(timers.pending.size, 0);
    const pending = await copyWithAutoClear(clipboard, 'value-2', 10, { timers });
    pending.dispose();
    await timers.fireAll();
    assert.equal(clipboard.text, 'value-2');
  });
});
