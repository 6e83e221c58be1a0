// What a suite needs whose MCP entries run the launcher: a private Secret Service (a D-Bus session with an unlocked
// gnome-keyring) for the whole suite, and per test a fake SonarQube Server and a scratch folder for the stub MCP
// server's record, all stopped and removed afterwards, also on failure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeSonarQube } from '../../fake-sonarqube';
import { keyringSessionFor } from '../../unit/support/keyringSession';
import type { KeyringSession } from '../../unit/support/keyringSession';
import { REPO_ROOT } from './vsix';

export const STUB_MCP_SERVER = path.join(REPO_ROOT, 'test', 'stubs', 'stub-mcp-server.cjs');

/** The machine settings that make the launcher run the stub MCP server, which records what it was started with. */
export const STUB_SERVER_SETTINGS = {
  'sonarqubeTokens.mcp.launcher': 'custom',
  'sonarqubeTokens.mcp.customCommand': process.execPath,
  'sonarqubeTokens.mcp.customArgs': [STUB_MCP_SERVER],
};

export interface LauncherSuite {
  readonly keyring: () => KeyringSession;
  /** A fake SonarQube Server for this test. */
  startFake(): Promise<FakeSonarQube>;
  /** Where the stub MCP server of this test records its start. */
  recordFile(): string;
}

/** Registers the suite's hooks (call it in the `describe`). */
export function launcherSuite(): LauncherSuite {
  let keyring: KeyringSession | undefined;
  let fake: FakeSonarQube | undefined;
  let scratch: string | undefined;
  before(async function () {
    keyring = await keyringSessionFor(this);
  });
  after(async () => {
    await keyring?.stop();
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
  });
  return {
    keyring: () => keyring!,
    startFake: async () => (fake = await FakeSonarQube.start({ flavour: 'server' })),
    recordFile: () => path.join((scratch ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sqt-launcher-record-'))), 'record.jsonl'),
  };
}
