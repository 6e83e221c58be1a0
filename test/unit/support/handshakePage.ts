// Plays the person's browser on the fake's handshake page without a browser: open the URL the extension opened,
// press Allow connection (the fake's `_issue`), and deliver the token to the listener as the page's script does
// (`text/plain` JSON, `Origin` of the page). For tests of the sign-in per version; handshake.test.ts does it in Chromium.
import * as assert from 'node:assert/strict';
import { request } from 'undici';
import type { FakeSonarQube } from '../../fake-sonarqube';

export interface PlayedPage {
  /** The route of the opened page, e.g. `sonarlint/auth`. */
  readonly route: string;
  /** Status of the listener's answer to the token. */
  readonly delivered: number;
}

/**
 * `openedUrl` is what the extension opened: on the fake's own address, or on a Cloud host (`https://sonarcloud.io/...`)
 * whose path is served by `fake`. `baseUrl` is the part before the route (the target's base URL).
 */
export async function playHandshakePage(fake: FakeSonarQube, openedUrl: string, baseUrl: string): Promise<PlayedPage> {
  assert.ok(openedUrl.startsWith(`${baseUrl}/`), `${openedUrl} is on ${baseUrl}`);
  const opened = new URL(openedUrl);
  const route = openedUrl.slice(baseUrl.length + 1).split('?')[0]!;
  const page = await request(`${fake.url}/${route}${opened.search}`);
  const html = await page.body.text();
  assert.equal(page.statusCode, 200, `the page ${route} exists on this version`);
  const nonce = /"nonce":"([^"]+)"/.exec(html)?.[1];
  assert.ok(nonce, 'the page offers Allow connection');
  const issued = await request(`${fake.url}/sonarlint/api/_issue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nonce }) });
  const token = await issued.body.text();
  assert.equal(issued.statusCode, 200, token.replace(/"token":"[^"]*"/, '"token":"…"'));
  const port = opened.searchParams.get('port');
  const delivered = await request(`http://127.0.0.1:${port}/sonarlint/api/token`, {
    method: 'POST',
    headers: { origin: opened.origin, 'content-type': 'text/plain;charset=UTF-8' },
    body: token,
  });
  await delivered.body.text();
  return { route, delivered: delivered.statusCode };
}
