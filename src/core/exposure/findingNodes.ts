// The "Exposed Tokens" section of the Tokens view as plain data, like the rest of the tree (treeNodes.ts): a finding
// reads as its file and line, key, token type, first 4 and last 4 characters, whether git tracks the file, and what
// the liveness check said. Only types are imported here: the scan itself is loaded with the commands.
import type { Translate } from '../ports';
import type { ExposedTokenType } from './detect';
import type { Liveness } from './liveness';
import type { Finding } from './scan';

/** What the tree reads from the exposure model (the model is created with the commands, on the first scan). */
export interface ExposureTreeSource {
  readonly findings: readonly Finding[];
  livenessOf(id: string): Liveness | 'checking' | undefined;
}

export type ExposureNode =
  | { readonly kind: 'exposures'; readonly id: string; readonly count: number }
  | { readonly kind: 'finding'; readonly id: string; readonly findingId: string };

export const EXPOSURES_NODE_ID = 'exposures';

export interface FindingPresentationContext {
  readonly t: Translate;
  readonly displayPath: (file: string) => string;
  /** Text from files goes into Markdown tooltips escaped. */
  readonly escape: (text: string) => string;
}

/** The section, only when something was found. */
export function exposureRoots(source: ExposureTreeSource | undefined): ExposureNode[] {
  const count = source?.findings.length ?? 0;
  return count > 0 ? [{ kind: 'exposures', id: EXPOSURES_NODE_ID, count }] : [];
}

export function findingNodes(source: ExposureTreeSource | undefined): ExposureNode[] {
  const findings = [...(source?.findings ?? [])].sort((a, b) => (a.place.path < b.place.path ? -1 : a.place.path > b.place.path ? 1 : a.line - b.line));
  return findings.map((finding) => ({ kind: 'finding', id: `${EXPOSURES_NODE_ID}/finding:${finding.id}`, findingId: finding.id }));
}

export function foundTypeLabel(type: ExposedTokenType, t: Translate): string {
  switch (type) {
    case 'USER_TOKEN':
      return t('user token');
    case 'GLOBAL_ANALYSIS_TOKEN':
      return t('global analysis token');
    case 'PROJECT_ANALYSIS_TOKEN':
      return t('project analysis token');
    case 'SCOPED_ORGANIZATION_TOKEN':
      return t('scoped organization token');
    case 'UNTYPED':
      return t('token (type unknown)');
  }
}

/** The words a finding's check result is shown with. */
export function livenessWords(liveness: Liveness | undefined, t: Translate): string {
  if (!liveness) return t('not checked');
  switch (liveness.state) {
    case 'alive':
      return t('alive: {0} on {1}', liveness.login, liveness.serverLabel);
    case 'dead':
      return t('refused by {0}', liveness.refusedBy.join(', '));
    case 'unknown':
      if (liveness.reason === 'needsConfirmation') return t('unknown: names {0}, not one of your connections', liveness.host);
      return liveness.reason === 'unreachable' ? t('unknown: server unreachable') : t('unknown: no connection to check it on');
  }
}

function shortLiveness(liveness: Liveness | 'checking' | undefined, t: Translate): string {
  if (liveness === 'checking') return t('checking…');
  if (liveness?.state === 'alive') return t('alive ({0})', liveness.login);
  if (liveness?.state === 'dead') return t('dead');
  return t('unknown');
}

/**
 * The SonarQube for IDE section (`sonarlint.connectedMode.connections.sonarqube` / `.sonarcloud`) of a finding in
 * the VS Code settings, which Replace can point at a new token; undefined anywhere else. The menus and Replace both
 * ask this, so Replace is offered exactly where it works.
 */
export function sonarlintSettingSection(finding: Finding): { section: 'sonarqube' | 'sonarcloud' } | undefined {
  const first = finding.jsonPath?.[0];
  const section = typeof first === 'string' ? /^sonarlint\.connectedMode\.connections\.(sonarqube|sonarcloud)$/.exec(first)?.[1] : undefined;
  return finding.place.kind === 'vscodeSettings' && section ? { section: section as 'sonarqube' | 'sonarcloud' } : undefined;
}

/** Which actions a finding offers (the menus in package.json match these flags). */
export function findingContextValue(finding: Finding, liveness: Liveness | 'checking' | undefined): string {
  if (finding.ownBindingId !== undefined) return 'finding+own';
  const state = liveness === undefined || liveness === 'checking' ? 'unknown' : liveness.state;
  return [
    'finding',
    `+${state}`,
    finding.tracked ? '+tracked' : '',
    finding.place.mcp || sonarlintSettingSection(finding) ? '+replaceable' : '',
    liveness !== 'checking' && liveness?.state === 'unknown' && liveness.reason === 'needsConfirmation' ? '+confirm' : '',
  ].join('');
}

export interface FindingPresentation {
  readonly label: string;
  readonly description: string;
  readonly tooltip: () => string;
  readonly icon: { readonly id: string; readonly color?: string };
  readonly contextValue: string;
  readonly accessibilityLabel: string;
}

export function presentExposures(node: Extract<ExposureNode, { kind: 'exposures' }>, t: Translate) {
  return {
    label: t('Exposed Tokens'),
    description: node.count === 1 ? t('1 found in files') : t('{0} found in files', node.count),
    tooltip: () => t('Token values found in plain text in the files where tokens are usually pasted. Move each one to secure storage, revoke it, replace it or ignore it.'),
    icon: { id: 'shield', color: 'list.warningForeground' },
    contextValue: 'exposures',
    accessibilityLabel: t('Exposed Tokens, {0} found in files', node.count),
  };
}

export function presentFinding(finding: Finding, liveness: Liveness | 'checking' | undefined, context: FindingPresentationContext): FindingPresentation {
  const { t } = context;
  const label = `${context.displayPath(finding.place.path)}:${finding.line}`;
  const own = finding.ownBindingId !== undefined;
  const committed = t('committed: exposed to everyone with the repository and kept in its history');
  const parts = own
    ? [finding.key, finding.masked, t('plain-text fallback written by this extension')]
    : [finding.key, foundTypeLabel(finding.type, t), finding.masked, shortLiveness(liveness, t), finding.tracked ? committed : undefined];
  const description = parts.filter((part): part is string => part !== undefined).join(' · ');
  const checked = liveness === 'checking' ? t('checking…') : livenessWords(liveness, t);
  const git = finding.tracked === undefined ? t('Git: could not tell whether the file is tracked') : finding.tracked ? `$(warning) ${t('Git')}: ${committed}` : t('Git: not tracked');
  const tooltip = () =>
    [
      `**${context.escape(label)}**`,
      '',
      finding.key ? `${t('Key')}: ${context.escape(finding.key)}` : undefined,
      `${t('Type')}: ${foundTypeLabel(finding.type, t)}`,
      `${t('Value')}: ${finding.masked}`,
      own ? t('This extension wrote this value here on purpose, as the plain-text fallback of a binding: that client cannot read the token from anywhere else.') : `${t('Checked')}: ${checked}`,
      own ? undefined : git,
      finding.hint?.url ? `${t('Server named in the file')}: ${context.escape(finding.hint.url)}` : undefined,
    ]
      .filter((line): line is string => line !== undefined)
      .join('  \n');
  return {
    label,
    description,
    tooltip,
    icon: own ? { id: 'unlock' } : finding.tracked ? { id: 'warning', color: 'list.errorForeground' } : { id: 'key', color: 'list.warningForeground' },
    contextValue: findingContextValue(finding, liveness),
    accessibilityLabel: t('Exposed token in {0}: {1}', label, description),
  };
}
