// Fixture files for every known place and syntax, as literal text: comments, CRLF, byte order marks, other entries.
// `{user}`-style placeholders are filled with token values generated for each test run (none is committed).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyWorkspaceFile, userPlaces } from '../../../src/core/exposure/places';
import type { KnownPlace } from '../../../src/core/exposure/places';

export function userTokenValue(): string {
  return `squ_${randomBytes(20).toString('hex')}`;
}

export function tokenValues() {
  const hex = () => randomBytes(20).toString('hex');
  return {
    cursor: `squ_${hex()}`,
    windsurf: `squ_${hex()}`,
    claudeUser: `squ_${hex()}`,
    gemini: `squ_${hex()}`,
    kiro: `squ_${hex()}`,
    vscodeUserMcp: `squ_${hex()}`,
    sonarlintServer: `squ_${hex()}`,
    sonarlintCloud: hex(),
    bashrc: `squ_${hex()}`,
    zshrc: hex(),
    profile: `sqa_${hex()}`,
    bashProfile: `squ_${hex()}`,
    fish: `sqa_${hex()}`,
    powershell: `squ_${hex()}`,
    workspaceMcp: `squ_${hex()}`,
    workspaceSettings: `squ_${hex()}`,
    dotenv: hex(),
    dotenvLocal: `squ_${hex()}`,
    sonarProject: `sqp_${hex()}`,
    sonarLogin: hex(),
    gradle: `squ_${hex()}`,
    claudeProject: `squ_${hex()}`,
    cursorProject: `sqco_${hex()}`,
    github: `squ_${hex()}`,
    gitlab: `squ_${hex()}`,
    gitSha: hex(),
  };
}

export type TokenValues = ReturnType<typeof tokenValues>;

