// The table of MCP clients, row by row against literal expectations: the file on each OS (and the variables that
// move it), the fallback's variable syntax, the step the person must take in the client, and the entry written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { applyMcpFileBinding } from '../../../src/core/mcp/fileBinding';
import { buildMcpLaunch } from '../../../src/core/mcp/launch';
import { MCP_TARGETS, mcpConfigPath, mcpTarget, variableReference } from '../../../src/core/mcp/targets';
import type { McpTargetId, PathContext } from '../../../src/core/mcp/targets';
import { bundleTranslator } from '../support/bundleTranslator';
import { DOCKER_ARGS, launcherFile } from '../support/mcpFileTexts';

interface Expected {
  readonly linux?: string;
  readonly darwin?: string;
  readonly win32?: string;
  /** `env.SONARQUBE_TOKEN` of the fallback entry (no credential store); none: the value itself. */
  readonly reference?: string;
  readonly clientStep?: string;
  readonly variableStep?: string;
}

const linux: PathContext = { platform: 'linux', home: '/home/ada', workspaceFolder: '/work/app' };
const darwin: PathContext = { platform: 'darwin', home: '/Users/ada', workspaceFolder: '/Users/ada/app' };
const win32: PathContext = {
  platform: 'win32',
  home: 'C:\\Users\\ada',
  workspaceFolder: 'C:\\work\\app',
  env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' },
};

const KIRO_APPROVAL = 'Kiro expands only the variables you approved: approve SONARQUBE_TOKEN when Kiro asks.';

const EXPECTED: Record<McpTargetId, Expected> = {
  vscodeProvider: {},
  cursorExtension: {},
  vscodeWorkspace: { linux: '/work/app/.vscode/mcp.json', darwin: '/Users/ada/app/.vscode/mcp.json', win32: 'C:\\work\\app\\.vscode\\mcp.json' },
  cursorUser: { linux: '/home/ada/.cursor/mcp.json', darwin: '/Users/ada/.cursor/mcp.json', win32: 'C:\\Users\\ada\\.cursor\\mcp.json', reference: '${env:SONARQUBE_TOKEN}' },
  cursorWorkspace: { linux: '/work/app/.cursor/mcp.json', darwin: '/Users/ada/app/.cursor/mcp.json', win32: 'C:\\work\\app\\.cursor\\mcp.json', reference: '${env:SONARQUBE_TOKEN}' },
  windsurf: {
    linux: '/home/ada/.codeium/windsurf/mcp_config.json',
    darwin: '/Users/ada/.codeium/windsurf/mcp_config.json',
    win32: 'C:\\Users\\ada\\.codeium\\windsurf\\mcp_config.json',
    reference: '${env:SONARQUBE_TOKEN}',
  },
  windsurfNext: {
    linux: '/home/ada/.codeium/windsurf-next/mcp_config.json',
    darwin: '/Users/ada/.codeium/windsurf-next/mcp_config.json',
    win32: 'C:\\Users\\ada\\.codeium\\windsurf-next\\mcp_config.json',
    reference: '${env:SONARQUBE_TOKEN}',
  },
  claudeCodeProject: {
    linux: '/work/app/.mcp.json',
    darwin: '/Users/ada/app/.mcp.json',
    win32: 'C:\\work\\app\\.mcp.json',
    reference: '${SONARQUBE_TOKEN}',
    clientStep: 'Claude Code lists project servers as "Pending approval": approve "sonarqube" in Claude Code (/mcp) before it starts.',
  },
  claudeCodeUser: { linux: '/home/ada/.claude.json', darwin: '/Users/ada/.claude.json', win32: 'C:\\Users\\ada\\.claude.json', reference: '${SONARQUBE_TOKEN}' },
  geminiCli: {
    linux: '/home/ada/.gemini/settings.json',
    darwin: '/Users/ada/.gemini/settings.json',
    win32: 'C:\\Users\\ada\\.gemini\\settings.json',
    reference: '${SONARQUBE_TOKEN}',
    clientStep: 'Gemini CLI starts no MCP server in a folder it does not trust: trust your project folder in Gemini CLI when it asks.',
  },
  kiro: {
    linux: '/home/ada/.kiro/settings/mcp.json',
    darwin: '/Users/ada/.kiro/settings/mcp.json',
    win32: 'C:\\Users\\ada\\.kiro\\settings\\mcp.json',
    reference: '${SONARQUBE_TOKEN}',
    variableStep: KIRO_APPROVAL,
  },
  kiroWorkspace: {
    linux: '/work/app/.kiro/settings/mcp.json',
    darwin: '/Users/ada/app/.kiro/settings/mcp.json',
    win32: 'C:\\work\\app\\.kiro\\settings\\mcp.json',
    reference: '${SONARQUBE_TOKEN}',
    variableStep: KIRO_APPROVAL,
  },
  claudeDesktop: {
    darwin: '/Users/ada/Library/Application Support/Claude/claude_desktop_config.json',
    win32: 'C:\\Users\\ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    clientStep: 'Restart Claude Desktop to load it.',
  },
};

