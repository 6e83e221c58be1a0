import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { applyFileFix, describeFileFix, planRemoval } from '../../../src/core/exposure/fileFixes';
import { locateFinding, nodeScanFiles, scanPlaces } from '../../../src/core/exposure/scan';
import type { KnownPlace } from '../../../src/core/exposure/places';
import { englishMessage } from '../../../src/core/ports';
import { bundleTranslator } from '../support/bundleTranslator';
import { USER_FILES, WORKSPACE_FILES, allFileText, fill, fixturePlaces, tokenValues, userTokenValue, writeFixtures } from './fixtures';
import type { TokenValues } from './fixtures';

const SERVER_URL = 'https://sonar.example.com';

/** Each file after every finding in it was taken out, literally. `{name}` are the values still expected there. */
const AFTER: Readonly<Record<string, string>> = {
  'home/.cursor/mcp.json': '{\n  // my servers\n  "mcpServers": {\n    "github": { "command": "gh-mcp", "args": [] }\n  }\n}\n',
  'home/.codeium/windsurf/mcp_config.json': '\uFEFF{\r\n  "mcpServers": {}\r\n}\r\n',
  'home/.claude.json': '{"numStartups":12,"mcpServers":{},"projects":{}}',
  'home/.gemini/settings.json': '{\n  "theme": "dark",\n  "mcpServers": {}\n}\n',
  'home/.kiro/settings/mcp.json': '{\n\t"mcpServers": {}\n}\n',
  'home/vscode-user/mcp.json': '{\n  "servers": {},\n  "inputs": []\n}\n',
  'home/vscode-user/settings.json': [
    '{',
    '  "editor.fontSize": 14,',
    '  // SonarQube for IDE, before it moved tokens to secure storage',
    '  "sonarlint.connectedMode.connections.sonarqube": [',
    '    { "connectionId": "work", "serverUrl": "{serverUrl}" }',
    '  ],',
    '  "sonarlint.connectedMode.connections.sonarcloud": [',
    '    { "connectionId": "oss", "organizationKey": "acme" }',
    '  ],',
    '  "git.commitSha": "{gitSha}",',
    '}',
    '',
  ].join('\n'),
  'home/.bashrc': '# ~/.bashrc\nalias ll="ls -l"\nexport PATH="$HOME/bin:$PATH"\n',
  'home/.zshrc': 'export EDITOR=vim\r\nexport LAST_BUILD={gitSha}\r\n',
  'home/.profile': 'SONAR_HOST_URL=https://sonar.elsewhere.example\n',
  'home/.bash_profile': '. ~/.bashrc\n',
  'home/.config/fish/config.fish': 'set -gx PATH $HOME/bin $PATH\n',
  'home/.config/powershell/Microsoft.PowerShell_profile.ps1': '\uFEFFSet-Alias ll Get-ChildItem\r\n',
  'project/.vscode/mcp.json': '{\n  "servers": {}\n}\n',
  'project/.vscode/settings.json': '{\n  "sonarlint.connectedMode.connections.sonarqube": [{ "serverUrl": "{serverUrl}" }]\n}\n',
  'project/.env': '# local settings\nDATABASE_URL=postgres://localhost/dev\nGIT_SHA={gitSha}\n',
  'project/.env.local': 'SONARQUBE_URL={serverUrl}\r\n',
  'project/sonar-project.properties': '# project\nsonar.projectKey=demo\nsonar.host.url={serverUrl}\n',
  'project/app/gradle.properties': 'org.gradle.jvmargs=-Xmx2g\n',
  'project/.mcp.json': '{ "mcpServers": {} }\n',
  'project/.cursor/mcp.json': '{ "mcpServers": {} }\n',
  'project/.github/workflows/build.yml':
    'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      SONAR_TOKEN: ${{ secrets.SONAR_TOKEN }} # TODO move to secrets\n    steps:\n      - run: ./gradlew sonar\n',
};

