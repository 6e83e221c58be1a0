import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tokenContextValue } from '../../../src/core/policy/contextValue';
import { CommandId } from '../../../src/vscode/commandIds';

const root = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;


function whenRegex(when: string): RegExp | undefined {
  const match = /viewItem =~ \/(.+?)\//.exec(when);
  return match ? new RegExp(match[1]) : undefined;
}

describe('manifest', () => {
  const contributed: Array<{ command: string; title: string; category: string }> = manifest.contributes.commands;

  it('contributes exactly the commands the extension registers', () => {
    assert.deepEqual(contributed.map((command) => command.command).sort(), Object.values(CommandId).sort());
  });

  it('keeps the public command titles', () => {
    const titles = Object.fromEntries(contributed.map((command) => [command.command, nls[command.title.replace(/^%|%$/g, '')]]));
    assert.equal(titles['sonarqubeTokens.addConnection'], 'Add Connection…');
    assert.equal(titles['sonarqubeTokens.generateTokenForUser'], 'Generate Token for User…');
    assert.equal(titles['sonarqubeTokens.copyToken'], 'Copy Token Value');
    assert.equal(titles['sonarqubeTokens.bindConnectedMode'], 'Bind Token to SonarQube for IDE…');
    assert.equal(titles['sonarqubeTokens.bindMcp'], 'Bind Token to MCP Server…');
    assert.equal(titles['sonarqubeTokens.unbind'], 'Remove Binding…');
    assert.equal(titles['sonarqubeTokens.rotateToken'], 'Rotate Token…');
    for (const command of contributed) assert.equal(nls[command.category.replace(/^%|%$/g, '')], 'SonarQube Tokens');
  });

  it('has a localized string for every %key% it uses', () => {
    const keys = [...JSON.stringify(manifest).matchAll(/"%([^%"]+)%"/g)].map((match) => match[1]);
    assert.ok(keys.length > 20);
    for (const key of keys) assert.ok(nls[key] !== undefined, `package.nls.json lacks ${key}`);
  });

  it('offers the welcome buttons that start each kind of connection', () => {
    const welcome = nls[manifest.contributes.viewsWelcome[0].contents.replace(/^%|%$/g, '')];
    assert.match(welcome, /\[Connect to SonarQube Server\]\(command:sonarqubeTokens\.addConnection\?%5B%22server%22%5D\)/);
    assert.match(welcome, /\[Connect to SonarQube Cloud\]\(command:sonarqubeTokens\.addConnection\?%5B%22cloud%22%5D\)/);
  });

  it('matches token menus on whole flags only', () => {
    const menus: Array<{ command: string; when: string }> = manifest.contributes.menus['view/item/context'];
    const copy = whenRegex(menus.find((menu) => menu.command === 'sonarqubeTokens.copyToken')!.when)!;
    const bindMcp = whenRegex(menus.find((menu) => menu.command === 'sonarqubeTokens.bindMcp')!.when)!;
    const held = tokenContextValue({ held: true, expired: false, type: 'USER_TOKEN', bound: false, revocationUnconfirmed: false });
    const notHeld = tokenContextValue({ held: false, expired: false, type: 'USER_TOKEN', bound: true, revocationUnconfirmed: false });
    const analysis = tokenContextValue({ held: true, expired: false, type: 'GLOBAL_ANALYSIS_TOKEN', bound: false, revocationUnconfirmed: false });
    assert.ok(copy.test(held));
    assert.ok(!copy.test(notHeld));
    assert.ok(bindMcp.test(held));
    assert.ok(!bindMcp.test(analysis), 'analysis tokens cannot drive the MCP server');
    assert.ok(!copy.test('tokens+held'), 'a base name must not match a longer one');
  });

  it('activates only on its own views, commands and MCP provider', () => {
    assert.deepEqual(manifest.activationEvents, ['onMcpServerDefinitionProvider:sonarqubeTokens.mcp']);
    assert.equal(manifest.contributes.mcpServerDefinitionProviders[0].id, 'sonarqubeTokens.mcp');
    assert.equal(manifest.engines.vscode, '^1.101.0');
    assert.equal(manifest.main, './dist/extension.js');
  });

  describe('settings a repository must not choose', () => {
    const properties: Record<string, { scope?: string }> = manifest.contributes.configuration.properties;
    const userOnly = Object.keys(properties).filter((key) => key.startsWith('sonarqubeTokens.mcp.') || key === 'sonarqubeTokens.clipboardClearSeconds');

    it('scopes the MCP program and the clipboard clearing to the machine', () => {
      assert.ok(userOnly.includes('sonarqubeTokens.mcp.customCommand') && userOnly.includes('sonarqubeTokens.mcp.customArgs'));
      for (const key of userOnly) assert.equal(properties[key].scope, 'machine', `${key} must not be settable by a workspace`);
    });

    it('declares Restricted Mode and virtual workspaces deliberately', () => {
      const untrusted = manifest.capabilities.untrustedWorkspaces;
      assert.equal(untrusted.supported, 'limited');
      assert.deepEqual([...untrusted.restrictedConfigurations].sort(), [...userOnly].sort());
      assert.ok(nls[untrusted.description.replace(/^%|%$/g, '')]);
      assert.equal(manifest.capabilities.virtualWorkspaces.supported, 'limited');
      assert.ok(nls[manifest.capabilities.virtualWorkspaces.description.replace(/^%|%$/g, '')]);
    });
  });
});
