// The limiter: at most N tasks at once, started in the order they arrived, each result and failure its own.
import * as assert from 'node:assert/strict';
import { createLimiter } from '../../../src/core/util/limiter';

interface Gate {
  readonly promise: Promise<string>;
  open(value: string): void;
  fail(error: Error): void;
}

function gate(): Gate {
  let open!: (value: string) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<string>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('limiter', () => {
  it('runs at most two tasks at once and starts the next, in arrival order, as each one ends', async () => {
    const limit = createLimiter(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const results = gates.map((g, index) =>
      limit(() => {
        started.push(index);
        return g.promise;
      }),
    );
    const failed = assert.rejects(results[0], { message: 'task 0 failed' });
    await settle();
    assert.deepEqual(started, [0, 1]);
    gates[1].open('b');
    await settle();
    assert.deepEqual(started, [0, 1, 2]);
    gates[0].fail(new Error('task 0 failed'));
    await settle();
    assert.deepEqual(started, [0, 1, 2, 3], 'a failed task frees its place too');
    gates[2].open('c');
    gates[3].open('d');
    await failed;
    assert.deepEqual(await Promise.all(results.slice(1)), ['b', 'c', 'd']);
  });

  it('with a limit of one, runs the tasks one after the other', async () => {
    const limit = createLimiter(1);
    const gates = [gate(), gate()];
    const started: number[] = [];
    const results = gates.map((g, index) => limit(() => (started.push(index), g.promise)));
    await settle();
    assert.deepEqual(started, [0]);
    gates[0].open('a');
    await settle();
    assert.deepEqual(started, [0, 1]);
    gates[1].open('b');
    assert.deepEqual(await Promise.all(results), ['a', 'b']);
    assert.equal(await limit(async () => 'later'), 'later', 'a task after the others ran starts at once');
  });
});
