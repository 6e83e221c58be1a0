// What binding, unbinding and repairing do beside the person's own entries, as whole file texts written out by hand:
// a name taken by their server, their VS Code inputs, their launcher-looking entries. Theirs stay exactly as they were.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../src/core/config/fileSystem';
import { applyMcpFileBinding, planMcpFileBinding, removeMcpFileBinding, repairLauncherFileEntry, rewritePlainTextToken } from '../../../src/core/mcp/fileBinding';
import type { ApplyResult } from '../../../src/core/mcp/fileBinding';
import { buildMcpLaunch } from '../../../src/core/mcp/launch';
import { freshTokenValue } from '../support/fakeTokenApi';

const launch = buildMcpLaunch({ launcher: 'custom', dockerImage: 'unused', customCommand: 'sonar-mcp', customArgs: ['--stdio'] }, { kind: 'server', serverUrl: 'https://sq.example.com' });
const runtime = { executable: '/opt/editor/code', script: '/home/ada/storage/launcher/launcher.js' };

function written(result: ApplyResult): Extract<ApplyResult, { kind: 'written' }> {
  assert.equal(result.kind, 'written');
  return result as Extract<ApplyResult, { kind: 'written' }>;
}

/** Unbinds a VS Code workspace binding as its record says: its server, its input, the keys it created. */
function unbindFromVscode(file: string, result: Extract<ApplyResult, { kind: 'written' }>): Promise<void> {
  return removeMcpFileBinding(nodeFileSystem, { target: 'vscodeWorkspace', path: file, serverName: result.serverName, inputId: result.inputId, createdKeys: result.createdKeys });
}

