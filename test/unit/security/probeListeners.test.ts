// Probing SonarQube for IDE's eleven ports put eleven abort listeners on one signal: Node printed
// MaxListenersExceededWarning ("11 abort listeners added to [AbortSignal]") on every MCP server start.
import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { HANDSHAKE_PORTS } from '../../../src/core/auth/handshakePorts';
import { probeSonarLintIdePort } from '../../../src/core/mcp/idePort';

describe('attack: probing the IDE ports', () => {
  it('gives each of the eleven requests its own signal, so none carries more than one abort listener', async () => {
    const signals: AbortSignal[] = [];
    let mostListenersOnOneSignal = 0;
    // Like http.get with a signal: one abort listener per request, held until the request ends.
    const fetchStatus = (_port: number, _origin: string, signal: AbortSignal) =>
      new Promise<unknown>((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
        signals.push(signal);
        for (const each of signals) mostListenersOnOneSignal = Math.max(mostListenersOnOneSignal, getEventListeners(each, 'abort').length);
      });
    assert.equal((await probeSonarLintIdePort({ description: '1.101.0 - shop' }, { ports: HANDSHAKE_PORTS, timeoutMs: 50, fetchStatus })).port, undefined);
    assert.equal(signals.length, 11);
    assert.equal(mostListenersOnOneSignal, 1);
    assert.ok(signals.every((signal) => signal.aborted), 'every request is stopped at the timeout');
  });
});
