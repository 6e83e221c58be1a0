import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectTokens, maskValue } from '../../../src/core/exposure/detect';
import { createGitProbe } from '../../../src/core/exposure/gitTracked';
import { IgnoreList } from '../../../src/core/exposure/ignoreList';
import { classifyWorkspaceFile, userPlaces, workspaceGlob } from '../../../src/core/exposure/places';
import type { KnownPlace } from '../../../src/core/exposure/places';
import { fingerprintOf, locateFinding, nodeScanFiles, scanPlaces } from '../../../src/core/exposure/scan';
import type { Finding, ScanDeps } from '../../../src/core/exposure/scan';
import { memoryState } from '../support/memoryState';
import { USER_FILES, WORKSPACE_FILES, fixturePlaces, tokenValues, userTokenValue, workspacePlaces, writeFixtures } from './fixtures';
import type { TokenValues } from './fixtures';

const SERVER_URL = 'https://sonar.example.com';

function describeFindings(findings: readonly Finding[], home: string, workspace: string): string[] {
  return findings
    .map((finding) => {
      const file = finding.place.scope === 'user' ? `~/${path.relative(home, finding.place.path)}` : path.relative(workspace, finding.place.path);
      return `${file}:${finding.line}:${finding.column} ${finding.key ?? '-'} ${finding.type}`;
    })
    .sort();
}

const noGit = { trackedFiles: async () => undefined };

function deps(overrides: Partial<ScanDeps> = {}): ScanDeps {
  return { files: nodeScanFiles, git: noGit, ignored: new Set(), ownPlainText: [], ...overrides };
}

