// Crash consistency: every journaled operation is killed before and after each effect it awaits (a state write, a
// secret write or delete, a file write, rename, chmod or unlink, a generate or revoke on the server), then a fresh
// extension host runs recovery over the same globalState, secret store, files and fake SonarQube. Afterwards the
// invariants hold (see `World.assertConsistent`) and nothing outside the operation changed.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Agent } from 'undici';
import { ConnectionStore } from '../../../src/core/connections/connectionStore';
import { bindConnectedModeFlow } from '../../../src/core/flows/bindConnectedMode';
import { writeMcpBinding } from '../../../src/core/flows/bindMcp';
import type { McpBindingWriteDeps } from '../../../src/core/flows/bindMcp';
import { buildMcpLaunch } from '../../../src/core/mcp/launch';
import { mcpTarget } from '../../../src/core/mcp/targets';
import { generateTokenFlow } from '../../../src/core/flows/generateToken';
import { removeConnectionData } from '../../../src/core/flows/removeConnection';
import { revokeTokenFlow } from '../../../src/core/flows/revokeToken';
import { rotateToken } from '../../../src/core/flows/rotateToken';
import { recoverOperations } from '../../../src/core/journal/recovery';
import type { RecoverySummary } from '../../../src/core/journal/recovery';
import { englishMessage } from '../../../src/core/ports';
import { parseSecretKey, signInSecretKey } from '../../../src/core/secrets/keys';
import { BindingStore } from '../../../src/core/tokens/bindingStore';
import { FakeSonarQube } from '../../fake-sonarqube';
import { FakeClipboard, manualTimers } from '../flows/harness';
import { ScriptedPrompter } from '../support/scriptedPrompter';
import type { ScriptStep } from '../support/scriptedPrompter';
import { KillSwitch, World } from './world';
import type { Session, WorldFixture } from './world';

/** Answers the one recovery notification with Revoke whenever it offers it. */
class RevokingPrompter extends ScriptedPrompter {
  constructor() {
    super([]);
  }
  override async warn(message: string, ...actions: string[]): Promise<string | undefined> {
    await super.warn(message, ...actions);
    return actions.find((action) => action.startsWith('Revoke'));
  }
}

interface Operation {
  readonly name: string;
  /** What it may change: one token (`ide`) or the whole connection. */
  readonly scope: 'token' | 'connection';
  run(session: Session, world: World): Promise<unknown>;
  /** What this operation's own outcome must be: all or nothing. */
  check(world: World): void;
}

const clock = { now: () => new Date() };

function flowDeps(session: Session, prompter: ScriptedPrompter) {
  return { prompter, vault: session.vault, clock, t: englishMessage, logger: session.logger, api: session.api, journal: session.journal };
}

/** Writing an MCP binding as the host does, with the launcher the world's entries run. */
function mcpWriteDeps(session: Session, world: World, script: ScriptStep[]): McpBindingWriteDeps {
  return {
    ...session.mcp,
    prompter: new ScriptedPrompter(script),
    store: session.store,
    launchFor: (connection) => buildMcpLaunch({ launcher: 'docker', dockerImage: 'mcp/sonarqube' }, connection.target),
    installLauncher: async () => world.launcherRuntime,
    displayPath: (file) => file,
    journal: session.journal,
  };
}

function boundNames(world: World): string[] {
  return new BindingStore(world.state).list().filter((binding) => binding.token.name !== 'other').map((binding) => binding.token.name);
}

