// Attacks on the browser sign-in listener: another local program binds [::1]:<port> after we took 127.0.0.1:<port>
// (browsers that resolve localhost to ::1 first would hand it the token), or starts a token POST and sends the
// body slowly, holding the one delivery slot until the sign-in times out.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startBrowserSignIn } from '../../../src/core/auth/browserSignIn';
import type { BrowserSignIn, BrowserSignInOptions } from '../../../src/core/auth/browserSignIn';

const SERVER_ORIGIN = 'https://sonar.example.com';
const newToken = (): string => `squ_${randomBytes(20).toString('hex')}`;

function ipv6LoopbackAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '::1', port: 0 }, () => probe.close(() => resolve(true)));
  });
}

/** Ports free on both loopback addresses right now. */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const server = net.createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
    await new Promise((resolve) => server.close(resolve));
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}

/** What a squatter gets when it tries to bind the address after us. */
function bindOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const squatter = net.createServer();
    squatter.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    squatter.listen({ host, port, ipv6Only: host === '::1' }, () => squatter.close(() => resolve('bound')));
  });
}

function post(host: string, port: number, body: string, hostHeader: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host, port, method: 'POST', path: '/sonarlint/api/token', agent: false, headers: { host: hostHeader, origin: SERVER_ORIGIN, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('attack: squatting the browser sign-in', () => {
  let listener: BrowserSignIn | undefined;
  let ports: number[];
  const start = async (options: Partial<BrowserSignInOptions> = {}) =>
    (listener = await startBrowserSignIn({ serverOrigin: SERVER_ORIGIN, ideName: 'Visual Studio Code', description: 'SonarQube Tokens', ports, ...options }));

  beforeEach(async () => (ports = await freePorts(2)));
  afterEach(() => {
    listener?.close();
    listener = undefined;
  });

  it('holds the port on ::1 as well as 127.0.0.1 for the whole handshake', async function () {
    if (!(await ipv6LoopbackAvailable())) this.skip(); // without IPv6 loopback nobody can bind ::1 either
    const signIn = await start();
    assert.equal(await bindOutcome('::1', signIn.port), 'EADDRINUSE');
    assert.equal(await bindOutcome('127.0.0.1', signIn.port), 'EADDRINUSE');
    const token = newToken();
    assert.equal((await post('::1', signIn.port, JSON.stringify({ token }), `[::1]:${signIn.port}`)).status, 200);
    assert.equal(await signIn.token, token);
    assert.equal(await bindOutcome('::1', signIn.port), 'bound', 'both addresses are freed afterwards');
    assert.equal(await bindOutcome('127.0.0.1', signIn.port), 'bound');
  });

  it('drops a token request whose body does not arrive in time, so a real delivery gets through', async () => {
    const signIn = await start({ bodyTimeoutMs: 200 });
    const slow = net.connect({ host: '127.0.0.1', port: signIn.port });
    await new Promise((resolve) => slow.once('connect', resolve));
    const answer = new Promise<string>((resolve) => {
      let text = '';
      slow.on('data', (chunk) => (text += chunk.toString('latin1')));
      slow.on('close', () => resolve(text));
    });
    slow.write(`POST /sonarlint/api/token HTTP/1.1\r\nHost: 127.0.0.1:${signIn.port}\r\nOrigin: ${SERVER_ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n{"tok`);
    assert.match(await answer, /^HTTP\/1\.1 408 /);
    const token = newToken();
    assert.equal((await post('127.0.0.1', signIn.port, JSON.stringify({ token }), `127.0.0.1:${signIn.port}`)).status, 200);
    assert.equal(await signIn.token, token);
  });
});
