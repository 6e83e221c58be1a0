// What the Exposed Tokens section of the Tokens view shows: the section node, the order of its findings, and each
// finding written out whole (label, description, hover, icon, menu flags, screen-reader label) for every token type,
// check result and git state. The findings come from real file text holding generated values, and no node may
// show more of a value than its first 4 and last 4 characters.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { exposureRoots, findingContextValue, findingNodes, presentExposures, presentFinding } from '../../../src/core/exposure/findingNodes';
import type { ExposureTreeSource, FindingPresentationContext } from '../../../src/core/exposure/findingNodes';
import type { Liveness } from '../../../src/core/exposure/liveness';
import type { KnownPlace } from '../../../src/core/exposure/places';
import { findingsInText } from '../../../src/core/exposure/scan';
import type { Finding } from '../../../src/core/exposure/scan';
import type { Translate } from '../../../src/core/ports';
import { bundleTranslator, translationKey } from '../support/bundleTranslator';

const hex = (digits: number) => randomBytes(digits / 2).toString('hex');

/** New values each run; the random part sits in the middle, so the masked form (first 4 … last 4) is known. */
const VALUES = {
  user: `squ_${hex(36)}beef`,
  global: `sqa_${hex(36)}0a0a`,
  project: `sqp_${hex(36)}1b1b`,
  scoped: `sqco_${hex(36)}2c2c`,
  bare: `cafe${hex(32)}f00d`,
};

const PLACES = {
  bashProfile: { path: '/home/ada/.bash_profile', kind: 'shellProfile', syntax: 'lines', scope: 'user' },
  cursor: { path: '/home/ada/.cursor/mcp.json', kind: 'mcpClient', syntax: 'json', scope: 'user', mcp: { topKey: 'mcpServers', client: 'Cursor', target: 'cursorUser' } },
  userSettings: { path: '/home/ada/.config/Code/User/settings.json', kind: 'vscodeSettings', syntax: 'json', scope: 'user' },
  dotenv: { path: '/work/shop/.env', kind: 'dotenv', syntax: 'lines', scope: 'workspace' },
  properties: { path: '/work/shop/sonar-project.properties', kind: 'properties', syntax: 'lines', scope: 'workspace' },
  settingsBackup: { path: '/work/shop/.vscode/settings.backup.json', kind: 'workspaceJson', syntax: 'json', scope: 'workspace' },
} satisfies Record<string, KnownPlace>;

/** The one finding in `text`, as the scan reports it, with what the scan adds (git, own binding) or a test needs. */
function found(place: KnownPlace, text: string, extra: Partial<Finding> = {}): Finding {
  const matches = findingsInText(place, text);
  assert.equal(matches.length, 1, `one token in ${place.path}`);
  const { offset: _offset, length: _length, ...finding } = matches[0];
  return { ...finding, ...extra };
}

