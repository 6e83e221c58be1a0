// `http.proxyStrictSSL: false` is meant for a proxy that inspects TLS; it also switched off certificate checks on
// direct connections, where anyone in the path could then read the token.
import * as assert from 'node:assert/strict';
import { startTunnelProxy } from '../../fake-sonarqube';
import { createServerCertificates } from '../../fake-sonarqube/tls';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { createDispatcher, sendRequest } from '../../../src/core/sonar/transport';
import type { SonarRequest } from '../../../src/core/sonar/transport';
import { sendJson, startLocalServer } from '../sonar/support';

describe('attack: proxyStrictSSL off for a direct connection', () => {
  it('still verifies a direct connection, and relaxes only the proxied one', async () => {
    const certificates = createServerCertificates(); // signed by a throw-away CA nobody here trusts
    const server = await startLocalServer((_request, response) => sendJson(response, 200, { ok: 1 }), { cert: certificates.certificate, key: certificates.key });
    const proxy = await startTunnelProxy();
    const request: SonarRequest = { method: 'GET', baseUrl: server.url, endpoint: 'api/things/list', authorization: 'Bearer secret-value-1234', expect: 'json' };
    const direct = createDispatcher(server.url, { strictSSL: false }, {});
    const proxied = createDispatcher(server.url, { strictSSL: false, proxyUrl: proxy.url }, {});
    try {
      const refused = await sendRequest(request, { dispatcher: direct }).then(() => undefined, (error: unknown) => error);
      assert.ok(refused instanceof SonarApiError && refused.kind === 'tls', `direct: ${String(refused)}`);
      assert.equal(server.requests.length, 0, 'nothing, the token least of all, was sent to the unverified server');
      assert.deepEqual((await sendRequest(request, { dispatcher: proxied })).body, { ok: 1 });
      assert.equal(proxy.tunnels.length, 1);
    } finally {
      await Promise.all([direct.close(), proxied.close()]);
      await proxy.close();
      await server.close();
    }
  });
});