describe('exposure scan: known places', () => {
  let root: string;
  let home: string;
  let workspace: string;
  let values: TokenValues;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exposure-'));
    home = path.join(root, 'home');
    workspace = path.join(root, 'project');
    values = tokenValues();
    const all = { ...values, serverUrl: SERVER_URL };
    writeFixtures(home, USER_FILES, all);
    writeFixtures(workspace, WORKSPACE_FILES, all);
    // Not a known place: never read, whatever it holds.
    writeFixtures(workspace, { 'notes.txt': 'SONAR_TOKEN={bashrc}\n', 'src/config.json': '{ "SONARQUBE_TOKEN": "{cursor}" }' }, all);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds every token in every place and syntax, with file, line, column, key and type', async () => {
    const result = await scanPlaces(deps(), fixturePlaces(home, workspace));
    assert.deepEqual(describeFindings(result.findings, home, workspace), [
      '.cursor/mcp.json:1:84 SONARQUBE_TOKEN SCOPED_ORGANIZATION_TOKEN',
      '.env.local:2:17 SONARQUBE_TOKEN USER_TOKEN',
      '.env:3:13 SONAR_TOKEN UNTYPED',
      '.github/workflows/build.yml:6:20 SONAR_TOKEN USER_TOKEN',
      '.gitlab-ci.yml:3:19 SONAR_TOKEN USER_TOKEN',
      '.mcp.json:1:84 SONARQUBE_TOKEN USER_TOKEN',
      '.vscode/mcp.json:7:29 SONARQUBE_TOKEN USER_TOKEN',
      '.vscode/settings.json:2:107 token USER_TOKEN',
      'app/gradle.properties:2:24 systemProp.sonar.token USER_TOKEN',
      'sonar-project.properties:4:13 sonar.token PROJECT_ANALYSIS_TOKEN',
      'sonar-project.properties:5:15 sonar.login UNTYPED',
      '~/.bash_profile:1:26 SONARQUBE_TOKEN USER_TOKEN',
      '~/.bashrc:3:24 SONARQUBE_TOKEN USER_TOKEN',
      '~/.claude.json:1:97 SONARQUBE_TOKEN USER_TOKEN',
      '~/.codeium/windsurf/mcp_config.json:5:36 SONARQUBE_TOKEN USER_TOKEN',
      '~/.config/fish/config.fish:2:25 SONARQUBE_TOKEN GLOBAL_ANALYSIS_TOKEN',
      '~/.config/powershell/Microsoft.PowerShell_profile.ps1:1:21 SONAR_TOKEN USER_TOKEN',
      '~/.cursor/mcp.json:10:29 SONARQUBE_TOKEN USER_TOKEN',
      '~/.gemini/settings.json:4:70 SONARQUBE_TOKEN USER_TOKEN',
      '~/.kiro/settings/mcp.json:6:25 SONARQUBE_TOKEN USER_TOKEN',
      "~/.profile:2:14 SONAR_TOKEN GLOBAL_ANALYSIS_TOKEN",
      '~/.zshrc:2:21 SONAR_TOKEN UNTYPED',
      '~/vscode-user/mcp.json:6:36 SONARQUBE_TOKEN USER_TOKEN',
      '~/vscode-user/settings.json:5:83 token USER_TOKEN',
      '~/vscode-user/settings.json:8:67 token UNTYPED',
    ]);
    assert.equal(result.skipped.length, 0);
  });

  it('keeps no value in a finding: first 4 and last 4 characters at most, a SHA-256 for the rest', async () => {
    const result = await scanPlaces(deps(), fixturePlaces(home, workspace));
    const serialised = JSON.stringify(result);
    for (const value of Object.values(values)) {
      assert.ok(!serialised.includes(value), 'a value is in the scan result');
      assert.ok(!serialised.includes(value.slice(4, -4)), 'the middle of a value is in the scan result');
    }
    const bashrc = result.findings.find((finding) => finding.place.path.endsWith('.bashrc'))!;
    assert.equal(bashrc.masked, `squ_…${values.bashrc.slice(-4)}`);
    assert.equal(bashrc.fingerprint, fingerprintOf(values.bashrc));
  });

  it('notes the server a file names next to the token, as a hint', async () => {
    const result = await scanPlaces(deps(), fixturePlaces(home, workspace));
    const hintOf = (suffix: string) => result.findings.find((finding) => finding.place.path.endsWith(suffix))?.hint;
    assert.deepEqual(hintOf(path.join('home', '.cursor', 'mcp.json')), { url: SERVER_URL, organization: undefined });
    assert.deepEqual(hintOf('.profile'), { url: 'https://sonar.elsewhere.example', organization: undefined });
    assert.deepEqual(hintOf('.env.local'), { url: SERVER_URL, organization: undefined });
    assert.deepEqual(hintOf(path.join('windsurf', 'mcp_config.json')), { url: SERVER_URL, organization: undefined }, 'a file with a byte order mark');
    assert.equal(hintOf('.kiro/settings/mcp.json'), undefined);
    const cloud = result.findings.find((finding) => finding.type === 'UNTYPED' && finding.place.kind === 'vscodeSettings');
    assert.deepEqual(cloud?.hint, { organization: 'acme', url: undefined });
  });

  it('leaves out ignored values, remembered by SHA-256 only', async () => {
    const state = memoryState();
    const ignoreList = new IgnoreList(state);
    await ignoreList.ignore(fingerprintOf(values.dotenv));
    const result = await scanPlaces(deps({ ignored: ignoreList.fingerprints() }), fixturePlaces(home, workspace));
    assert.equal(result.findings.length, 24);
    assert.ok(!result.findings.some((finding) => finding.place.path.endsWith(`${path.sep}.env`)));
    assert.ok(!state.dump().includes(values.dotenv));
    await assert.rejects(ignoreList.ignore(values.dotenv), /Only a SHA-256/);
  });

  it('marks a plain-text entry this extension wrote itself as its own, not as a leak', async () => {
    const file = path.join(home, '.gemini', 'settings.json');
    const result = await scanPlaces(deps({ ownPlainText: [{ bindingId: 'b-1', path: file, serverName: 'sonarqube' }] }), fixturePlaces(home, workspace));
    const own = result.findings.filter((finding) => finding.ownBindingId !== undefined);
    assert.deepEqual(own.map((finding) => [finding.place.path, finding.ownBindingId]), [[file, 'b-1']]);
  });

  it('marks as its own only the entry it wrote, not another server in the same file', async () => {
    const file = path.join(home, '.gemini', 'settings.json');
    const env = (token: string) => `{ "command": "docker", "env": { "SONARQUBE_TOKEN": "${token}" } }`;
    fs.writeFileSync(file, `{ "mcpServers": { "pasted": ${env(userTokenValue())}, "sonarqube": ${env(userTokenValue())} } }\n`);
    const result = await scanPlaces(deps({ ownPlainText: [{ bindingId: 'b-1', path: file, serverName: 'sonarqube' }] }), fixturePlaces(home, workspace));
    const gemini = result.findings.filter((finding) => finding.place.path === file);
    assert.deepEqual(gemini.map((finding) => [finding.jsonPath?.[1], finding.ownBindingId]), [['pasted', undefined], ['sonarqube', 'b-1']]);
  });

  it('skips files over the size bound and says so', async () => {
    fs.appendFileSync(path.join(workspace, '.env'), `# ${'x'.repeat(4096)}\n`);
    const result = await scanPlaces(deps({ maxFileBytes: 4096 }), fixturePlaces(home, workspace));
    assert.deepEqual(result.skipped.map((skipped) => [path.relative(workspace, skipped.path), skipped.reason]), [['.env', 'tooLarge']]);
    assert.ok(!result.findings.some((finding) => finding.place.path === path.join(workspace, '.env')));
  });

  it('reads nothing when nothing exists, and asks git nothing when nothing was found', async () => {
    let gitAsked = 0;
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    const result = await scanPlaces(deps({ git: { trackedFiles: async () => (gitAsked++, new Set()) } }), userPlaces({ platform: 'linux', home: empty, env: {} }));
    assert.deepEqual(result, { findings: [], skipped: [], filesRead: 0 });
    assert.equal(gitAsked, 0);
  });
});

