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
import { englishMessage } from '../../../src/core/ports';
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
      assert.equal(row.clientStep?.(englishMessage, 'sonarqube'), expected.clientStep);
      assert.equal(row.variableStep?.(englishMessage), expected.variableStep);
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
});
