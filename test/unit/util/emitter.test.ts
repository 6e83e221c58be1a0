// The core's event emitter: who hears an event, and who stops hearing it.
import * as assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/util/emitter';

describe('emitter', () => {
  it('delivers each event to every listener, in the order they subscribed', () => {
    const emitter = new Emitter<number>();
    const heard: string[] = [];
    emitter.event((value) => heard.push(`a${value}`));
    emitter.event((value) => heard.push(`b${value}`));
    emitter.fire(1);
    emitter.fire(2);
    assert.deepEqual(heard, ['a1', 'b1', 'a2', 'b2']);
  });

  it('no longer calls a listener after its dispose, and keeps calling the others', () => {
    const emitter = new Emitter<string>();
    const heard: string[] = [];
    const first = emitter.event((value) => heard.push(`first ${value}`));
    emitter.event((value) => heard.push(`second ${value}`));
    emitter.fire('before');
    first.dispose();
    emitter.fire('after');
    first.dispose(); // a second dispose changes nothing
    emitter.fire('again');
    assert.deepEqual(heard, ['first before', 'second before', 'second after', 'second again']);
  });
});