describe('exposure scan: git-tracked files', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'pipe', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo } });
  beforeEach(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'exposure-git-'));
    const values = tokenValues();
    writeFixtures(repo, { '.env': WORKSPACE_FILES['.env'], '.env.local': WORKSPACE_FILES['.env.local'], 'sonar-project.properties': WORKSPACE_FILES['sonar-project.properties'], '.gitignore': '.env.local\n' }, { ...values, serverUrl: SERVER_URL });
    git('init', '-q');
    git('add', '.env', '.gitignore');
    git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'config');
    git('add', 'sonar-project.properties');
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('tells committed and staged files from untracked and ignored ones', async () => {
    const result = await scanPlaces(deps({ git: createGitProbe() }), workspacePlaces(repo));
    const tracked = Object.fromEntries(result.findings.map((finding) => [`${path.relative(repo, finding.place.path)}:${finding.line}`, finding.tracked]));
    assert.deepEqual(tracked, { '.env:3': true, '.env.local:2': false, 'sonar-project.properties:4': true, 'sonar-project.properties:5': true });
  });

  it('says nothing is tracked outside a repository, and "unknown" when git cannot run', async () => {
    fs.rmSync(path.join(repo, '.git'), { recursive: true, force: true });
    const outside = await scanPlaces(deps({ git: createGitProbe() }), workspacePlaces(repo));
    assert.ok(outside.findings.length > 0 && outside.findings.every((finding) => finding.tracked === false));
    const missingGit = await scanPlaces(deps({ git: createGitProbe(path.join(repo, 'no-such-git')) }), workspacePlaces(repo));
    assert.ok(missingGit.findings.every((finding) => finding.tracked === undefined));
  });
});