const operations: Operation[] = [
  {
    name: 'generate → store',
    scope: 'token',
    run: (session, world) =>
      generateTokenFlow(
        { ...flowDeps(session, new ScriptedPrompter([{ input: 'fresh' }, { pick: 'User' }, { pick: '30 days' }, { pick: 'Keep in secure storage' }])), machineName: 'box', clipboard: { clipboard: new FakeClipboard(), clearSeconds: 30, timers: manualTimers } },
        world.connection,
      ),
    check: (world) => assert.deepEqual(boundNames(world), ['ide', 'ide']),
  },
  {
    name: 'rotate',
    scope: 'token',
    async run(session, world) {
      const token = (await session.api.searchTokens()).tokens.find((listed) => listed.name === 'ide');
      assert.ok(token);
      return rotateToken(
        { old: world.ide, token, bindings: session.store.forToken(world.ide), newName: 'ide-next', now: new Date() },
        {
          generate: (request) => session.api.generateToken(request),
          storeValue: (to, value) => session.vault.store(to, value),
          deleteValue: (which) => session.vault.delete(which),
          switchBinding: (binding, _from, to) => session.bindings.switchToken(binding, to),
          revoke: (which) => session.api.revokeToken({ name: which.name }),
          journal: { log: session.journal, bindingId: (binding) => binding.id },
        },
      );
    },
    check(world) {
      // Never half rotated: the old token valid and bound with no replacement, or revoked and replaced everywhere.
      const names = world.serverTokens();
      if (names.includes('ide')) {
        assert.ok(!names.includes('ide-next'), 'no replacement left next to the old token');
        assert.deepEqual(boundNames(world), ['ide', 'ide']);
      } else {
        assert.ok(names.includes('ide-next'), 'the replacement exists once the old token is revoked');
        assert.deepEqual(boundNames(world), ['ide-next', 'ide-next']);
      }
    },
  },
  {
    name: 'revoke + clean-up',
    scope: 'token',
    run: (session, world) =>
      revokeTokenFlow(flowDeps(session, new ScriptedPrompter([{ confirm: true }])), world.connection, { login: world.login, name: 'ide' }, {
        usedBy: [],
        cleanUp: async (ref) => {
          for (const binding of session.store.forToken(ref)) await session.bindings.remove(binding);
        },
      }),
    check(world) {
      assert.deepEqual(boundNames(world), world.serverTokens().includes('ide') ? ['ide', 'ide'] : []);
    },
  },
  {
    name: 'bind to SonarQube for IDE',
    scope: 'token',
    run: (session, world) =>
      bindConnectedModeFlow(
        {
          ...session.connectedMode,
          prompter: new ScriptedPrompter([{ searchPick: 'shop' }, { pick: 'Share with the team' }]),
          t: englishMessage,
          logger: session.logger,
          clipboard: { clipboard: new FakeClipboard(), clearSeconds: 30, timers: manualTimers },
          readValue: (ref) => session.vault.read(ref),
          openConnectionForm: async () => {},
          sonarlintInstalled: true,
          showSonarlintExtension: async () => {},
          folders: [world.project],
          apiFor: async () => session.api,
          journal: session.journal,
          displayPath: (file) => file,
        },
        world.connection,
        world.ide,
      ),
    check(world) {
      // All or nothing: the record with its settings and shared file (see assertConsistent), or none of them.
      const bound = new BindingStore(world.state).list().filter((binding) => binding.kind === 'connectedMode');
      assert.deepEqual(boundNames(world), bound.length > 0 ? ['ide', 'ide', 'ide'] : ['ide', 'ide']);
      assert.equal(world.sonarlint.folders.size, bound.length);
    },
  },
  {
    name: 'bind to an MCP client (launcher, new file)',
    scope: 'token',
    run: (session, world) => writeMcpBinding(mcpWriteDeps(session, world, []), { connection: world.connection, ref: world.ide, row: mcpTarget('claudeCodeUser'), file: world.claudeCodeFile, delivery: 'launcher' }),
    check(world) {
      // All or nothing: the file, its entry, the credential-store entry and the record (see assertConsistent), or none.
      const bound = new BindingStore(world.state).list().some((binding) => binding.kind === 'mcp' && binding.target === 'claudeCodeUser');
      assert.deepEqual(boundNames(world), bound ? ['ide', 'ide', 'ide'] : ['ide', 'ide']);
      assert.equal(fs.existsSync(world.claudeCodeFile), bound, 'the file it created is there exactly when bound');
      assert.equal(world.credentials.values.size, bound ? 2 : 1, 'one credential-store entry per launcher binding');
    },
  },
  {
    name: 'bind to an MCP client (launcher, name taken: added beside)',
    scope: 'token',
    run: (session, world) =>
      writeMcpBinding(mcpWriteDeps(session, world, [{ warn: 'Add as "sonarqube-crash-example"' }]), { connection: world.connection, ref: world.ide, row: mcpTarget('vscodeWorkspace'), file: world.bindingFiles.vscode, delivery: 'launcher' }),
    check(world) {
      const bound = new BindingStore(world.state).list().some((binding) => binding.kind === 'mcp' && binding.serverName === 'sonarqube-crash-example');
      assert.deepEqual(boundNames(world), bound ? ['ide', 'ide', 'ide'] : ['ide', 'ide']);
      assert.equal(world.credentials.values.size, bound ? 2 : 1, 'one credential-store entry per launcher binding');
    },
  },
  {
    name: 'remove connection',
    scope: 'connection',
    run: (session) =>
      removeConnectionData(
        {
          vault: session.vault,
          connections: session.connections,
          journal: session.journal,
          removeBindings: async (id) => {
            for (const binding of session.store.forConnection(id)) await session.bindings.remove(binding);
          },
        },
        'conn',
      ),
    check(world) {
      // All or nothing: the connection with its sign-in, values and three bindings, or none of them.
      const kept = new ConnectionStore(world.state).get('conn') !== undefined;
      const values = [...world.secrets.values.keys()].filter((key) => key === signInSecretKey('conn') || (parseSecretKey(key)?.kind === 'token' && key.includes(':conn|')));
      assert.equal(values.length, kept ? 3 : 0, 'sign-in and held values of the connection');
      assert.equal(new BindingStore(world.state).list().length, kept ? 3 : 0, 'bindings of the connection');
    },
  },
];

