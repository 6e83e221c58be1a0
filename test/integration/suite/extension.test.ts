import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));

describe('SonarQube Tokens in the extension host', () => {
  it('activates from its view and registers every contributed command', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.sonarqubeTokens');
    const extension = vscode.extensions.getExtension('sonarqube-tokens.sonarqube-tokens');
    assert.ok(extension, 'the extension is installed');
    await extension.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command } of manifest.contributes.commands as Array<{ command: string }>) {
      assert.ok(registered.has(command), `${command} is registered`);
    }
  });

  it('answers Refresh with no connection without an error', async () => {
    await vscode.commands.executeCommand('sonarqubeTokens.refresh');
  });
});
