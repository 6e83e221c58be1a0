// SonarQube Cloud in both regions, reached by their real names: VS Code's http.proxy points at a tunnelling proxy
// that leads sonarcloud.io and sonarqube.us to two fakes, and the extension host trusts their certificates through
// NODE_EXTRA_CA_CERTS, as it would a company's certificate authority. Nothing leaves the machine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CommandId } from '../../src/vscode/commandIds';
import { FakeSonarQube, seedDemo, startTunnelProxy } from '../fake-sonarqube';
import type { TunnelProxy } from '../fake-sonarqube';
import { editorSessions } from './harness/session';
import type { EditorSession } from './harness/session';
import { exactly, generateToken, treeItemAriaLabel, treeItemDescription } from './harness/steps';

const EU_HOST = 'sonarcloud.io';
const US_HOST = 'sonarqube.us';

/** Add Connection… → the region → paste `token` → the organization; waits for the connection in the view. */
async function connectToCloud(editor: EditorSession, region: 'EU' | 'US', token: string, organization: string, label: string): Promise<void> {
  await editor.control.startCommand(CommandId.addConnection);
  await editor.quickInputPick(`SonarQube Cloud (${region})`);
  await editor.quickInputPick(/Paste a user token/);
  await editor.quickInputType(token);
  await editor.quickInputPick(organization);
  await editor.waitForNotification(new RegExp(`Signed in to ${label.replace(/[()]/g, '\\$&')} as`));
  await editor.treeItem(exactly(label)).waitFor();
}

describe('SonarQube Cloud, EU and US', function () {
  const startEditor = editorSessions();
  const fakes: FakeSonarQube[] = [];
  let proxy: TunnelProxy | undefined;
  let caFolder: string | undefined;

  afterEach(async function () {
    await proxy?.close();
    proxy = undefined;
    for (const fake of fakes.splice(0)) await fake.close();
    if (caFolder) fs.rmSync(caFolder, { recursive: true, force: true });
    caFolder = undefined;
  });

  it('signs in to each region by its name, picks the organization, generates and revokes', async function () {
    const eu = await FakeSonarQube.start({ flavour: 'cloud', https: { hostNames: [EU_HOST] } });
    fakes.push(eu);
    const us = await FakeSonarQube.start({ flavour: 'cloud', https: { hostNames: [US_HOST] } });
    fakes.push(us);
    const euDemo = seedDemo(eu);
    const usDemo = seedDemo(us);
    const byHost = new Map([[`${EU_HOST}:443`, eu], [`${US_HOST}:443`, us]]);
    proxy = await startTunnelProxy((target) => {
      const fake = byHost.get(target);
      return fake ? { host: '127.0.0.1', port: Number(new URL(fake.url).port) } : undefined;
    });
    caFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-cloud-ca-'));
    const caFile = path.join(caFolder, 'fake-cloud-ca.pem');
    fs.writeFileSync(caFile, `${eu.caCertificate!}${us.caCertificate!}`);

    const editor = await startEditor({
      fake: { issuedTokenValues: () => [...eu.issuedTokenValues(), ...us.issuedTokenValues()] },
      userSettings: { 'http.proxy': proxy.url },
      env: { NODE_EXTRA_CA_CERTS: caFile },
    });
    await editor.openView();

    // EU: Ada belongs to two organizations and picks ACME's; her tokens are listed, user tokens only on Cloud.
    await connectToCloud(editor, 'EU', euDemo.signInTokens.ada, 'ACME Corp', 'acme (EU)');
    await editor.expandTreeItem(exactly('acme (EU)'));
    await editor.treeItem(exactly('Laptop')).waitFor();
    assert.match(await treeItemDescription(editor, exactly('Laptop')), /^User · expires in \d+ days · last used/);
    await generateToken(editor, { treeLabel: exactly('acme (EU)'), name: 'cloud-agent' });
    await editor.waitForNotification(/Token cloud-agent was generated on acme \(EU\)/);
    await editor.treeItem(exactly('cloud-agent')).waitFor();
    assert.match(await treeItemAriaLabel(editor, exactly('cloud-agent')), /held/i);
    assert.ok(eu.tokenNames('ada').includes('cloud-agent'));
    assert.equal(us.tokenNames('ada').includes('cloud-agent'), false);

    // US: the same organization key in the other region is another connection.
    await connectToCloud(editor, 'US', usDemo.signInTokens.admin, 'ACME Corp', 'acme (US)');
    await editor.expandTreeItem(exactly('acme (US)'));
    await editor.contextMenu(exactly('Backup job'), 'Revoke Token');
    assert.match(await editor.dialogButton('Revoke'), /Revoke token Backup job on acme \(US\)/);
    await editor.waitForNotification(/Token Backup job was revoked on acme \(US\)/);
    await editor.treeItem(exactly('Backup job')).waitFor({ state: 'detached' });
    assert.equal(us.tokenNames('admin').includes('Backup job'), false);
    assert.equal(eu.tokenNames('admin').includes('Backup job'), true);

    // Every call went to the region's own host through the proxy, with a Bearer token but for the public version.
    assert.ok(proxy.tunnels.includes(`${EU_HOST}:443`) && proxy.tunnels.includes(`${US_HOST}:443`), proxy.tunnels.join(', '));
    for (const request of [...eu.requests, ...us.requests]) {
      assert.equal(request.auth, request.path === 'api/server/version' ? 'none' : 'bearer', request.path);
    }
    assert.deepEqual(await editor.scanForSecrets([euDemo.signInTokens.ada, usDemo.signInTokens.admin], [JSON.stringify([eu.requests, us.requests])]), []);
  });
});