describe('exposure detection: token shapes', () => {
  const hex = 'a'.repeat(20) + '0123456789abcdef0123';

  it('finds the four typed prefixes anywhere, and nothing glued to other text', () => {
    const text = `a=squ_${hex}\nb=sqa_${hex}\nc=sqp_${hex}\nd=sqco_${hex}\ne=xsqu_${hex}\nf=squ_${hex}0\ng=sqb_${hex}\n`;
    assert.deepEqual(
      detectTokens(text, 'lines').map((match) => [match.line, match.key, match.type]),
      [
        [1, 'a', 'USER_TOKEN'],
        [2, 'b', 'GLOBAL_ANALYSIS_TOKEN'],
        [3, 'c', 'PROJECT_ANALYSIS_TOKEN'],
        [4, 'd', 'SCOPED_ORGANIZATION_TOKEN'],
      ],
    );
  });

  it('takes a bare 40-hex value only next to a Sonar key name', () => {
    const keys = ['sonar.token', 'sonar.login', 'SONAR_TOKEN', 'SONARQUBE_TOKEN', 'SONARCLOUD_TOKEN', 'systemProp.sonar.login', 'sonar_auth_token'];
    for (const key of keys) assert.equal(detectTokens(`${key}=${hex}\n`, 'lines').length, 1, key);
    for (const key of ['GIT_SHA', 'commit', 'sonar.projectKey', 'TOKEN']) assert.equal(detectTokens(`${key}=${hex}\n`, 'lines').length, 0, key);
    assert.equal(detectTokens(`SONAR_TOKEN=${hex}ab\n`, 'lines').length, 0, '42 hex digits are something else');
    assert.equal(detectTokens(`{ "sonarlint.connectedMode.connections.sonarcloud": [{ "token": "${hex}" }], "token": "${hex}" }`, 'json').length, 1);
  });

  it('reads a header value past its scheme, and a JSON file that does not parse line by line', () => {
    const [header] = detectTokens(`Authorization: Bearer squ_${hex}\n`, 'lines');
    assert.equal(header.key, 'Authorization');
    const broken = detectTokens(`{ "env": { "SONARQUBE_TOKEN": "squ_${hex}" `, 'json');
    assert.deepEqual(broken.map((match) => [match.key, match.jsonPath]), [['SONARQUBE_TOKEN', undefined]]);
  });

  it('masks to the first 4 and last 4 characters', () => {
    assert.equal(maskValue(`squ_${hex}`), 'squ_…0123');
    assert.equal(maskValue('short'), '…');
  });
});

