// HTTPS with the throw-away CA: trusted only by those who are given it; an expired certificate on request.
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { request } from 'undici';
import { positiveInteger } from '../../fake-sonarqube/tls';
import { call, fakeLifecycle, trustingAgent } from './support';

describe('fake SonarQube: HTTPS', function () {
  // Each server makes a throw-away CA and certificate: RSA key generation is slow on a busy machine.
  this.timeout(60_000);
  const startFake = fakeLifecycle();
  const agents: ReturnType<typeof trustingAgent>[] = [];
  afterEach(async () => {
    await Promise.allSettled(agents.splice(0).map((agent) => agent.close()));
  });
  const agent = (ca?: string) => {
    const created = trustingAgent(ca);
    agents.push(created);
    return created;
  };

  async function causeCode(promise: Promise<unknown>): Promise<string | undefined> {
    try {
      await promise;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      return (error as { code?: string }).code ?? cause?.code;
    }
    assert.fail('the request succeeded');
  }

  it('serves the API to a client that trusts the CA, and the CA signed a localhost certificate', async () => {
    const fake = await startFake({ https: true, contextPath: '/sonarqube' });
    assert.match(fake.url, /^https:\/\/127\.0\.0\.1:\d+\/sonarqube$/);
    assert.ok(fake.caCertificate);
    const ca = new X509Certificate(fake.caCertificate);
    assert.ok(ca.ca);
    fake.addUser({ login: 'ada' });
    const token = fake.createToken('ada', { name: 'ide' });
    const result = await call(fake, 'api/users/current', { token, dispatcher: agent(fake.caCertificate) });
    assert.equal((result.json() as { login: string }).login, 'ada');
    // The certificate names localhost as well as 127.0.0.1.
    const byName = await request(fake.url.replace('127.0.0.1', 'localhost') + '/api/server/version', { dispatcher: agent(fake.caCertificate) });
    assert.equal(await byName.body.text(), fake.version);
  });

  it('is refused by a client that does not trust the CA', async () => {
    const fake = await startFake({ https: true });
    const other = await startFake({ https: true });
    assert.notEqual(fake.caCertificate, other.caCertificate);
    assert.equal(await causeCode(call(fake, 'api/server/version', { dispatcher: agent() })), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.equal(await causeCode(call(fake, 'api/server/version', { dispatcher: agent(other.caCertificate) })), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('expired: the server certificate has expired, even for a client that trusts the CA', async () => {
    const fake = await startFake({ https: { expired: true } });
    assert.equal(await causeCode(call(fake, 'api/server/version', { dispatcher: agent(fake.caCertificate) })), 'CERT_HAS_EXPIRED');
  });

  it('plain HTTP has no CA', async () => {
    const fake = await startFake();
    assert.equal(fake.caCertificate, undefined);
    assert.match(fake.url, /^http:\/\//);
  });
});

describe('fake SonarQube: certificate serial numbers', () => {
  it('encodes an integer minimally, as DER requires, whatever its leading bytes', () => {
    const hex = (bytes: number[]) => positiveInteger(Buffer.from(bytes)).toString('hex');
    assert.equal(hex([0x00, 0x01, 0x02]), '02020102');
    assert.equal(hex([0x00, 0x00, 0x80]), '02020080');
    assert.equal(hex([0x80, 0x01]), '0203008001');
    assert.equal(hex([0x7f]), '02017f');
    assert.equal(hex([0x00]), '020100');
  });
});