const launch = buildMcpLaunch({ launcher: 'docker', dockerImage: 'sonarsource/sonarqube-mcp' }, { kind: 'server', serverUrl: 'https://sq.example.com' });
const runtime = { executable: '/opt/editor/code', script: '/home/ada/storage/launcher/launcher.js' };


const LAUNCHER_FILE = launcherFile('b-1', 'https://sq.example.com');

const fallbackFile = (reference: string) => `{
  "mcpServers": {
    "sonarqube": {
      "command": "docker",
      "args": [
${DOCKER_ARGS}
      ],
      "env": {
        "SONARQUBE_URL": "https://sq.example.com",
        "SONARQUBE_TOKEN": "${reference}"
      }
    }
  }
}
`;

const VSCODE_WORKSPACE_FILE = `{
  "servers": {
    "sonarqube": {
      "type": "stdio",
      "command": "docker",
      "args": [
${DOCKER_ARGS}
      ],
      "env": {
        "SONARQUBE_URL": "https://sq.example.com",
        "SONARQUBE_TOKEN": "\${input:sonarqube-token-sq-example-com}"
      }
    }
  },
  "inputs": [
    {
      "id": "sonarqube-token-sq-example-com",
      "type": "promptString",
      "description": "SonarQube token for sq.example.com",
      "password": true
    }
  ]
}
`;

