// The page where a signed-in user lets an IDE or CLI have a new user token: `<server>/auth?ideName=&port=` (2026.2,
// Community Build 26.2, Cloud) and the older `<server>/sonarlint/auth?ideName=&port=` (9.7 on, still routed).
// Like the real page it makes the token only when the button is pressed, named after the product, with the longest
// lifetime allowed, and POSTs it to the IDE's local listener as `text/plain` JSON without probing `/status` first.
// The token is asked of the fake through `POST <context>/sonarlint/api/_issue` (a fake-only endpoint: the real page
// calls `api/user_tokens/generate` with the browser's session cookie, which the fake has no notion of).
import { escapeHtml, textResponse } from './http';
import type { FakeResponse } from './http';

/** SonarQube for IDE listens on the first free port of this range; the page refuses any other. */
export const handshakePorts = { first: 64120, last: 64130 } as const;

/** The name the real page gives the token: after the product, `-1`, `-2`, ... once taken. */
export function handshakeTokenName(query: URLSearchParams, taken: (name: string) => boolean): string {
  const ideName = query.get('ideName');
  const base = query.get('product') === 'cli' ? 'SonarQube CLI' : ideName !== null ? `SonarQube for IDE - ${ideName}` : 'Unknown origin';
  let name = base;
  for (let counter = 1; taken(name); counter++) name = `${base}-${counter}`;
  return name;
}

export function handshakePage(options: { contextPath: string; productName: string; port: string; nonce: string; signedInAs: string }): FakeResponse {
  const port = Number(options.port);
  const portValid = /^\d+$/.test(options.port) && port >= handshakePorts.first && port <= handshakePorts.last;
  // JSON in a script: `<` escaped so no value can close the script element.
  const config = JSON.stringify({ port, nonce: options.nonce, issueUrl: `${options.contextPath}/sonarlint/api/_issue` }).replace(/</g, '\\u003c');
  const body = portValid
    ? `<p>${escapeHtml(options.productName)} asks to connect to this SonarQube as <b id="user">${escapeHtml(options.signedInAs)}</b>.
<p><button id="allow">Allow connection</button></p>
<p id="outcome" role="status"></p>
<p id="fallback" hidden>Token <b id="token-name"></b>: <input id="token-value" disabled size="50"> Copy it into your IDE.</p>
<script>
const config = ${config};
const outcome = document.getElementById('outcome');
const button = document.getElementById('allow');
button.addEventListener('click', async () => {
  button.disabled = true;
  outcome.textContent = 'Connecting...';
  let issuedBody;
  try {
    const issued = await fetch(config.issueUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ nonce: config.nonce }),
    });
    issuedBody = await issued.json();
    if (!issued.ok) throw new Error(issuedBody.errors ? issuedBody.errors.map((e) => e.msg).join(', ') : 'HTTP ' + issued.status);
  } catch (error) {
    outcome.textContent = 'Error: ' + (error && error.message ? error.message : String(error));
    return;
  }
  try {
    // A string body: the browser sends it as text/plain, a request that needs no CORS preflight.
    const delivered = await fetch('http://localhost:' + config.port + '/sonarlint/api/token', { method: 'POST', body: JSON.stringify(issuedBody) });
    if (!delivered.ok) throw new Error('HTTP ' + delivered.status);
    outcome.textContent = 'Connected';
  } catch (error) {
    outcome.textContent = 'The token was created, but your IDE did not receive it: ' + (error && error.message ? error.message : String(error));
    document.getElementById('token-name').textContent = issuedBody.name;
    document.getElementById('token-value').value = issuedBody.token;
    document.getElementById('fallback').hidden = false;
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