describe('crash consistency: every operation killed before and after each effect', function () {
  this.timeout(120_000);
  let fixture: WorldFixture;
  let worlds = 0;
  let crashPoints = 0;

  before(async () => {
    const fake = await FakeSonarQube.start();
    fake.addProject({ key: 'shop', name: 'Shop' });
    const ended = spawnSync(process.execPath, ['-e', '']);
    fixture = { fake, dispatcher: new Agent(), deadOwner: { host: os.hostname(), pid: ended.pid! } };
  });

  after(async () => {
    console.log(`      crash consistency: ${crashPoints} crash points tried`);
    await fixture.dispatcher.close();
    await fixture.fake.close();
  });

  async function recover(world: World): Promise<{ summary: RecoverySummary; prompter: ScriptedPrompter }> {
    const session = world.session();
    const prompter = new RevokingPrompter();
    const summary = await recoverOperations({ ...flowDeps(session, prompter), connections: session.connections, bindings: session.bindings, apiFor: async () => session.api, journal: session.journal });
    return { summary, prompter };
  }

  for (const operation of operations) {
    it(`${operation.name}: completes without a crash and leaves nothing to recover`, async () => {
      const world = await World.create(fixture, `user-${++worlds}`);
      const session = world.session();
      await operation.run(session, world);
      assert.ok(session.kill.effects > 3, `${operation.name} has several steps: ${session.kill.trail.join(', ')}`);
      operation.check(world);
      world.assertConsistent();
      assert.deepEqual((await recover(world)).summary, { resolved: 0, pending: 0 });
      world.dispose();
    });

    for (const when of ['before', 'after'] as const) {
      it(`${operation.name}: killed ${when} each effect, then recovered`, async () => {
        const effects = await (async () => {
          const world = await World.create(fixture, `user-${++worlds}`);
          const session = world.session();
          await operation.run(session, world);
          world.dispose();
          return session.kill.trail;
        })();
        for (let index = 1; index <= effects.length; index++) {
          const world = await World.create(fixture, `user-${++worlds}`);
          const untouched = world.unrelated(operation.scope);
          const session = world.session(new KillSwitch({ index, when }));
          await operation.run(session, world).catch((error: unknown) => {
            // Once the host is dead nothing it would still say matters (a flow may word the kill as its own failure).
            if (!session.kill.dead) throw error;
          });
          const where = `${when} effect ${index} (${effects[index - 1]}) of ${effects.join(', ')}`;
          assert.ok(session.kill.dead, `the host was killed ${where}`);
          try {
            const { prompter } = await recover(world);
            operation.check(world);
            world.assertConsistent();
            assert.deepEqual(world.unrelated(operation.scope), untouched, 'nothing outside the operation changed');
            world.assertNoLeak(prompter.shownText + session.logger.lines.join('\n'));
            assert.deepEqual((await recover(world)).summary, { resolved: 0, pending: 0 }, 'a second start finds nothing to do');
          } catch (error) {
            throw new Error(`killed ${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
          }
          crashPoints++;
          world.dispose();
        }
      });
    }
  }
});
