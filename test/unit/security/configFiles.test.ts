// Attacks on the configuration files we edit: links in a cloned repository that send a write outside its folder,
// duplicate keys that leave a plain-text token behind on unbind, another program writing the file between our read
// and our rename, and a folder where a file is expected.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { confirmWorkspaceFile } from '../../../src/core/config/confinement';
import { isConfigFileError } from '../../../src/core/config/configFileError';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { editJsoncFile, readJsoncFile } from '../../../src/core/config/jsoncFile';
import { applyMcpFileBinding, removeMcpFileBinding } from '../../../src/core/mcp/fileBinding';
import { buildMcpLaunch } from '../../../src/core/mcp/launch';
import { mcpConfigPath } from '../../../src/core/mcp/targets';
import type { McpTargetId } from '../../../src/core/mcp/targets';
import { englishMessage } from '../../../src/core/ports';
import { freshTokenValue } from '../support/fakeTokenApi';
import { ScriptedPrompter } from '../support/scriptedPrompter';

const launch = buildMcpLaunch({ launcher: 'docker', dockerImage: 'sonarsource/sonarqube-mcp' }, { kind: 'server', serverUrl: 'https://sq.example.com' });

describe('attack: configuration files', () => {
  let dir: string;
  let repo: string;
  let outside: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'attack-files-')));
    repo = path.join(dir, 'cloned-repo');
    outside = path.join(dir, 'home');
    fs.mkdirSync(repo);
    fs.mkdirSync(outside);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('links out of the workspace folder', () => {
    const workspaceTargets: McpTargetId[] = ['vscodeWorkspace', 'cursorWorkspace', 'claudeCodeProject'];
    const targetFile = (id: McpTargetId) => mcpConfigPath(id, { platform: 'linux', home: outside, workspaceFolder: repo })!;

    for (const id of workspaceTargets) {
      it(`${id}: asks before following a link out of the folder, naming where it leads, and writes nothing when refused`, async () => {
        const file = targetFile(id);
        const realTarget = path.join(outside, 'settings.json');
        fs.writeFileSync(realTarget, '{ "mine": true }\n');
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.symlinkSync(realTarget, file);
        const prompter = new ScriptedPrompter([{ confirm: false }]);
        assert.equal(await confirmWorkspaceFile({ fs: nodeFileSystem, prompter, t: englishMessage }, repo, file), false);
        const [question] = prompter.calls.filter((call) => call.kind === 'confirm');
        assert.ok(question.text.startsWith(`${file} leads outside the folder ${repo}: a link makes it ${realTarget}.`), question.text);
        assert.equal(fs.readFileSync(realTarget, 'utf8'), '{ "mine": true }\n');
      });
    }

    it('catches a linked folder on the way (.vscode -> elsewhere) for a file that does not exist yet', async () => {
      fs.symlinkSync(outside, path.join(repo, '.vscode'));
      const prompter = new ScriptedPrompter([{ confirm: true }]);
      const file = targetFile('vscodeWorkspace');
      assert.equal(await confirmWorkspaceFile({ fs: nodeFileSystem, prompter, t: englishMessage }, repo, file), true);
      assert.match(prompter.calls[0].text, new RegExp(`a link makes it ${path.join(outside, 'mcp.json').replace(/[/\\.]/g, '\\$&')}\\.`));
      assert.deepEqual(prompter.calls[0].actions, ['Write to mcp.json']);
    });

    it('catches .sonarlint/connectedMode.json linked out of the folder', async () => {
      fs.mkdirSync(path.join(repo, '.sonarlint'));
      fs.writeFileSync(path.join(outside, '.bashrc'), 'export PATH\n');
      fs.symlinkSync(path.join(outside, '.bashrc'), path.join(repo, '.sonarlint', 'connectedMode.json'));
      const prompter = new ScriptedPrompter([{ confirm: false }]);
      assert.equal(await confirmWorkspaceFile({ fs: nodeFileSystem, prompter, t: englishMessage }, repo, path.join(repo, '.sonarlint', 'connectedMode.json')), false);
      assert.match(prompter.calls[0].text, /\.bashrc\.$/m);
    });

    it('asks nothing for files inside the folder, links inside it included', async () => {
      fs.mkdirSync(path.join(repo, 'config'));
      fs.symlinkSync(path.join(repo, 'config'), path.join(repo, '.cursor'));
      const prompter = new ScriptedPrompter([]);
      for (const id of workspaceTargets) assert.equal(await confirmWorkspaceFile({ fs: nodeFileSystem, prompter, t: englishMessage }, repo, targetFile(id)), true);
      assert.equal(prompter.calls.length, 0);
    });
  });

  describe('duplicate keys and a token left behind', () => {
    it('refuses to unbind from a file holding the server entry twice, so no copy of the token stays', async () => {
      const file = path.join(outside, 'claude_desktop_config.json');
      const token = freshTokenValue();
      const entry = `{ "command": "docker", "env": { "SONARQUBE_TOKEN": "${token}" } }`;
      const text = `{\n  "mcpServers": {\n    "sonarqube": ${entry},\n    "sonarqube": ${entry}\n  }\n}\n`;
      fs.writeFileSync(file, text, { mode: 0o600 });
      await assert.rejects(
        removeMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, serverName: 'sonarqube', plainTextToken: token }),
        (error: unknown) => isConfigFileError(error) && error.reason === 'duplicateKeys' && error.line === 4 && error.message.includes('"sonarqube" appears more than once') && !error.message.includes(token),
      );
      assert.equal(fs.readFileSync(file, 'utf8'), text);
    });

    it('also refuses a duplicated top-level key on the path', async () => {
      const file = path.join(outside, 'mcp.json');
      const text = '{\n  "mcpServers": { "a": {} },\n  "mcpServers": { "b": {} }\n}\n';
      fs.writeFileSync(file, text);
      await assert.rejects(
        applyMcpFileBinding(nodeFileSystem, { target: 'cursorUser', path: file, launch, connectionSlug: 's' }),
        (error: unknown) => isConfigFileError(error) && error.reason === 'duplicateKeys' && error.line === 3,
      );
      assert.equal(fs.readFileSync(file, 'utf8'), text);
    });

    it('does not report a plain-text unbind done while the value still appears in the file', async () => {
      const file = path.join(outside, 'claude_desktop_config.json');
      const token = freshTokenValue();
      await applyMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, launch, connectionSlug: 's', plainTextToken: token });
      // The person copied the value into a second entry by hand.
      await editJsoncFile(nodeFileSystem, file, (document) => document.set(['mcpServers', 'copy'], { command: 'x', env: { SONARQUBE_TOKEN: token } }));
      const before = fs.readFileSync(file, 'utf8');
      await assert.rejects(
        removeMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, serverName: 'sonarqube', plainTextToken: token }),
        (error: unknown) => isConfigFileError(error) && error.reason === 'valueRemains' && error.message.includes(file) && !error.message.includes(token),
      );
      assert.equal(fs.readFileSync(file, 'utf8'), before);
      await removeMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, serverName: 'sonarqube', plainTextToken: freshTokenValue() });
      assert.ok(!fs.readFileSync(file, 'utf8').includes('"sonarqube"'), 'without the value elsewhere the unbind goes through');
    });
  });

  describe('another program, and folders', () => {
    it('redoes the edit on top of a write another program made between our read and our rename', async () => {
      const file = path.join(outside, 'mcp.json');
      fs.writeFileSync(file, '{\n  "a": 1\n}\n');
      let writes = 0;
      await editJsoncFile(nodeFileSystem, file, (document) => document.set(['ours'], true), {
        beforeRename: async () => {
          if (writes++ === 0) fs.writeFileSync(file, '{\n  "a": 1,\n  "theirs": true\n}\n');
        },
      });
      assert.equal(fs.readFileSync(file, 'utf8'), '{\n  "a": 1,\n  "theirs": true,\n  "ours": true\n}\n');
    });

    it('stops, naming the file and keeping the other program\'s text, when it keeps writing', async () => {
      const file = path.join(outside, 'mcp.json');
      fs.writeFileSync(file, '{}\n');
      let round = 0;
      await assert.rejects(
        editJsoncFile(nodeFileSystem, file, (document) => document.set(['ours'], true), { beforeRename: async () => fs.writeFileSync(file, `{ "round": ${++round} }\n`) }),
        (error: unknown) => isConfigFileError(error) && error.reason === 'changedMeanwhile' && error.message.includes(file) && /another program kept changing it/.test(error.message),
      );
      assert.equal(fs.readFileSync(file, 'utf8'), `{ "round": ${round} }\n`);
      assert.deepEqual(fs.readdirSync(outside), ['mcp.json'], 'no temporary file left');
    });

    it('says a folder is in the way instead of a raw EISDIR, when reading and when editing', async () => {
      const file = path.join(outside, 'mcp.json');
      fs.mkdirSync(file);
      const isFolderMessage = (error: unknown) => isConfigFileError(error) && error.reason === 'notAFile' && error.message === `Cannot edit ${file}: it is a folder, not a file. Rename or remove the folder and try again.`;
      await assert.rejects(readJsoncFile(nodeFileSystem, file), isFolderMessage);
      await assert.rejects(editJsoncFile(nodeFileSystem, file, (document) => document.set(['a'], 1)), isFolderMessage);
      await assert.rejects(applyMcpFileBinding(nodeFileSystem, { target: 'cursorUser', path: file, launch, connectionSlug: 's' }), isFolderMessage);
    });
  });
});