describe('exposure fixes: the value leaves its file, every other byte stays', () => {
  let root: string;
  let home: string;
  let workspace: string;
  let values: TokenValues;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exposure-fix-'));
    home = path.join(root, 'home');
    workspace = path.join(root, 'project');
    values = tokenValues();
    writeFixtures(home, USER_FILES, { ...values, serverUrl: SERVER_URL });
    writeFixtures(workspace, WORKSPACE_FILES, { ...values, serverUrl: SERVER_URL });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const scan = async () => (await scanPlaces({ files: nodeScanFiles, git: { trackedFiles: async () => undefined }, ignored: new Set(), ownPlainText: [] }, fixturePlaces(home, workspace))).findings;

  /** Fixes the first finding of `file` that is still there, then checks the canary: that value is in no file. */
  async function fixOne(file: string): Promise<'fixed' | 'nothing' | 'manual'> {
    const finding = (await scan()).find((candidate) => candidate.place.path === file);
    if (!finding) return 'nothing';
    const located = await locateFinding(nodeScanFiles, finding);
    assert.ok(located);
    const fix = planRemoval(finding, located);
    if (fix.kind === 'manual') return 'manual';
    await applyFileFix(nodeFileSystem, finding, located, fix);
    assert.ok(!allFileText(root).includes(located.value), `the value is still in a file after fixing ${file}`);
    return 'fixed';
  }

  it('leaves each file exactly as expected once its tokens are taken out', async () => {
    for (const relative of Object.keys(AFTER)) {
      const file = path.join(root, relative);
      while ((await fixOne(file)) === 'fixed');
      assert.equal(fs.readFileSync(file, 'utf8'), fill(AFTER[relative], { ...values, serverUrl: SERVER_URL }), relative);
    }
  });

  it('keeps the mode of the file it rewrites', async () => {
    const file = path.join(home, '.bashrc');
    fs.chmodSync(file, 0o600);
    await fixOne(file);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('says exactly what each edit changes', async () => {
    const findings = await scan();
    const words = async (suffix: string) => {
      const finding = findings.find((candidate) => candidate.place.path.endsWith(suffix))!;
      return describeFileFix(planRemoval(finding, (await locateFinding(nodeScanFiles, finding))!), finding, suffix, englishMessage);
    };
    assert.equal(await words('.bashrc'), 'Line 3 (SONARQUBE_TOKEN) is removed from .bashrc; the rest of the file stays as it is.');
    const cursor = path.join('home', '.cursor', 'mcp.json');
    assert.equal(await words(cursor), `The MCP server "sonarqube" is removed from ${cursor}; the rest of the file stays as it is.`);
    assert.equal(await words(path.join('.vscode', 'settings.json')), `The "token" entry is removed from ${path.join('.vscode', 'settings.json')}; the rest of the file stays as it is.`);
    assert.equal(
      await words('build.yml'),
      'The value on line 6 of build.yml is replaced by ${{ secrets.SONAR_TOKEN }}: add the token as the repository secret SONAR_TOKEN in the CI settings.',
    );
    assert.equal(await words('.gitlab-ci.yml'), 'The value on line 3 of .gitlab-ci.yml is part of a longer line: edit it by hand.');
  });

  it('edits nothing by hand where the value is part of a longer line or string', async () => {
    const token = values.bashrc;
    fs.writeFileSync(path.join(home, '.bashrc'), `alias scan='SONAR_TOKEN=${token} sonar-scanner'\n`);
    fs.writeFileSync(path.join(workspace, '.vscode', 'tasks.json'), `{ "tasks": [{ "args": ["-Dsonar.token=${token}"] }] }\n`);
    const findings = (await scan()).filter((finding) => finding.place.path.endsWith('.bashrc') || finding.place.path.endsWith('tasks.json'));
    assert.equal(findings.length, 2);
    for (const finding of findings) assert.equal(planRemoval(finding, (await locateFinding(nodeScanFiles, finding))!).kind, 'manual');
  });

  it('finds nothing to fix once the file changed and the value is gone', async () => {
    const finding = (await scan()).find((candidate) => candidate.place.path.endsWith('.bashrc'))!;
    fs.writeFileSync(finding.place.path, '# emptied by hand\n');
    assert.equal(await locateFinding(nodeScanFiles, finding), undefined);
  });
});

describe('exposure fixes: one file at a time, byte for byte', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exposure-fix-lines-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const profile = (): KnownPlace => ({ path: path.join(root, '.profile'), kind: 'shellProfile', syntax: 'lines', scope: 'user' });
  const workflow = (): KnownPlace => ({ path: path.join(root, 'sonar.yml'), kind: 'ci', syntax: 'lines', scope: 'workspace', ci: 'github' });
  const scanOne = async (place: KnownPlace) => (await scanPlaces({ files: nodeScanFiles, git: { trackedFiles: async () => undefined }, ignored: new Set(), ownPlainText: [] }, [place])).findings;

  /** Writes `bytes` (latin1: one character a byte), then fixes each finding in turn; returns the fix kinds and the bytes after. */
  async function fixEvery(place: KnownPlace, bytes: string): Promise<{ kinds: string[]; after: string }> {
    fs.writeFileSync(place.path, bytes, 'latin1');
    const kinds: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const finding = (await scanOne(place))[0];
      if (!finding) break;
      const located = await locateFinding(nodeScanFiles, finding);
      assert.ok(located);
      const fix = planRemoval(finding, located);
      kinds.push(fix.kind);
      if (fix.kind === 'manual') break;
      await applyFileFix(nodeFileSystem, finding, located, fix);
      assert.ok(!fs.readFileSync(place.path, 'latin1').includes(located.value), 'the value is still in the file');
    }
    return { kinds, after: fs.readFileSync(place.path, 'latin1') };
  }

  // Each line sits between two comments; a line that is nothing but the assignment goes whole, any other is left alone.
  const LINES: ReadonlyArray<readonly [string, string, 'removeLine' | 'manual']> = [
    ['indented', '  export SONAR_TOKEN={token}', 'removeLine'],
    ['commented out, two spaces after the #', '#  export SONAR_TOKEN={token}', 'removeLine'],
    ['a YAML-style list item', '- SONAR_TOKEN={token}', 'removeLine'],
    ['a list item, two spaces after the dash', '-  SONAR_TOKEN={token}', 'removeLine'],
    ['export, two spaces', 'export  SONAR_TOKEN={token}', 'removeLine'],
    ['fish set without flags', 'set SONAR_TOKEN {token}', 'removeLine'],
    ['fish set, two spaces', 'set  -gx SONAR_TOKEN {token}', 'removeLine'],
    ['fish set, two spaces after the flags', 'set -gx  SONAR_TOKEN {token}', 'removeLine'],
    ['fish set, a one-letter name', 'set -gx T {token}', 'removeLine'],
    ['Windows setx', 'setx SONAR_TOKEN {token}', 'removeLine'],
    ['Windows setx, two spaces', 'setx  SONAR_TOKEN {token}', 'removeLine'],
    ['a quoted name', '"SONAR_TOKEN": "{token}"', 'removeLine'],
    ['a comment after the value', 'export SONAR_TOKEN={token} # for the scanner', 'removeLine'],
    ['a command before the name', 'echo SONAR_TOKEN={token}', 'manual'],
    ['a command after a semicolon', 'export SONAR_TOKEN={token};sonar-scanner', 'manual'],
  ];

  for (const [what, line, kind] of LINES) {
    it(`${kind === 'removeLine' ? 'removes' : 'leaves for a hand edit'} a line that is ${what}`, async () => {
      const before = `# before\n${fill(line, { token: userTokenValue() })}\n# after\n`;
      const { kinds, after } = await fixEvery(profile(), before);
      assert.deepEqual(kinds, [kind]);
      assert.equal(after, kind === 'removeLine' ? '# before\n# after\n' : before);
    });
  }

  it('removes the first line of a file whose later lines came from a file with a byte order mark', async () => {
    const { kinds, after } = await fixEvery(profile(), `SONAR_TOKEN=${userTokenValue()}\n\u00EF\u00BB\u00BF# appended from another file\n`);
    assert.deepEqual(kinds, ['removeLine']);
    assert.equal(after, '\u00EF\u00BB\u00BF# appended from another file\n');
  });

  it('keeps every other byte, UTF-8 included, when it removes a line', async () => {
    const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
    const { after } = await fixEvery(profile(), utf8(`# café – naïve\nexport SONAR_TOKEN=${userTokenValue()}\n# ✓ done\n`));
    assert.equal(Buffer.from(after, 'latin1').toString('utf8'), '# café – naïve\n# ✓ done\n');
  });

  it('names the GitHub secret after the key when the key is a secret name, SONAR_TOKEN otherwise, keeping UTF-8 bytes', async () => {
    const token = () => userTokenValue();
    const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
    const before = utf8(`name: Sonar – café\nenv:\n  SONARQUBE_TOKEN: ${token()}\n  sonar.token: ${token()}\n  Sonar_Token: "${token()}"\n  sonar_TOKEN: ${token()} # ✓\n`);
    const { kinds, after } = await fixEvery(workflow(), before);
    assert.deepEqual(kinds, ['reference', 'reference', 'reference', 'reference']);
    assert.equal(
      Buffer.from(after, 'latin1').toString('utf8'),
      [
        'name: Sonar – café',
        'env:',
        '  SONARQUBE_TOKEN: ${{ secrets.SONARQUBE_TOKEN }}',
        '  sonar.token: ${{ secrets.SONAR_TOKEN }}',
        '  Sonar_Token: "${{ secrets.SONAR_TOKEN }}"',
        '  sonar_TOKEN: ${{ secrets.SONAR_TOKEN }} # ✓',
        '',
      ].join('\n'),
    );
  });

  it('calls a value with no name before it "the token" when it removes its line', async () => {
    fs.writeFileSync(profile().path, `# before\nBearer ${userTokenValue()}\n`);
    const [finding] = await scanOne(profile());
    const located = (await locateFinding(nodeScanFiles, finding))!;
    const fix = planRemoval(finding, located);
    assert.equal(finding.key, undefined);
    assert.equal(describeFileFix(fix, finding, '.profile', bundleTranslator), 'Line 2 (the token) is removed from .profile; the rest of the file stays as it is.');
    await applyFileFix(nodeFileSystem, finding, located, fix);
    assert.equal(fs.readFileSync(profile().path, 'latin1'), '# before\n');
  });

  it('refuses to apply a hand edit and leaves the file as it was', async () => {
    const before = `alias scan='SONAR_TOKEN=${userTokenValue()} sonar-scanner'\n`;
    fs.writeFileSync(profile().path, before);
    const [finding] = await scanOne(profile());
    const located = (await locateFinding(nodeScanFiles, finding))!;
    await assert.rejects(applyFileFix(nodeFileSystem, finding, located, { kind: 'manual' }), /^Error: A manual fix cannot be applied$/);
    assert.equal(fs.readFileSync(profile().path, 'latin1'), before);
  });
});