describe('the MCP client table', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpclients-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has exactly the expected rows, each id once', () => {
    assert.deepEqual(MCP_TARGETS.map((row) => row.id), Object.keys(EXPECTED));
  });

  for (const [id, expected] of Object.entries(EXPECTED) as Array<[McpTargetId, Expected]>) {
    it(`${id}: its file on Linux, macOS and Windows, its variable syntax and its steps`, () => {
      assert.deepEqual(
        { linux: mcpConfigPath(id, linux), darwin: mcpConfigPath(id, darwin), win32: mcpConfigPath(id, win32) },
        { linux: expected.linux, darwin: expected.darwin, win32: expected.win32 },
      );
      assert.equal(variableReference(id, 'SONARQUBE_TOKEN'), expected.reference);
      const row = mcpTarget(id);
      assert.equal(row.clientStep?.(bundleTranslator, 'sonarqube'), expected.clientStep);
      assert.equal(row.variableStep?.(bundleTranslator), expected.variableStep);
    });

    if (!expected.linux) continue;
    it(`${id}: writes the expected entry`, async () => {
      const file = path.join(dir, 'config.json');
      const row = mcpTarget(id);
      const bindingTo = row.secret === 'launcher' ? { launcher: { runtime, bindingId: 'b-1' } } : {};
      await applyMcpFileBinding(nodeFileSystem, { target: id, path: file, launch, connectionSlug: 'sq-example-com', inputDescription: 'SonarQube token for sq.example.com', ...bindingTo });
      assert.equal(fs.readFileSync(file, 'utf8'), row.secret === 'launcher' ? LAUNCHER_FILE : VSCODE_WORKSPACE_FILE);
      if (!expected.reference) return;
      fs.rmSync(file);
      await applyMcpFileBinding(nodeFileSystem, { target: id, path: file, launch, connectionSlug: 'sq-example-com' });
      assert.equal(fs.readFileSync(file, 'utf8'), fallbackFile(expected.reference));
    });
  }

  it('follows CLAUDE_CONFIG_DIR and GEMINI_CLI_HOME, and the Windows defaults without APPDATA', () => {
    const moved = { ...linux, env: { CLAUDE_CONFIG_DIR: '/home/ada/.config/claude', GEMINI_CLI_HOME: '/srv/gemini' } };
    assert.equal(mcpConfigPath('claudeCodeUser', moved), '/home/ada/.config/claude/.claude.json');
    assert.equal(mcpConfigPath('geminiCli', moved), '/srv/gemini/.gemini/settings.json');
    const empty = { ...linux, env: { CLAUDE_CONFIG_DIR: '', GEMINI_CLI_HOME: '' } };
    assert.equal(mcpConfigPath('claudeCodeUser', empty), '/home/ada/.claude.json', 'an empty variable moves nothing');
    assert.equal(mcpConfigPath('geminiCli', empty), '/home/ada/.gemini/settings.json');
    assert.equal(mcpConfigPath('claudeDesktop', { platform: 'win32', home: 'C:\\Users\\ada' }), 'C:\\Users\\ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
  });

  it('prefers Claude Desktop\'s MSIX file on Windows when its package folder is there', () => {
    const asked: string[] = [];
    const msix = { ...win32, exists: (folder: string) => (asked.push(folder), folder === 'C:\\Users\\ada\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc') };
    assert.equal(mcpConfigPath('claudeDesktop', msix), 'C:\\Users\\ada\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json');
    assert.deepEqual(asked, ['C:\\Users\\ada\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc']);
    const noLocalAppData = { platform: 'win32' as const, home: 'C:\\Users\\ada', exists: (folder: string) => folder === 'C:\\Users\\ada\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc' };
    assert.equal(mcpConfigPath('claudeDesktop', noLocalAppData), 'C:\\Users\\ada\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json');
  });

  it('has no file without a workspace folder for the project-level rows', () => {
    const noFolder = { platform: 'linux' as const, home: '/home/ada' };
    assert.deepEqual(
      MCP_TARGETS.filter((row) => row.scope === 'workspace').map((row) => [row.id, mcpConfigPath(row.id, noFolder)]),
      [['vscodeWorkspace', undefined], ['cursorWorkspace', undefined], ['claudeCodeProject', undefined], ['kiroWorkspace', undefined]],
    );
  });
  it('names each client, and labels and describes it as the picker shows it, in words a translation is found for', () => {
    const launcher = "started through this extension's launcher, which reads the token from the operating system's credential store: no value or variable in the file";
    assert.deepEqual(
      MCP_TARGETS.map((row) => [row.id, row.client(bundleTranslator), row.label(bundleTranslator), row.detail(bundleTranslator)]),
      [
        ['vscodeProvider', 'VS Code', 'VS Code (built in, recommended)', 'VS Code starts the server with the token from secure storage in its environment: no file, no command line.'],
        ['cursorExtension', 'Cursor', 'Cursor (built in, recommended)', 'Cursor starts the server with the token from secure storage in its environment: no file, no command line.'],
        [
          'vscodeWorkspace',
          'VS Code workspace',
          'VS Code workspace (.vscode/mcp.json)',
          'To share with the team: VS Code asks each person for their token once and keeps it in its secure storage.',
        ],
        ['cursorUser', 'Cursor', 'Cursor (user, ~/.cursor/mcp.json)', launcher],
        ['cursorWorkspace', 'Cursor', 'Cursor (project, .cursor/mcp.json)', launcher],
        ['windsurf', 'Windsurf', 'Windsurf', launcher],
        ['windsurfNext', 'Windsurf Next', 'Windsurf Next', launcher],
        ['claudeCodeProject', 'Claude Code', 'Claude Code (project, .mcp.json)', launcher],
        ['claudeCodeUser', 'Claude Code', 'Claude Code (user, ~/.claude.json)', launcher],
        ['geminiCli', 'Gemini CLI', 'Gemini CLI', launcher],
        ['kiro', 'Kiro', 'Kiro (user, ~/.kiro/settings/mcp.json)', launcher],
        ['kiroWorkspace', 'Kiro', 'Kiro (project, .kiro/settings/mcp.json)', launcher],
        ['claudeDesktop', 'Claude Desktop', 'Claude Desktop', launcher],
      ],
    );
  });

  it('keeps user, project and built-in rows apart, with how each gets the token and the key its file uses', () => {
    assert.deepEqual(
      MCP_TARGETS.map((row) => [row.id, row.scope, row.secret, row.requires, row.topKey, row.stdioType]),
      [
        ['vscodeProvider', 'provider', 'provider', 'vscodeMcpProvider', undefined, undefined],
        ['cursorExtension', 'provider', 'provider', 'cursorMcp', undefined, undefined],
        ['vscodeWorkspace', 'workspace', 'input', undefined, 'servers', true],
        ['cursorUser', 'user', 'launcher', undefined, 'mcpServers', undefined],
        ['cursorWorkspace', 'workspace', 'launcher', undefined, 'mcpServers', undefined],
        ['windsurf', 'user', 'launcher', undefined, 'mcpServers', undefined],
        ['windsurfNext', 'user', 'launcher', undefined, 'mcpServers', undefined],
        ['claudeCodeProject', 'workspace', 'launcher', undefined, 'mcpServers', undefined],
        ['claudeCodeUser', 'user', 'launcher', undefined, 'mcpServers', undefined],
        ['geminiCli', 'user', 'launcher', undefined, 'mcpServers', undefined],
        ['kiro', 'user', 'launcher', undefined, 'mcpServers', undefined],
        ['kiroWorkspace', 'workspace', 'launcher', undefined, 'mcpServers', undefined],
        ['claudeDesktop', 'user', 'launcher', undefined, 'mcpServers', undefined],
      ],
    );
  });

  it("finds Claude Desktop on Windows under APPDATA and LOCALAPPDATA where the editor's environment puts them", () => {
    const moved = { platform: 'win32' as const, home: 'C:\\Users\\ada', env: { APPDATA: 'D:\\Roaming', LOCALAPPDATA: 'E:\\Local' } };
    assert.equal(mcpConfigPath('claudeDesktop', moved), 'D:\\Roaming\\Claude\\claude_desktop_config.json', 'APPDATA, not the home folder');
    const asked: string[] = [];
    const msix = { ...moved, exists: (folder: string) => (asked.push(folder), folder === 'E:\\Local\\Packages\\Claude_pzs8sxrjxfjjc') };
    assert.equal(mcpConfigPath('claudeDesktop', msix), 'E:\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json', 'LOCALAPPDATA, not the home folder');
    assert.deepEqual(asked, ['E:\\Local\\Packages\\Claude_pzs8sxrjxfjjc']);
    const empty = { platform: 'win32' as const, home: 'C:\\Users\\ada', env: { APPDATA: '', LOCALAPPDATA: '' }, exists: (folder: string) => folder === 'C:\\Users\\ada\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc' };
    assert.equal(mcpConfigPath('claudeDesktop', empty), 'C:\\Users\\ada\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json', 'an empty LOCALAPPDATA is the default');
    assert.equal(mcpConfigPath('claudeDesktop', { ...empty, exists: () => false }), 'C:\\Users\\ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json', 'an empty APPDATA is the default');
    assert.equal(mcpConfigPath('claudeDesktop', { ...linux, env: { APPDATA: '/home/ada/.wine', LOCALAPPDATA: '/home/ada/.wine' }, exists: () => true }), undefined, 'no Linux build, whatever the variables');
    assert.equal(mcpConfigPath('claudeDesktop', { ...darwin, env: { APPDATA: '/x', LOCALAPPDATA: '/y' }, exists: () => true }), '/Users/ada/Library/Application Support/Claude/claude_desktop_config.json');
  });

  it('moves Claude Code and Gemini CLI files with their variables on Windows too, joined the Windows way', () => {
    const moved = { ...win32, env: { ...win32.env, CLAUDE_CONFIG_DIR: 'D:\\claude', GEMINI_CLI_HOME: 'D:\\gemini' } };
    assert.equal(mcpConfigPath('claudeCodeUser', moved), 'D:\\claude\\.claude.json');
    assert.equal(mcpConfigPath('geminiCli', moved), 'D:\\gemini\\.gemini\\settings.json');
    assert.equal(mcpConfigPath('cursorUser', moved), 'C:\\Users\\ada\\.cursor\\mcp.json', 'other rows do not move');
  });

  it('refuses an id that is not in the table, naming it', () => {
    assert.throws(() => mcpTarget('zed' as McpTargetId), { message: 'Unknown MCP target zed' });
  });
});