/** Files under the home folder. `{serverUrl}` is the server the files name. */
export const USER_FILES: Readonly<Record<string, string>> = {
  '.cursor/mcp.json': [
    '{',
    '  // my servers',
    '  "mcpServers": {',
    '    "github": { "command": "gh-mcp", "args": [] },',
    '    "sonarqube": {',
    '      "command": "docker",',
    '      "args": ["run", "-i", "--rm", "-e", "SONARQUBE_TOKEN", "-e", "SONARQUBE_URL", "mcp/sonarqube"],',
    '      "env": {',
    '        "SONARQUBE_URL": "{serverUrl}",',
    '        "SONARQUBE_TOKEN": "{cursor}" // pasted by hand',
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n'),
  '.codeium/windsurf/mcp_config.json':
    '\uFEFF{\r\n  "mcpServers": {\r\n    "sonarqube": {\r\n      "command": "docker",\r\n      "env": { "SONARQUBE_TOKEN": "{windsurf}", "SONARQUBE_URL": "{serverUrl}" }\r\n    }\r\n  }\r\n}\r\n',
  '.claude.json': '{"numStartups":12,"mcpServers":{"sonar":{"command":"docker","args":["run","-e","SONARQUBE_TOKEN={claudeUser}","mcp/sonarqube"]}},"projects":{}}',
  '.gemini/settings.json': '{\n  "theme": "dark",\n  "mcpServers": {\n    "sonarqube": { "command": "docker", "env": { "SONARQUBE_TOKEN": "{gemini}", "SONARQUBE_URL": "{serverUrl}" } }\n  }\n}\n',
  '.kiro/settings/mcp.json': '{\n\t"mcpServers": {\n\t\t"sonarqube": {\n\t\t\t"command": "docker",\n\t\t\t"env": {\n\t\t\t\t"SONARQUBE_TOKEN": "{kiro}"\n\t\t\t}\n\t\t}\n\t}\n}\n',
  'vscode-user/mcp.json': '{\n  "servers": {\n    "sonarqube": {\n      "type": "stdio",\n      "command": "docker",\n      "env": { "SONARQUBE_TOKEN": "{vscodeUserMcp}", "SONARQUBE_URL": "{serverUrl}" }\n    }\n  },\n  "inputs": []\n}\n',
  'vscode-user/settings.json': [
    '{',
    '  "editor.fontSize": 14,',
    '  // SonarQube for IDE, before it moved tokens to secure storage',
    '  "sonarlint.connectedMode.connections.sonarqube": [',
    '    { "connectionId": "work", "serverUrl": "{serverUrl}", "token": "{sonarlintServer}" }',
    '  ],',
    '  "sonarlint.connectedMode.connections.sonarcloud": [',
    '    { "connectionId": "oss", "organizationKey": "acme", "token": "{sonarlintCloud}" }',
    '  ],',
    '  "git.commitSha": "{gitSha}",',
    '}',
    '',
  ].join('\n'),
  '.bashrc': '# ~/.bashrc\nalias ll="ls -l"\nexport SONARQUBE_TOKEN={bashrc}\nexport PATH="$HOME/bin:$PATH"\n',
  '.zshrc': 'export EDITOR=vim\r\nexport SONAR_TOKEN="{zshrc}"\r\nexport LAST_BUILD={gitSha}\r\n',
  '.profile': "SONAR_HOST_URL=https://sonar.elsewhere.example\nSONAR_TOKEN='{profile}'\n",
  '.bash_profile': '# export SONARQUBE_TOKEN={bashProfile}\n. ~/.bashrc\n',
  '.config/fish/config.fish': 'set -gx PATH $HOME/bin $PATH\nset -gx SONARQUBE_TOKEN {fish}\n',
  '.config/powershell/Microsoft.PowerShell_profile.ps1': '\uFEFF$env:SONAR_TOKEN = "{powershell}"\r\nSet-Alias ll Get-ChildItem\r\n',
};

/** Files in the workspace folder. */
export const WORKSPACE_FILES: Readonly<Record<string, string>> = {
  '.vscode/mcp.json': '{\n  "servers": {\n    "sonarqube": {\n      "type": "stdio",\n      "command": "docker",\n      "env": {\n        "SONARQUBE_TOKEN": "{workspaceMcp}"\n      }\n    }\n  }\n}\n',
  '.vscode/settings.json': '{\n  "sonarlint.connectedMode.connections.sonarqube": [{ "serverUrl": "{serverUrl}", "token": "{workspaceSettings}" }]\n}\n',
  '.env': '# local settings\nDATABASE_URL=postgres://localhost/dev\nSONAR_TOKEN={dotenv}\nGIT_SHA={gitSha}\n',
  '.env.local': 'SONARQUBE_URL={serverUrl}\r\nSONARQUBE_TOKEN={dotenvLocal}\r\n',
  'sonar-project.properties': '# project\nsonar.projectKey=demo\nsonar.host.url={serverUrl}\nsonar.token={sonarProject}\nsonar.login : {sonarLogin}\n',
  'app/gradle.properties': 'org.gradle.jvmargs=-Xmx2g\nsystemProp.sonar.token={gradle}\n',
  '.sonarlint/connectedMode.json': '{ "sonarQubeUri": "{serverUrl}", "projectKey": "demo" }\n',
  '.mcp.json': '{ "mcpServers": { "sonarqube": { "command": "docker", "env": { "SONARQUBE_TOKEN": "{claudeProject}" } } } }\n',
  '.cursor/mcp.json': '{ "mcpServers": { "sonarqube": { "command": "docker", "env": { "SONARQUBE_TOKEN": "{cursorProject}" } } } }\n',
  '.github/workflows/build.yml': 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      SONAR_TOKEN: {github} # TODO move to secrets\n    steps:\n      - run: ./gradlew sonar\n',
  '.gitlab-ci.yml': 'sonar:\n  variables:\n    SONAR_TOKEN: "{gitlab}"\n  script: sonar-scanner\n',
};

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

export function writeFixtures(root: string, files: Readonly<Record<string, string>>, values: Record<string, string>): void {
  for (const [relative, template] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, fill(template, values), 'utf8');
  }
}

/** Every file under `root`, for the canary: no value may be left in any of them. */
export function allFileText(root: string): string {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1'))
    .join('\n');
}

/** What the editor's file search would hand over: the workspace's files, classified (unknown ones dropped). */
export function workspacePlaces(folder: string): KnownPlace[] {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .flatMap((entry) => classifyWorkspaceFile(folder, path.join(entry.parentPath, entry.name)) ?? []);
}

export function fixturePlaces(home: string, workspace: string): KnownPlace[] {
  return [...userPlaces({ platform: 'linux', home, env: {}, vscodeUserDir: path.join(home, 'vscode-user') }), ...workspacePlaces(workspace)];
}

