// `<server>/sonarlint/auth?ideName=&port=`: the page where a signed-in user lets an IDE have a new user token.
// The page asks its own origin for the token (`POST <context>/sonarlint/api/_issue`, a fake-only endpoint) only
// when the button is pressed, then hands it to the IDE's local listener with fetch, so the browser sends `Origin`.
import { escapeHtml, textResponse } from './http';
import type { FakeResponse } from './http';

/** SonarQube for IDE listens on the first free port of this range; the page refuses any other. */
export const handshakePorts = { first: 64120, last: 64130 } as const;

export function handshakePage(options: { contextPath: string; ideName: string; port: string; nonce: string; signedInAs: string }): FakeResponse {
  const port = Number(options.port);
  const portValid = /^\d+$/.test(options.port) && port >= handshakePorts.first && port <= handshakePorts.last;
  // JSON in a script: `<` escaped so no value can close the script element.
  const config = JSON.stringify({ port, ideName: options.ideName, nonce: options.nonce, issueUrl: `${options.contextPath}/sonarlint/api/_issue` }).replace(
    /</g,
    '\\u003c',
  );
  const body = portValid
    ? `<p>${escapeHtml(options.ideName || 'An IDE')} asks to connect to this SonarQube as <b id="user">${escapeHtml(options.signedInAs)}</b>.
<p><button id="allow">Allow connection</button></p>
<p id="outcome" role="status"></p>
<script>
const config = ${config};
const outcome = document.getElementById('outcome');
const button = document.getElementById('allow');
button.addEventListener('click', async () => {
  button.disabled = true;
  outcome.textContent = 'Connecting...';
  try {
    const local = 'http://localhost:' + config.port + '/sonarlint/api';
    const status = await fetch(local + '/status');
    if (!status.ok) throw new Error('The IDE answered ' + status.status);
    const issued = await fetch(config.issueUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ nonce: config.nonce }),
    });
    const issuedBody = await issued.json();
    if (!issued.ok) throw new Error(issuedBody.errors ? issuedBody.errors.map((e) => e.msg).join(', ') : 'HTTP ' + issued.status);
    const delivered = await fetch(local + '/token', { method: 'POST', body: JSON.stringify({ token: issuedBody.token }) });
    outcome.textContent = delivered.ok ? 'Connected' : 'The IDE refused the token: HTTP ' + delivered.status;
  } catch (error) {
    outcome.textContent = 'Error: ' + (error && error.message ? error.message : String(error));
  }
});
</script>`
    : `<p id="outcome" role="status">Error: the port must be between ${handshakePorts.first} and ${handshakePorts.last}.</p>`;
  return textResponse(
    200,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Allow connection - SonarQube</title></head><body><h1>Allow connection</h1>${body}</body></html>`,
    'text/html',
  );
}
