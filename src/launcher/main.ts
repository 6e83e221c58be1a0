// The program an MCP client outside VS Code runs as the server's command (bundled to dist/launcher.js and copied to
// the extension's global storage): `<editor runtime> launcher.js --binding <id> -- <real command> [args...]`.
// It reads the binding's token from the OS credential store, runs the real command with SONARQUBE_TOKEN set, passes
// stdio through, forwards signals and exits as the child did. When it cannot, it prints one line saying what to do in
// VS Code, and never a value. Startup time is the cost every MCP start pays: nothing here but what that needs.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import * as path from 'node:path';
import { mcpCredentialAccount } from '../core/credentials/credentialStore';
import { CREDENTIAL_STORE_ERROR, KeyringCredentialStore } from '../core/credentials/keyringStore';
import type { CredentialStoreError, NativeKeyring } from '../core/credentials/keyringStore';
import { TOKEN_ENV } from '../core/mcp/launch';
import { parseLauncherArgs } from '../core/mcp/launcherEntry';
import { KEYRING_BINARY } from '../core/mcp/launcherInstall';
import { isErrorNamed } from '../core/util/namedError';

const RUN_AS_NODE = 'ELECTRON_RUN_AS_NODE';
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const BIND_COMMAND = '"SonarQube Tokens: Bind Token to MCP Server…"';
const BIND_AGAIN = `In VS Code, run ${BIND_COMMAND} again.`;

function fail(message: string): void {
  process.stderr.write(`SonarQube Tokens: ${message}\n`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const invocation = parseLauncherArgs(process.argv.slice(2), { executable: process.execPath, script: __filename });
  if (!invocation) return fail(`this MCP server entry is not one the extension wrote (expected --binding <id> -- <command>). ${BIND_AGAIN}`);
  const { bindingId, command, args } = invocation;

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const store = new KeyringCredentialStore(() => require(path.join(__dirname, KEYRING_BINARY)) as NativeKeyring);
  let token: string | undefined;
  try {
    token = await store.get(mcpCredentialAccount(bindingId));
  } catch (error) {
    if (!isErrorNamed(error, CREDENTIAL_STORE_ERROR)) throw error;
    const { failure, message } = error as CredentialStoreError;
    return fail(`cannot read the token of this MCP server (binding ${bindingId}): ${message}${failure === 'locked' ? '' : ` ${BIND_AGAIN}`}`);
  }
  if (token === undefined) return fail(`no token is stored for this MCP server (binding ${bindingId}). ${BIND_AGAIN}`);

  const env: NodeJS.ProcessEnv = { ...process.env, [TOKEN_ENV]: token };
  // Set for the editor's runtime to act as Node; the real server may itself be an Electron app.
  delete env[RUN_AS_NODE];
  const child = spawn(command, args, { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);

  let startFailed = false;
  child.on('error', (error: NodeJS.ErrnoException) => {
    startFailed = true;
    fail(
      error.code === 'ENOENT'
        ? `cannot start the MCP server: "${command}" was not found on this MCP client's PATH. Install it, or choose another launch in the VS Code setting sonarqubeTokens.mcp.launcher and run ${BIND_COMMAND} again.`
        : `cannot start the MCP server "${command}": ${error.message}.`,
    );
  });
  child.on('exit', (code, signal) => {
    for (const forwarded of FORWARDED_SIGNALS) process.off(forwarded, forward);
    if (startFailed) return;
    if (signal) {
      // Die the way the child did, so the client sees the same signal; 128+n where a signal cannot be raised.
      process.exitCode = 128 + (constants.signals[signal] ?? 0);
      process.kill(process.pid, signal);
      return;
    }
    process.exitCode = code ?? 1;
  });
}

main().catch((error: unknown) => fail(`the launcher failed: ${error instanceof Error ? error.message : String(error)}. ${BIND_AGAIN}`));
