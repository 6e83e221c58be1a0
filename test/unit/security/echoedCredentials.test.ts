// Attack: a server or proxy quotes the request's Authorization header in `errors[].msg`. The message was shown as
// received in notifications and tooltips, and the log filter knew no values: a Basic value or a token that is not
// 40-hex went through. Tokens here are deliberately not hex, so only the known values can catch them.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { KnownSecrets, rememberingSecretStore } from '../../../src/core/logging/knownSecrets';
import { createRedactingLogger } from '../../../src/core/logging/redact';
import { messageText, silentLogger } from '../../../src/core/ports';
import { SonarClient } from '../../../src/core/sonar/client';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { TokensModel } from '../../../src/core/tokens/tokensModel';
import { childrenOf, presentNode } from '../../../src/core/tokens/treeNodes';
import type { TreeContext } from '../../../src/core/tokens/treeNodes';
import { memorySecretStore } from '../support/memorySecretStore';
import { RecordingLogger } from '../support/recordingLogger';
import { sendJson, startLocalServer } from '../sonar/support';
import type { LocalServer } from '../sonar/support';

/** A token of no known shape: letters and digits, not hex, no prefix. */
const oddToken = (): string => `T${randomBytes(24).toString('base64').replace(/[^A-Za-z0-9]/g, 'x')}`;
const basicOf = (token: string) => Buffer.from(`${token}:`, 'utf8').toString('base64');

describe('attack: credentials echoed by the server', () => {
  let server: LocalServer;
  before(async () => {
    // Quotes what it received, in the three ways seen in the wild: the header, the bare value, the decoded user.
    server = await startLocalServer((request, response) => {
      const header = String(request.headers.authorization ?? '');
      const bare = header.split(' ')[1] ?? '';
      const decoded = header.startsWith('Basic ') ? Buffer.from(bare, 'base64').toString('utf8') : bare;
      sendJson(response, 403, { errors: [{ msg: `Refused Authorization: ${header}` }, { msg: `value ${bare} user ${decoded} (${bare.replace(/=+$/, '')})` }] });
    });
  });
  after(() => server.close());

  for (const serverVersion of ['9.9', '10.8']) {
    it(`strips its own ${serverVersion === '9.9' ? 'Basic' : 'Bearer'} credential from every server message`, async () => {
      const token = oddToken();
      const client = new SonarClient({ target: { kind: 'server', serverUrl: server.url }, token, serverVersion, retry: { maxRetries: 0 } });
      const error = await client.searchTokens().then(
        () => assert.fail('the server refused'),
        (failure: unknown) => failure,
      );
      assert.ok(error instanceof SonarApiError && error.kind === 'forbidden');
      const shown = [error.message, ...error.serverMessages].join('\n');
      for (const secret of [token, basicOf(token), basicOf(token).replace(/=+$/, '')]) assert.ok(!shown.includes(secret), `echoed value in: ${shown}`);
      assert.match(error.serverMessages[0], /^Refused Authorization: (Basic|Bearer) \*\*\*$/);
    });
  }

  it('feeds the values held to the log filter, with their Basic form', async () => {
    const known = new KnownSecrets();
    const store = rememberingSecretStore(memorySecretStore(), known);
    const [stored, read] = [oddToken(), oddToken()];
    await store.store('sonarqubeTokens.token.a', stored);
    const raw = memorySecretStore();
    await raw.store('k', read);
    await rememberingSecretStore(raw, known).get('k');
    const sink = new RecordingLogger();
    const logger = createRedactingLogger(sink, () => known.values());
    logger.warn(`proxy said: ${stored} / ${basicOf(stored)} / ${read} / ${basicOf(read).replace(/=+$/, '')}`);
    assert.equal(sink.lines.join('\n').includes(stored) || sink.lines.join('\n').includes(read), false);
    assert.ok(!sink.lines.join('\n').includes(basicOf(stored).replace(/=+$/, '')));
    assert.match(sink.lines.join('\n'), /proxy said: \*\*\* \/ \*\*\*=* \/ \*\*\* \/ \*\*\*/);
  });

  it('shows an error tooltip as escaped Markdown, with known values masked', async () => {
    const known = new KnownSecrets();
    const token = oddToken();
    known.remember(token);
    const failing = new Error(`Proxy refused ${token}: see [details](command:workbench.action.terminal.new) **now**`);
    const model = new TokensModel({ apiFor: async () => Promise.reject(failing), logger: silentLogger });
    const connection = { id: 'a', target: { kind: 'server' as const, serverUrl: 'https://a.example.com' }, label: 'a.example.com', login: 'alice', addedAt: '2026-01-01T00:00:00Z' };
    const context: TreeContext = {
      connections: [connection],
      model,
      isHeld: () => false,
      bindingsOf: () => [],
      now: new Date('2026-01-02T00:00:00Z'),
      warningDays: 7,
      t: messageText,
      redact: (text) => known.redact(text),
      commands: { signInAgain: 'signIn', loadMoreUsers: 'more', generateToken: 'generate' },
    };
    await model.loadTokens('a');
    const [root] = childrenOf(undefined, context);
    const [errorNode] = childrenOf(root, context);
    const tooltip = presentNode(errorNode, context).tooltip?.() ?? '';
    assert.equal(tooltip, 'Proxy refused \\*\\*\\*: see \\[details\\]\\(command:workbench\\.action\\.terminal\\.new\\) \\*\\*now\\*\\*');
    assert.ok(!presentNode(errorNode, context).accessibilityLabel.includes(token));
  });
});
