import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readMcpLauncherSettings, readSetting, Settings, SETTINGS_SECTION } from '../../../src/vscode/settings';
import { world } from '../support/vscodeStandIn';

const root = path.resolve(__dirname, '../../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const declared: Record<string, { default: unknown; scope?: string }> = manifest.contributes.configuration.properties;

describe('settings', () => {
  beforeEach(() => world.reset());

  it('declares every setting in package.json with the same default, and no other', () => {
    const ours = Object.values(Settings).map((setting) => `${SETTINGS_SECTION}.${setting.key}`);
    assert.deepEqual(ours.sort(), Object.keys(declared).filter((key) => key.startsWith(`${SETTINGS_SECTION}.`)).sort());
    for (const setting of Object.values(Settings)) {
      assert.deepEqual(declared[`${SETTINGS_SECTION}.${setting.key}`].default, setting.defaultValue, setting.key);
    }
  });

  it('reads from User settings only exactly the settings package.json scopes to the machine', () => {
    for (const setting of Object.values(Settings)) {
      assert.equal(declared[`${SETTINGS_SECTION}.${setting.key}`].scope === 'machine', setting.userOnly, setting.key);
    }
    assert.ok(Settings.mcpCustomCommand.userOnly && Settings.clipboardClearSeconds.userOnly && !Settings.expiryWarningDays.userOnly);
  });

  it('ignores a workspace value for a user-only setting, and takes it for the others', () => {
    world.settings.set('sonarqubeTokens.mcp.customCommand', '/tmp/steal-token.sh', 'workspaceValue');
    world.settings.set('sonarqubeTokens.clipboardClearSeconds', 0, 'workspaceValue');
    world.settings.set('sonarqubeTokens.expiryWarningDays', 3, 'workspaceValue');
    assert.equal(readSetting(Settings.mcpCustomCommand), '');
    assert.equal(readSetting(Settings.clipboardClearSeconds), 60);
    assert.equal(readSetting(Settings.expiryWarningDays), 3);
    world.settings.set('sonarqubeTokens.clipboardClearSeconds', 20, 'globalValue');
    assert.equal(readSetting(Settings.clipboardClearSeconds), 20);
  });

  it('gives the MCP launcher its settings, empty texts and lists as absent', () => {
    assert.deepEqual(readMcpLauncherSettings('/store'), {
      launcher: 'docker',
      dockerImage: 'sonarsource/sonarqube-mcp',
      jarPath: undefined,
      customCommand: undefined,
      customArgs: [],
      toolsets: undefined,
      readOnly: false,
      storagePath: '/store',
    });
    world.settings.set('sonarqubeTokens.mcp.launcher', 'jar');
    world.settings.set('sonarqubeTokens.mcp.jarPath', '/opt/mcp.jar');
    world.settings.set('sonarqubeTokens.mcp.toolsets', ['issues']);
    world.settings.set('sonarqubeTokens.mcp.readOnly', true);
    assert.deepEqual(readMcpLauncherSettings('/store'), {
      launcher: 'jar',
      dockerImage: 'sonarsource/sonarqube-mcp',
      jarPath: '/opt/mcp.jar',
      customCommand: undefined,
      customArgs: [],
      toolsets: ['issues'],
      readOnly: true,
      storagePath: '/store',
    });
  });
});