describe("binding beside the person's own entries (whole file texts)", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'persons-'));
    file = path.join(dir, 'mcp.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('suggests -2, then -3, when the person already has "sonarqube" and "sonarqube-<connection>", and writes beside theirs', async () => {
    const theirs = '{\n  "mcpServers": {\n    "sonarqube": { "command": "mine" },\n    "sonarqube-sq-example-com": { "command": "mine too" }\n  }\n}\n';
    fs.writeFileSync(file, theirs);
    const options = { target: 'cursorUser' as const, path: file, launch, connectionSlug: 'sq-example-com' };
    assert.deepEqual(await planMcpFileBinding(nodeFileSystem, options), { kind: 'conflict', existingName: 'sonarqube', suggestedName: 'sonarqube-sq-example-com-2' });
    assert.deepEqual(await applyMcpFileBinding(nodeFileSystem, options), { kind: 'conflict', existingName: 'sonarqube', suggestedName: 'sonarqube-sq-example-com-2' });
    assert.equal(fs.readFileSync(file, 'utf8'), theirs, 'a conflict writes nothing');
    const second = written(await applyMcpFileBinding(nodeFileSystem, { ...options, serverName: 'sonarqube-sq-example-com-2' }));
    assert.deepEqual(second, { kind: 'written', serverName: 'sonarqube-sq-example-com-2', inputId: undefined, createdFile: false, createdDirs: [], createdKeys: [] });
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      `{
  "mcpServers": {
    "sonarqube": { "command": "mine" },
    "sonarqube-sq-example-com": { "command": "mine too" },
    "sonarqube-sq-example-com-2": {
      "command": "sonar-mcp",
      "args": [
        "--stdio"
      ],
      "env": {
        "SONARQUBE_URL": "https://sq.example.com",
        "SONARQUBE_TOKEN": "\${env:SONARQUBE_TOKEN}"
      }
    }
  }
}
`,
    );
    assert.deepEqual(await planMcpFileBinding(nodeFileSystem, options), { kind: 'conflict', existingName: 'sonarqube', suggestedName: 'sonarqube-sq-example-com-3' });
    await removeMcpFileBinding(nodeFileSystem, { target: 'cursorUser', path: file, serverName: second.serverName, createdKeys: second.createdKeys });
    assert.equal(fs.readFileSync(file, 'utf8'), theirs);
  });

  it('plans without writing: what a new file would get, and that replacing the person\'s entry is replacing', async () => {
    const missing = path.join(dir, '.vscode', 'mcp.json');
    assert.deepEqual(await planMcpFileBinding(nodeFileSystem, { target: 'vscodeWorkspace', path: missing, launch, connectionSlug: 'sq' }), {
      kind: 'planned',
      serverName: 'sonarqube',
      inputId: 'sonarqube-token-sq',
      createdFile: true,
      createdKeys: ['servers', 'inputs'],
      replacing: false,
    });
    assert.deepEqual(await planMcpFileBinding(nodeFileSystem, { target: 'vscodeWorkspace', path: missing, launch, connectionSlug: 'sq', launcher: { runtime, bindingId: 'b-1' } }), {
      kind: 'planned',
      serverName: 'sonarqube',
      inputId: undefined,
      createdFile: true,
      createdKeys: ['servers'],
      replacing: false,
    });
    const theirs = '{\n  "mcpServers": {\n    "sonarqube": { "command": "mine" }\n  }\n}\n';
    fs.writeFileSync(file, theirs);
    assert.deepEqual(await planMcpFileBinding(nodeFileSystem, { target: 'geminiCli', path: file, launch, connectionSlug: 'sq', replaceExisting: true }), {
      kind: 'planned',
      serverName: 'sonarqube',
      inputId: undefined,
      createdFile: false,
      createdKeys: [],
      replacing: true,
    });
    assert.deepEqual(fs.readdirSync(dir), ['mcp.json']);
    assert.equal(fs.readFileSync(file, 'utf8'), theirs);
  });

  it('asks about a name the person chose too, suggesting the connection name while it is free', async () => {
    fs.writeFileSync(file, '{\n  "mcpServers": {\n    "work": { "command": "mine" }\n  }\n}\n');
    assert.deepEqual(await planMcpFileBinding(nodeFileSystem, { target: 'kiro', path: file, launch, connectionSlug: 'sq', serverName: 'work' }), {
      kind: 'conflict',
      existingName: 'work',
      suggestedName: 'sonarqube-sq',
    });
  });

  it("appends VS Code's input after the person's inputs, and unbind gives their file back byte for byte", async () => {
    const theirs = `{
  "servers": {
    "mine": { "type": "stdio", "command": "my-server", "env": { "KEY": "\${input:my-key}" } }
  },
  "inputs": [
    { "id": "my-key", "type": "promptString", "description": "My key", "password": true }
  ]
}
`;
    fs.writeFileSync(file, theirs);
    const result = written(await applyMcpFileBinding(nodeFileSystem, { target: 'vscodeWorkspace', path: file, launch, connectionSlug: 'sq', inputDescription: 'SonarQube token for sq' }));
    assert.deepEqual(result, { kind: 'written', serverName: 'sonarqube', inputId: 'sonarqube-token-sq', createdFile: false, createdDirs: [], createdKeys: [] });
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      `{
  "servers": {
    "mine": { "type": "stdio", "command": "my-server", "env": { "KEY": "\${input:my-key}" } },
    "sonarqube": {
      "type": "stdio",
      "command": "sonar-mcp",
      "args": [
        "--stdio"
      ],
      "env": {
        "SONARQUBE_URL": "https://sq.example.com",
        "SONARQUBE_TOKEN": "\${input:sonarqube-token-sq}"
      }
    }
  },
  "inputs": [
    { "id": "my-key", "type": "promptString", "description": "My key", "password": true },
    {
      "id": "sonarqube-token-sq",
      "type": "promptString",
      "description": "SonarQube token for sq",
      "password": true
    }
  ]
}
`,
    );
    await unbindFromVscode(file, result);
    assert.equal(fs.readFileSync(file, 'utf8'), theirs);
  });

  it("keeps every one of the person's VS Code inputs when it adds its own after them", async () => {
    const theirs = `{
  "servers": {},
  "inputs": [
    { "id": "first-key", "type": "promptString", "password": true },
    { "id": "second-key", "type": "promptString", "password": true },
    { "id": "third-key", "type": "pickString", "options": ["a", "b"] }
  ]
}
`;
    fs.writeFileSync(file, theirs);
    const result = written(await applyMcpFileBinding(nodeFileSystem, { target: 'vscodeWorkspace', path: file, launch, connectionSlug: 'sq' }));
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      `{
  "servers": {
    "sonarqube": {
      "type": "stdio",
      "command": "sonar-mcp",
      "args": [
        "--stdio"
      ],
      "env": {
        "SONARQUBE_URL": "https://sq.example.com",
        "SONARQUBE_TOKEN": "\${input:sonarqube-token-sq}"
      }
    }
  },
  "inputs": [
    { "id": "first-key", "type": "promptString", "password": true },
    { "id": "second-key", "type": "promptString", "password": true },
    { "id": "third-key", "type": "pickString", "options": ["a", "b"] },
    {
      "id": "sonarqube-token-sq",
      "type": "promptString",
      "description": "SonarQube token",
      "password": true
    }
  ]
}
`,
    );
    await unbindFromVscode(file, result);
    assert.equal(fs.readFileSync(file, 'utf8'), theirs);
  });

  it('unbind removes only its own input when the person added one after it', async () => {
    fs.writeFileSync(file, '{\n  "inputs": [\n    { "id": "first", "type": "promptString" }\n  ]\n}\n');
    const result = written(await applyMcpFileBinding(nodeFileSystem, { target: 'vscodeWorkspace', path: file, launch, connectionSlug: 'sq' }));
    assert.deepEqual(result.createdKeys, ['servers']);
    const text = fs.readFileSync(file, 'utf8');
    const ours = '      "password": true\n    }\n';
    assert.ok(text.includes(ours));
    fs.writeFileSync(file, text.replace(ours, '      "password": true\n    },\n    { "id": "later", "type": "promptString" }\n'));
    await unbindFromVscode(file, result);
    assert.equal(fs.readFileSync(file, 'utf8'), '{\n  "inputs": [\n    { "id": "first", "type": "promptString" },\n    { "id": "later", "type": "promptString" }\n  ]\n}\n');
  });

  it('unbind keeps the empty "servers" and "inputs" the person had before binding', async () => {
    const theirs = '{\n  "servers": {},\n  "inputs": []\n}\n';
    fs.writeFileSync(file, theirs);
    const result = written(await applyMcpFileBinding(nodeFileSystem, { target: 'vscodeWorkspace', path: file, launch, connectionSlug: 'sq' }));
    assert.deepEqual(result.createdKeys, []);
    await unbindFromVscode(file, result);
    assert.equal(fs.readFileSync(file, 'utf8'), theirs);
  });

  it('adds "servers" and an input described "SonarQube token" by default; unbind removes both and leaves the rest of the file', async () => {
    const theirs = '{\n  "chat.mcp.discovery.enabled": true\n}\n';
    fs.writeFileSync(file, theirs);
    const result = written(await applyMcpFileBinding(nodeFileSystem, { target: 'vscodeWorkspace', path: file, launch, connectionSlug: 'sq' }));
    assert.deepEqual(result.createdKeys, ['servers', 'inputs']);
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      `{
  "chat.mcp.discovery.enabled": true,
  "servers": {
    "sonarqube": {
      "type": "stdio",
      "command": "sonar-mcp",
      "args": [
        "--stdio"
      ],
      "env": {
        "SONARQUBE_URL": "https://sq.example.com",
        "SONARQUBE_TOKEN": "\${input:sonarqube-token-sq}"
      }
    }
  },
  "inputs": [
    {
      "id": "sonarqube-token-sq",
      "type": "promptString",
      "description": "SonarQube token",
      "password": true
    }
  ]
}
`,
    );
    await unbindFromVscode(file, result);
    assert.equal(fs.readFileSync(file, 'utf8'), theirs);
  });

  it("a launcher binding in VS Code's file adds no input, and its unbind keeps the person's input that has no id", async () => {
    const theirs = '{\n  "inputs": [\n    { "type": "promptString", "description": "mine, without an id" }\n  ]\n}\n';
    fs.writeFileSync(file, theirs);
    const result = written(await applyMcpFileBinding(nodeFileSystem, { target: 'vscodeWorkspace', path: file, launch, connectionSlug: 'sq', launcher: { runtime, bindingId: 'b-1' } }));
    assert.deepEqual(result, { kind: 'written', serverName: 'sonarqube', inputId: undefined, createdFile: false, createdDirs: [], createdKeys: ['servers'] });
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      `{
  "inputs": [
    { "type": "promptString", "description": "mine, without an id" }
  ],
  "servers": {
    "sonarqube": {
      "type": "stdio",
      "command": "/opt/editor/code",
      "args": [
        "/home/ada/storage/launcher/launcher.js",
        "--binding",
        "b-1",
        "--",
        "sonar-mcp",
        "--stdio"
      ],
      "env": {
        "ELECTRON_RUN_AS_NODE": "1",
        "SONARQUBE_URL": "https://sq.example.com"
      }
    }
  }
}
`,
    );
    await removeMcpFileBinding(nodeFileSystem, { target: 'vscodeWorkspace', path: file, serverName: result.serverName, createdKeys: result.createdKeys });
    assert.equal(fs.readFileSync(file, 'utf8'), theirs);
  });

  it('unbind of a file that is gone creates nothing', async () => {
    await removeMcpFileBinding(nodeFileSystem, { target: 'cursorUser', path: file, serverName: 'sonarqube', createdFile: true, createdKeys: ['mcpServers'] });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('a client without variables (Claude Desktop) is given the launcher or the value, never a reference: it says so and writes nothing', async () => {
    await assert.rejects(applyMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, launch, connectionSlug: 'sq' }), {
      message: 'claudeDesktop cannot reference a variable: it needs the launcher or the value',
    });
    await assert.rejects(applyMcpFileBinding(nodeFileSystem, { target: 'vscodeProvider', path: file, launch, connectionSlug: 'sq' }), { message: 'vscodeProvider has no configuration file' });
    await assert.rejects(removeMcpFileBinding(nodeFileSystem, { target: 'cursorExtension', path: file, serverName: 'sonarqube' }), { message: 'cursorExtension has no configuration file' });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('a Claude Desktop plain-text binding writes the value only into its own entry, and unbind takes it out again', async () => {
    const theirs = '{\n  "mcpServers": {\n    "filesystem": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem"] }\n  },\n  "globalShortcut": "Ctrl+Space"\n}\n';
    fs.writeFileSync(file, theirs);
    const token = freshTokenValue();
    const result = written(await applyMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, launch, connectionSlug: 'sq', plainTextToken: token }));
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      `{
  "mcpServers": {
    "filesystem": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem"] },
    "sonarqube": {
      "command": "sonar-mcp",
      "args": [
        "--stdio"
      ],
      "env": {
        "SONARQUBE_URL": "https://sq.example.com",
        "SONARQUBE_TOKEN": "${token}"
      }
    }
  },
  "globalShortcut": "Ctrl+Space"
}
`,
    );
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    await removeMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, serverName: result.serverName, createdKeys: result.createdKeys, plainTextToken: token });
    assert.equal(fs.readFileSync(file, 'utf8'), theirs);
    assert.deepEqual(fs.readdirSync(dir), ['mcp.json'], 'no temporary file holding the token left behind');
  });

  it('binding the same value again narrows a Claude Desktop file someone widened to 0644, though its text is unchanged', async () => {
    const token = freshTokenValue();
    const options = { target: 'claudeDesktop' as const, path: file, launch, connectionSlug: 'sq', plainTextToken: token };
    await applyMcpFileBinding(nodeFileSystem, options);
    const text = fs.readFileSync(file, 'utf8');
    fs.chmodSync(file, 0o644);
    written(await applyMcpFileBinding(nodeFileSystem, { ...options, replaceExisting: true }));
    assert.equal(fs.readFileSync(file, 'utf8'), text);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('rotating to the value already there (a rotation finished again) narrows a widened Claude Desktop file too', async () => {
    const token = freshTokenValue();
    await applyMcpFileBinding(nodeFileSystem, { target: 'claudeDesktop', path: file, launch, connectionSlug: 'sq', plainTextToken: token });
    const text = fs.readFileSync(file, 'utf8');
    fs.chmodSync(file, 0o644);
    await rewritePlainTextToken(nodeFileSystem, { path: file, serverName: 'sonarqube', token });
    assert.equal(fs.readFileSync(file, 'utf8'), text);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('unbind leaves a top-level key it had added alone once the person made it something other than an object', async () => {
    fs.writeFileSync(file, '{}\n');
    const result = written(await applyMcpFileBinding(nodeFileSystem, { target: 'cursorUser', path: file, launch, connectionSlug: 'sq' }));
    assert.deepEqual(result.createdKeys, ['mcpServers']);
    for (const value of ['"see ~/.cursor/shared.json"', '""', '[]', 'false']) {
      const theirs = `{\n  "mcpServers": ${value}\n}\n`;
      fs.writeFileSync(file, theirs);
      await removeMcpFileBinding(nodeFileSystem, { target: 'cursorUser', path: file, serverName: result.serverName, createdKeys: result.createdKeys });
      assert.equal(fs.readFileSync(file, 'utf8'), theirs, value);
    }
  });
});

describe("repairing a launcher entry beside the person's own entries (whole file texts)", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-'));
    file = path.join(dir, 'mcp.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const moved = { executable: '/usr/share/code/code', script: '/home/ada/.config/Code/User/globalStorage/sonarqube-tokens.sonarqube-tokens/launcher/launcher.js' };
  const before = `{
  // mine
  "mcpServers": {
    "wrapper": { "command": "node", "args": ["/home/ada/tools/wrapper.js", "--binding", "b-1", "--", "docker"] },
    "sonarqube": {
      "command": "/opt/VSCode-linux-x64/code",
      "args": [
        "/home/ada/old-storage/launcher/launcher.js",
        "--binding",
        "b-1",
        "--",
        "sonar-mcp",
        "--stdio"
      ],
      "env": { "ELECTRON_RUN_AS_NODE": "1", "SONARQUBE_URL": "https://sq.example.com" }
    }
  }
}
`;

  it('changes only the command and the launcher path of the entry it wrote for this binding', async () => {
    fs.writeFileSync(file, before);
    assert.equal(await repairLauncherFileEntry(nodeFileSystem, { id: 'b-1', target: 'cursorUser', path: file, serverName: 'sonarqube' }, moved), true);
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      `{
  // mine
  "mcpServers": {
    "wrapper": { "command": "node", "args": ["/home/ada/tools/wrapper.js", "--binding", "b-1", "--", "docker"] },
    "sonarqube": {
      "command": "/usr/share/code/code",
      "args": [
        "/home/ada/.config/Code/User/globalStorage/sonarqube-tokens.sonarqube-tokens/launcher/launcher.js",
        "--binding",
        "b-1",
        "--",
        "sonar-mcp",
        "--stdio"
      ],
      "env": { "ELECTRON_RUN_AS_NODE": "1", "SONARQUBE_URL": "https://sq.example.com" }
    }
  }
}
`,
    );
    assert.equal(await repairLauncherFileEntry(nodeFileSystem, { id: 'b-1', target: 'cursorUser', path: file, serverName: 'sonarqube' }, moved), false, 'current now: nothing to do');
  });

  it("leaves the file byte for byte when the entry is another binding's, the person's, or gone", async () => {
    fs.writeFileSync(file, before);
    const mtime = fs.statSync(file).mtimeMs;
    assert.equal(await repairLauncherFileEntry(nodeFileSystem, { id: 'b-2', target: 'cursorUser', path: file, serverName: 'sonarqube' }, moved), false, 'another binding');
    assert.equal(await repairLauncherFileEntry(nodeFileSystem, { id: 'b-1', target: 'cursorUser', path: file, serverName: 'wrapper' }, moved), false, "the person's own wrapper");
    assert.equal(await repairLauncherFileEntry(nodeFileSystem, { id: 'b-1', target: 'cursorUser', path: file, serverName: 'gone' }, moved), false, 'no such entry');
    assert.equal(await repairLauncherFileEntry(nodeFileSystem, { id: 'b-1', target: 'vscodeWorkspace', path: file, serverName: 'sonarqube' }, moved), false, 'another top-level key');
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    assert.equal(fs.statSync(file).mtimeMs, mtime);
    assert.equal(await repairLauncherFileEntry(nodeFileSystem, { id: 'b-1', target: 'cursorUser', path: path.join(dir, 'missing.json'), serverName: 'sonarqube' }, moved), false);
    assert.deepEqual(fs.readdirSync(dir), ['mcp.json']);
  });

  it('leaves a file that holds no JSON object (null, a list) alone instead of failing', async () => {
    for (const theirs of ['null\n', '[\n  { "sonarqube": {} }\n]\n']) {
      fs.writeFileSync(file, theirs);
      assert.equal(await repairLauncherFileEntry(nodeFileSystem, { id: 'b-1', target: 'cursorUser', path: file, serverName: 'sonarqube' }, moved), false, theirs);
      assert.equal(fs.readFileSync(file, 'utf8'), theirs);
    }
  });
});