const FOUND = {
  bashProfile: (extra?: Partial<Finding>) => found(PLACES.bashProfile, `# my tools\nexport SONARQUBE_TOKEN=${VALUES.user}\n`, extra),
  bashProfileComment: (extra?: Partial<Finding>) => found(PLACES.bashProfile, `# ${VALUES.user}\n`, extra),
  dotenv: (extra?: Partial<Finding>) => found(PLACES.dotenv, `SONAR_HOST_URL=https://sonar.example/team_a\nSONAR_TOKEN=${VALUES.global}\n`, extra),
  cursor: (extra?: Partial<Finding>) => found(PLACES.cursor, `{ "mcpServers": { "sonarqube": { "env": { "SONARQUBE_TOKEN": "${VALUES.project}" } } } }`, extra),
  cursorUser: (extra?: Partial<Finding>) => found(PLACES.cursor, `{ "mcpServers": { "sonarqube": { "env": { "SONARQUBE_TOKEN": "${VALUES.user}" } } } }`, extra),
  sonarlintCloud: (extra?: Partial<Finding>) =>
    found(PLACES.userSettings, `{ "sonarlint.connectedMode.connections.sonarcloud": [{ "organizationKey": "acme", "token": "${VALUES.scoped}" }] }`, extra),
  sonarlintServer: (extra?: Partial<Finding>) =>
    found(PLACES.userSettings, `{ "sonarlint.connectedMode.connections.sonarqube": [{ "serverUrl": "https://sonar.example", "token": "${VALUES.user}" }] }`, extra),
  otherSetting: (extra?: Partial<Finding>) => found(PLACES.userSettings, `{ "sonarqube.token": "${VALUES.user}" }`, extra),
  unknownSonarlintSection: (extra?: Partial<Finding>) =>
    found(PLACES.userSettings, `{ "sonarlint.connectedMode.connections.sonarqubeLegacy": [{ "token": "${VALUES.user}" }] }`, extra),
  lookalikeSetting: (extra?: Partial<Finding>) => found(PLACES.userSettings, `{ "acme.sonarlint.connectedMode.connections.sonarqube": "${VALUES.user}" }`, extra),
  settingsBackup: (extra?: Partial<Finding>) => found(PLACES.settingsBackup, `{ "sonarlint.connectedMode.connections.sonarqube": [{ "token": "${VALUES.user}" }] }`, extra),
  properties: (extra?: Partial<Finding>) => found(PLACES.properties, `sonar.projectKey=shop\nsonar.login=${VALUES.bare}\n`, extra),
};

const SERVER = { kind: 'server', serverUrl: 'https://sonar.example' } as const;
const LIVENESS = {
  alive: { state: 'alive', connectionId: 'c1', target: SERVER, serverLabel: 'sonar.example', login: 'ada', userName: 'Ada Lovelace' },
  dead: { state: 'dead', refusedBy: ['work', 'team'] },
  unreachable: { state: 'unknown', reason: 'unreachable' },
  noServer: { state: 'unknown', reason: 'noServer' },
  needsConfirmation: { state: 'unknown', reason: 'needsConfirmation', host: 'sonar.other.example', target: { kind: 'server', serverUrl: 'https://sonar.other.example' } },
} satisfies Record<string, Liveness>;