describe('exposure places', () => {
  it('names the user-level files of every MCP client, VS Code and the shell profiles for each OS', () => {
    const linux = userPlaces({ platform: 'linux', home: '/home/ada', env: { XDG_CONFIG_HOME: '/home/ada/.xdg' }, vscodeUserDir: '/home/ada/.config/Code/User' }).map((place) => `${place.kind} ${place.path}`);
    assert.deepEqual(linux, [
      'mcpClient /home/ada/.cursor/mcp.json',
      'mcpClient /home/ada/.codeium/windsurf/mcp_config.json',
      'mcpClient /home/ada/.codeium/windsurf-next/mcp_config.json',
      'mcpClient /home/ada/.claude.json',
      'mcpClient /home/ada/.gemini/settings.json',
      'mcpClient /home/ada/.kiro/settings/mcp.json',
      'mcpClient /home/ada/.config/Code/User/mcp.json',
      'vscodeSettings /home/ada/.config/Code/User/settings.json',
      'shellProfile /home/ada/.bashrc',
      'shellProfile /home/ada/.bash_profile',
      'shellProfile /home/ada/.profile',
      'shellProfile /home/ada/.zshrc',
      'shellProfile /home/ada/.zprofile',
      'shellProfile /home/ada/.zshenv',
      'shellProfile /home/ada/.xdg/fish/config.fish',
      'shellProfile /home/ada/.xdg/powershell/Microsoft.PowerShell_profile.ps1',
    ]);
    const windows = userPlaces({ platform: 'win32', home: 'C:\\Users\\ada', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' } }).map((place) => place.path);
    assert.ok(windows.includes('C:\\Users\\ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json'));
    assert.ok(windows.includes('C:\\Users\\ada\\Documents\\PowerShell\\Microsoft.PowerShell_profile.ps1'));
    assert.ok(windows.includes('C:\\Users\\ada\\Documents\\WindowsPowerShell\\Microsoft.PowerShell_profile.ps1'));
  });

  it('classifies what the file search finds, and nothing else', () => {
    const kinds = ['.vscode/mcp.json', '.vscode/settings.json', '.vscode/launch.json', '.mcp.json', '.cursor/mcp.json', '.kiro/settings/mcp.json', '.env', 'api/.env.production', 'sonar-project.properties', '.github/workflows/ci.yaml', 'Jenkinsfile', 'README.md', 'src/.vscode/mcp.json'].map(
      (relative) => {
        const place = classifyWorkspaceFile('/ws', `/ws/${relative}`);
        return `${relative} ${place ? `${place.kind}${place.mcp ? `:${place.mcp.topKey}` : ''}${place.ci ? `:${place.ci}` : ''}` : '-'}`;
      },
    );
    assert.deepEqual(kinds, [
      '.vscode/mcp.json mcpClient:servers',
      '.vscode/settings.json vscodeSettings',
      '.vscode/launch.json workspaceJson',
      '.mcp.json mcpClient:mcpServers',
      '.cursor/mcp.json mcpClient:mcpServers',
      '.kiro/settings/mcp.json mcpClient:mcpServers',
      '.env dotenv',
      'api/.env.production dotenv',
      'sonar-project.properties properties',
      '.github/workflows/ci.yaml ci:github',
      'Jenkinsfile ci:jenkins',
      'README.md -',
      'src/.vscode/mcp.json -',
    ]);
    assert.match(workspaceGlob(), /^\{\*\*\/\.env,.*,\.drone\.yml\}$/);
    // VS Code's glob does not nest groups: a `{yml,yaml}` inside the outer group made the whole search find nothing.
    assert.doesNotMatch(workspaceGlob().slice(1, -1), /[{}]/);
  });
});

describe('exposure scan: one file', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'exposure-one-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const dotenv = (): KnownPlace => ({ path: path.join(root, '.env'), kind: 'dotenv', syntax: 'lines', scope: 'workspace' });
  const scanOne = async (place: KnownPlace, text: string) => {
    fs.writeFileSync(place.path, text);
    return (await scanPlaces(deps(), [place])).findings;
  };

  // The line before the token, and the server it names.
  const HINTS: ReadonlyArray<readonly [string, { url?: string; organization?: string } | undefined]> = [
    ['SONAR_HOST_URL = https://spaced.example', { url: 'https://spaced.example', organization: undefined }],
    ['SONAR_HOST_URL="https://quoted.example"', { url: 'https://quoted.example', organization: undefined }],
    ["'SONAR_HOST_URL': 'https://yaml.example'", { url: 'https://yaml.example', organization: undefined }],
    ['"SONAR_ORGANIZATION": "acme"', { url: undefined, organization: 'acme' }],
    ['SONAR_ORGANIZATION = acme', { url: undefined, organization: 'acme' }],
    ['SONAR_HOST_URL=ftp://not.a.server.example', undefined],
  ];

  for (const [line, hint] of HINTS) {
    it(`takes the server hint from ${line}`, async () => {
      const findings = await scanOne(dotenv(), `${line}\nSONAR_TOKEN=${userTokenValue()}\n`);
      assert.equal(findings.length, 1);
      assert.deepEqual(findings[0].hint, hint);
    });
  }

  it('gives no server hint in a JSON file that does not parse (it is read line by line)', async () => {
    const place: KnownPlace = { path: path.join(root, 'settings.json'), kind: 'mcpClient', syntax: 'json', scope: 'user', mcp: { topKey: 'mcpServers', client: 'Gemini CLI' } };
    const findings = await scanOne(place, `{\n  "mcpServers": { "sonarqube": { "env": {\n    "SONARQUBE_URL": "https://sonar.example.com",\n    "SONARQUBE_TOKEN": "${userTokenValue()}"\n`);
    assert.deepEqual(findings.map((finding) => [finding.line, finding.key, finding.jsonPath, finding.hint]), [[4, 'SONARQUBE_TOKEN', undefined, undefined]]);
  });

  it('finds each of two values again by its own finding', async () => {
    const first = userTokenValue();
    const second = userTokenValue();
    const findings = await scanOne(dotenv(), `SONAR_TOKEN=${first}\nSONAR_TOKEN=${second}\n`);
    const located = await Promise.all(findings.map((finding) => locateFinding(nodeScanFiles, finding)));
    assert.deepEqual(located.map((value) => value?.value), [first, second]);
  });

  it('does not take a new value pasted where the found one was for the found one', async () => {
    const [finding] = await scanOne(dotenv(), `SONAR_TOKEN=${userTokenValue()}\n`);
    fs.writeFileSync(dotenv().path, `SONAR_TOKEN=${userTokenValue()}\n`);
    assert.equal(await locateFinding(nodeScanFiles, finding), undefined);
  });

  it('finds nothing to fix once the file is deleted', async () => {
    const [finding] = await scanOne(dotenv(), `SONAR_TOKEN=${userTokenValue()}\n`);
    fs.rmSync(dotenv().path);
    assert.equal(await locateFinding(nodeScanFiles, finding), undefined);
    assert.equal(await nodeScanFiles.read(dotenv().path), undefined);
  });
});