/** Like the tree: home shortened, workspace files relative; Markdown escaping made visible on `_` and `*`. */
const CONTEXT: FindingPresentationContext = {
  t: bundleTranslator,
  displayPath: (file) => file.replace(/^\/home\/ada\//, '~/').replace(/^\/work\/shop\//, ''),
  escape: (text) => text.replace(/[_*]/g, '\\$&'),
};

const COMMITTED = 'committed: exposed to everyone with the repository and kept in its history';

/** The node as a person meets it, the hover split into its lines; fails if any part of it holds a whole value. */
function shown(finding: Finding, liveness: Liveness | 'checking' | undefined) {
  const { tooltip, ...rest } = presentFinding(finding, liveness, CONTEXT);
  const node = { ...rest, tooltip: tooltip().split('  \n') };
  const text = JSON.stringify(node);
  for (const value of Object.values(VALUES)) assert.ok(!text.includes(value), `a whole token value is shown in ${text}`);
  return node;
}

// Findings are made inside the tests, never while the file loads: a change to detection then fails a test instead of
// the whole file.
describe('exposed tokens in the Tokens view', () => {
  describe('the section', () => {
    it('appears only when the scan found something, with a stable id', () => {
      const source = (findings: Finding[]): ExposureTreeSource => ({ findings, livenessOf: () => undefined });
      assert.deepEqual(exposureRoots(undefined), []);
      assert.deepEqual(exposureRoots(source([])), []);
      assert.deepEqual(exposureRoots(source([FOUND.dotenv(), FOUND.cursor()])), [{ kind: 'exposures', id: 'exposures', count: 2 }]);
    });

    // One finding has a message of its own, so that a language whose singular differs can say it.
    const sections: Array<{ count: number; description: string; countMessage: string; accessibilityLabel: string }> = [
      { count: 1, description: '1 found in files', countMessage: '1 found in files', accessibilityLabel: 'Exposed Tokens, 1 found in files' },
      { count: 3, description: '3 found in files', countMessage: '{0} found in files', accessibilityLabel: 'Exposed Tokens, 3 found in files' },
    ];
    for (const { count, description, countMessage, accessibilityLabel } of sections) {
      it(`says how many were found (${count})`, () => {
        const asked: string[] = [];
        const t: Translate = (message, ...args) => {
          asked.push(translationKey(message));
          return bundleTranslator(message, ...args);
        };
        const { tooltip, ...rest } = presentExposures({ kind: 'exposures', id: 'exposures', count }, t);
        assert.ok(asked.includes(countMessage), `the count is translated from ${JSON.stringify(countMessage)}, not from one of ${JSON.stringify(asked)}`);
        assert.deepEqual(
          { ...rest, tooltip: tooltip() },
          {
            label: 'Exposed Tokens',
            description,
            tooltip: 'Token values found in plain text in the files where tokens are usually pasted. Move each one to secure storage, revoke it, replace it or ignore it.',
            icon: { id: 'shield', color: 'list.warningForeground' },
            contextValue: 'exposures',
            accessibilityLabel,
          },
        );
      });
    }

    it('lists findings by file, then by line, each under an id that names the finding', () => {
      const findings = [
        FOUND.dotenv({ id: 'env-9', line: 9 }),
        FOUND.bashProfile({ id: 'bash-4', line: 4 }),
        FOUND.dotenv({ id: 'env-2', line: 2 }),
        FOUND.cursor({ id: 'cursor-1', line: 1 }),
        FOUND.dotenv({ id: 'env-5', line: 5 }),
        FOUND.bashProfile({ id: 'bash-1', line: 1 }),
      ];
      const nodes = findingNodes({ findings, livenessOf: () => undefined });
      assert.deepEqual(nodes, [
        { kind: 'finding', id: 'exposures/finding:bash-1', findingId: 'bash-1' },
        { kind: 'finding', id: 'exposures/finding:bash-4', findingId: 'bash-4' },
        { kind: 'finding', id: 'exposures/finding:cursor-1', findingId: 'cursor-1' },
        { kind: 'finding', id: 'exposures/finding:env-2', findingId: 'env-2' },
        { kind: 'finding', id: 'exposures/finding:env-5', findingId: 'env-5' },
        { kind: 'finding', id: 'exposures/finding:env-9', findingId: 'env-9' },
      ]);
      assert.deepEqual(
        findings.map((finding) => finding.id),
        ['env-9', 'bash-4', 'env-2', 'cursor-1', 'env-5', 'bash-1'],
        'the scan result itself is not reordered',
      );
      assert.deepEqual(findingNodes(undefined), [], 'no scan yet: no findings');
    });
  });

  describe('a finding', () => {
    const cases: Array<{ name: string; finding: () => Finding; liveness: Liveness | 'checking' | undefined; expected: ReturnType<typeof shown> }> = [
      {
        name: 'a user token in an untracked shell profile, not checked yet',
        finding: () => FOUND.bashProfile({ tracked: false }),
        liveness: undefined,
        expected: {
          label: '~/.bash_profile:2',
          description: 'SONARQUBE_TOKEN · user token · squ_…beef · unknown',
          tooltip: ['**~/.bash\\_profile:2**', '', 'Key: SONARQUBE\\_TOKEN', 'Type: user token', 'Value: squ_…beef', 'Checked: not checked', 'Git: not tracked'],
          icon: { id: 'key', color: 'list.warningForeground' },
          contextValue: 'finding+unknown',
          accessibilityLabel: 'Exposed token in ~/.bash_profile:2: SONARQUBE_TOKEN · user token · squ_…beef · unknown',
        },
      },
      {
        name: 'a committed global analysis token refused by two servers, next to the server the file names',
        finding: () => FOUND.dotenv({ tracked: true }),
        liveness: LIVENESS.dead,
        expected: {
          label: '.env:2',
          description: `SONAR_TOKEN · global analysis token · sqa_…0a0a · dead · ${COMMITTED}`,
          tooltip: [
            '**.env:2**',
            '',
            'Key: SONAR\\_TOKEN',
            'Type: global analysis token',
            'Value: sqa_…0a0a',
            'Checked: refused by work, team',
            `$(warning) Git: ${COMMITTED}`,
            'Server named in the file: https://sonar.example/team\\_a',
          ],
          icon: { id: 'warning', color: 'list.errorForeground' },
          contextValue: 'finding+dead+tracked',
          accessibilityLabel: `Exposed token in .env:2: SONAR_TOKEN · global analysis token · sqa_…0a0a · dead · ${COMMITTED}`,
        },
      },
      {
        name: 'a live project analysis token in an MCP entry, where git could not tell',
        finding: () => FOUND.cursor(),
        liveness: LIVENESS.alive,
        expected: {
          label: '~/.cursor/mcp.json:1',
          description: 'SONARQUBE_TOKEN · project analysis token · sqp_…1b1b · alive (ada)',
          tooltip: [
            '**~/.cursor/mcp.json:1**',
            '',
            'Key: SONARQUBE\\_TOKEN',
            'Type: project analysis token',
            'Value: sqp_…1b1b',
            'Checked: alive: ada on sonar.example',
            'Git: could not tell whether the file is tracked',
          ],
          icon: { id: 'key', color: 'list.warningForeground' },
          contextValue: 'finding+alive+replaceable',
          accessibilityLabel: 'Exposed token in ~/.cursor/mcp.json:1: SONARQUBE_TOKEN · project analysis token · sqp_…1b1b · alive (ada)',
        },
      },
      {
        name: 'a scoped organization token in a SonarQube for IDE setting, being checked',
        finding: () => FOUND.sonarlintCloud({ tracked: false }),
        liveness: 'checking',
        expected: {
          label: '~/.config/Code/User/settings.json:1',
          description: 'token · scoped organization token · sqco…2c2c · checking…',
          tooltip: ['**~/.config/Code/User/settings.json:1**', '', 'Key: token', 'Type: scoped organization token', 'Value: sqco…2c2c', 'Checked: checking…', 'Git: not tracked'],
          icon: { id: 'key', color: 'list.warningForeground' },
          contextValue: 'finding+unknown+replaceable',
          accessibilityLabel: 'Exposed token in ~/.config/Code/User/settings.json:1: token · scoped organization token · sqco…2c2c · checking…',
        },
      },
      {
        name: 'a committed token of unknown type whose server could not be reached',
        finding: () => FOUND.properties({ tracked: true }),
        liveness: LIVENESS.unreachable,
        expected: {
          label: 'sonar-project.properties:2',
          description: `sonar.login · token (type unknown) · cafe…f00d · unknown · ${COMMITTED}`,
          tooltip: [
            '**sonar-project.properties:2**',
            '',
            'Key: sonar.login',
            'Type: token (type unknown)',
            'Value: cafe…f00d',
            'Checked: unknown: server unreachable',
            `$(warning) Git: ${COMMITTED}`,
          ],
          icon: { id: 'warning', color: 'list.errorForeground' },
          contextValue: 'finding+unknown+tracked',
          accessibilityLabel: `Exposed token in sonar-project.properties:2: sonar.login · token (type unknown) · cafe…f00d · unknown · ${COMMITTED}`,
        },
      },
      {
        name: 'a token with no key, naming a server the person has no connection to',
        finding: () => FOUND.bashProfileComment({ tracked: false }),
        liveness: LIVENESS.needsConfirmation,
        expected: {
          label: '~/.bash_profile:1',
          description: 'user token · squ_…beef · unknown',
          tooltip: ['**~/.bash\\_profile:1**', '', 'Type: user token', 'Value: squ_…beef', 'Checked: unknown: names sonar.other.example, not one of your connections', 'Git: not tracked'],
          icon: { id: 'key', color: 'list.warningForeground' },
          contextValue: 'finding+unknown+confirm',
          accessibilityLabel: 'Exposed token in ~/.bash_profile:1: user token · squ_…beef · unknown',
        },
      },
      {
        name: 'a token in a copy of the settings, with no connection to check it on (Replace only works on the real settings)',
        finding: () => FOUND.settingsBackup({ tracked: false }),
        liveness: LIVENESS.noServer,
        expected: {
          label: '.vscode/settings.backup.json:1',
          description: 'token · user token · squ_…beef · unknown',
          tooltip: ['**.vscode/settings.backup.json:1**', '', 'Key: token', 'Type: user token', 'Value: squ_…beef', 'Checked: unknown: no connection to check it on', 'Git: not tracked'],
          icon: { id: 'key', color: 'list.warningForeground' },
          contextValue: 'finding+unknown',
          accessibilityLabel: 'Exposed token in .vscode/settings.backup.json:1: token · user token · squ_…beef · unknown',
        },
      },
      {
        name: "this extension's own plain-text fallback, even in a committed file: no check, no git warning",
        finding: () => FOUND.cursorUser({ tracked: true, ownBindingId: 'binding-1' }),
        liveness: undefined,
        expected: {
          label: '~/.cursor/mcp.json:1',
          description: 'SONARQUBE_TOKEN · squ_…beef · plain-text fallback written by this extension',
          tooltip: [
            '**~/.cursor/mcp.json:1**',
            '',
            'Key: SONARQUBE\\_TOKEN',
            'Type: user token',
            'Value: squ_…beef',
            'This extension wrote this value here on purpose, as the plain-text fallback of a binding: that client cannot read the token from anywhere else.',
          ],
          icon: { id: 'unlock' },
          contextValue: 'finding+own',
          accessibilityLabel: 'Exposed token in ~/.cursor/mcp.json:1: SONARQUBE_TOKEN · squ_…beef · plain-text fallback written by this extension',
        },
      },
    ];
    for (const { name, finding, liveness, expected } of cases) {
      it(`shows ${name}`, () => {
        assert.deepEqual(shown(finding(), liveness), expected);
      });
    }
  });

  describe('the actions a finding offers (context menu flags)', () => {
    const cases: Array<{ name: string; finding: () => Finding; liveness: Liveness | 'checking' | undefined; expected: string }> = [
      { name: 'a SonarQube for IDE setting naming a server to confirm: Replace and Confirm', finding: () => FOUND.sonarlintServer(), liveness: LIVENESS.needsConfirmation, expected: 'finding+unknown+replaceable+confirm' },
      { name: 'a committed MCP entry refused everywhere: Replace', finding: () => FOUND.cursor({ tracked: true }), liveness: LIVENESS.dead, expected: 'finding+dead+tracked+replaceable' },
      { name: 'an MCP entry not checked yet', finding: () => FOUND.cursor({ tracked: false }), liveness: undefined, expected: 'finding+unknown+replaceable' },
      { name: 'another setting in the settings file: no Replace', finding: () => FOUND.otherSetting(), liveness: LIVENESS.alive, expected: 'finding+alive' },
      { name: "another extension's setting named like SonarQube for IDE's: no Replace", finding: () => FOUND.lookalikeSetting(), liveness: LIVENESS.alive, expected: 'finding+alive' },
      { name: 'a section of SonarQube for IDE connections other than sonarqube and sonarcloud: no Replace (Replace cannot point it at a new token)', finding: () => FOUND.unknownSonarlintSection(), liveness: LIVENESS.alive, expected: 'finding+alive' },
      { name: 'SonarQube for IDE keys in a file that is not the settings: no Replace', finding: () => FOUND.settingsBackup(), liveness: LIVENESS.alive, expected: 'finding+alive' },
      { name: 'a shell profile naming a server to confirm: Confirm only', finding: () => FOUND.bashProfile(), liveness: LIVENESS.needsConfirmation, expected: 'finding+unknown+confirm' },
      { name: 'a finding that needed confirming, being checked now: no Confirm', finding: () => FOUND.sonarlintServer(), liveness: 'checking', expected: 'finding+unknown+replaceable' },
      { name: "the extension's own fallback, whatever was found about it", finding: () => FOUND.cursorUser({ tracked: true, ownBindingId: 'binding-1' }), liveness: LIVENESS.needsConfirmation, expected: 'finding+own' },
    ];
    for (const { name, finding, liveness, expected } of cases) {
      it(name, () => {
        assert.equal(findingContextValue(finding(), liveness), expected);
      });
    }
  });
});
