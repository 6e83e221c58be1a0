// Rotation: a replacement like the old token, every binding switched to it, then the old one revoked; and the flow
// around it that asks and reports.
// Each step is undone when a later one fails, so the old token stays valid and bound: never half rotated.
import type { ConnectionRecord } from '../connections/connectionStore';
import type { TokenRef } from '../secrets/keys';
import type { GeneratedToken, GenerateTokenRequest, TokenApi, UserToken } from '../sonar/types';
import { DAY_MS, parseServerDate, utcDay, utcDayPlus } from '../policy/dates';
import { MAX_TOKEN_NAME_LENGTH } from '../policy/tokenName';
import type { OperationJournal } from '../journal/journal';
import type { FlowDeps } from './deps';
import { describeSonarError } from './describeError';

export interface RotationSteps<Binding> {
  /** Where the step is recorded (see `recoverOperations`); the binding's id names it there. */
  readonly journal?: { readonly log: OperationJournal; bindingId(binding: Binding): string };
  generate(request: GenerateTokenRequest): Promise<GeneratedToken>;
  storeValue(ref: TokenRef, value: string): Promise<void>;
  deleteValue(ref: TokenRef): Promise<void>;
  /** Points a binding at `to` (provider: record only; plain-text file: rewrite; connected mode: hand-off). */
  switchBinding(binding: Binding, from: TokenRef, to: TokenRef): Promise<void>;
  revoke(ref: TokenRef): Promise<void>;
}

export interface RotationInput<Binding> {
  readonly old: TokenRef;
  readonly token: UserToken;
  readonly bindings: readonly Binding[];
  readonly newName: string;
  readonly now: Date;
  /** Another user's token (admin): generated with `login`. */
  readonly forLogin?: string;
}

export type RotationOutcome =
  | { readonly ok: true; readonly replacement: TokenRef }
  | { readonly ok: false; readonly failedStep: 'generate' | 'store' | 'switch' | 'revokeOld'; readonly error: unknown; readonly cleanupErrors: readonly unknown[] };

/** The replacement keeps the old token's lifetime: as many days from today as the old one had from its creation. */
export function replacementExpiration(token: UserToken, now: Date): string | undefined {
  const expires = parseServerDate(token.expirationDate);
  const created = parseServerDate(token.createdAt);
  if (!expires) return undefined;
  const lifetimeDays = created ? Math.max(1, Math.round((expires.getTime() - created.getTime()) / DAY_MS)) : 30;
  return utcDayPlus(now, lifetimeDays);
}

/**
 * `ide` -> `ide-2026-11-22`, `ide-2026-10-01` -> `ide-2026-11-22`, made unique against `taken`; a long name is
 * shortened, not the date or the counter.
 */
export function replacementName(oldName: string, now: Date, taken: readonly string[]): string {
  const stem = oldName.replace(/-\d{4}-\d{2}-\d{2}(?:-\d+)?$/, '');
  const named = (suffix: string) => `${stem.slice(0, MAX_TOKEN_NAME_LENGTH - suffix.length)}${suffix}`;
  let candidate = named(`-${utcDay(now)}`);
  for (let counter = 2; taken.includes(candidate) || candidate === oldName; counter++) candidate = named(`-${utcDay(now)}-${counter}`);
  return candidate;
}

export async function rotateToken<Binding>(input: RotationInput<Binding>, steps: RotationSteps<Binding>): Promise<RotationOutcome> {
  const cleanupErrors: unknown[] = [];
  const attempt = async (undo: () => Promise<void>) => {
    try {
      await undo();
    } catch (error) {
      cleanupErrors.push(error);
    }
  };
  const request: GenerateTokenRequest = {
    name: input.newName,
    type: input.token.type,
    ...(input.token.project ? { projectKey: input.token.project.key } : {}),
    ...(replacementExpiration(input.token, input.now) ? { expirationDate: replacementExpiration(input.token, input.now) } : {}),
    ...(input.forLogin ? { login: input.forLogin } : {}),
  };

  const journal = steps.journal;
  const entry =
    journal &&
    (await journal.log.begin({
      op: 'rotate',
      step: 'generating',
      old: input.old,
      newName: input.newName,
      forLogin: input.forLogin,
      bindingIds: input.bindings.map((binding) => journal.bindingId(binding)),
    }));
  const failed = async (failedStep: 'generate' | 'store' | 'switch' | 'revokeOld', error: unknown): Promise<RotationOutcome> => {
    await entry?.end();
    return { ok: false, failedStep, error, cleanupErrors };
  };

  let generated: GeneratedToken;
  try {
    generated = await steps.generate(request);
  } catch (error) {
    return failed('generate', error);
  }
  const replacement: TokenRef = { connectionId: input.old.connectionId, login: generated.login, name: generated.name };
  await entry?.advance({ step: 'generated', replacement });

  try {
    await steps.storeValue(replacement, generated.token);
  } catch (error) {
    await attempt(() => steps.revoke(replacement));
    return failed('store', error);
  }
  await entry?.advance({ step: 'stored' });

  const switched: Binding[] = [];
  const undoAll = async () => {
    for (const binding of switched.reverse()) await attempt(() => steps.switchBinding(binding, replacement, input.old));
    await attempt(() => steps.revoke(replacement));
    await attempt(() => steps.deleteValue(replacement));
  };
  if (input.bindings.length > 0) await entry?.advance({ step: 'switching' });
  for (const binding of input.bindings) {
    try {
      await steps.switchBinding(binding, input.old, replacement);
      switched.push(binding);
    } catch (error) {
      await undoAll();
      return failed('switch', error);
    }
  }

  await entry?.advance({ step: 'revokingOld' });
  try {
    await steps.revoke(input.old);
  } catch (error) {
    await undoAll();
    return failed('revokeOld', error);
  }
  await entry?.advance({ step: 'revokedOld' });
  await attempt(() => steps.deleteValue(input.old));
  await entry?.end();
  return { ok: true, replacement };
}

export interface RotateTokenFlowDeps<Binding> extends FlowDeps {
  readonly api: TokenApi;
  /** Points a binding at `to`: the replacement, or the old token again when a later step failed. */
  switchBinding(binding: Binding, from: TokenRef, to: TokenRef): Promise<void>;
  /** Names a binding in the journal, so a crash mid-rotation can be finished at the next start. */
  bindingId(binding: Binding): string;
}

export interface RotateTokenRequest<Binding> {
  readonly connection: ConnectionRecord;
  readonly ref: TokenRef;
  readonly token: UserToken;
  readonly bindings: readonly Binding[];
  /** The names of the owner's other tokens: the replacement's name must differ from all of them. */
  readonly takenNames: readonly string[];
}

/**
 * Rotate as the person meets it: what will happen, asked once; the rotation under a cancellable progress; then what
 * happened, in one message. Undefined when they did not confirm.
 */
export async function rotateTokenFlow<Binding>(deps: RotateTokenFlowDeps<Binding>, request: RotateTokenRequest<Binding>): Promise<RotationOutcome | undefined> {
  const { t, prompter, logger, api } = deps;
  const { connection, ref, token, bindings } = request;
  const confirmed = await prompter.confirm(t('Rotate token {0} on {1}?', ref.name, connection.label), {
    confirmLabel: t('Rotate'),
    detail: t(
      'A new {0} token with the same lifetime replaces it, its {1} bindings switch to the new token, and {2} is revoked. If any step fails, {2} stays valid and bound.',
      token.type === 'USER_TOKEN' ? t('user') : t('analysis'),
      bindings.length,
      ref.name,
    ),
  });
  if (!confirmed) return undefined;
  const now = deps.clock.now();
  const forLogin = ref.login !== connection.login ? ref.login : undefined;
  const outcome = await prompter.withProgress(t('Rotating token {0}…', ref.name), (signal) =>
    rotateToken<Binding>(
      { old: ref, token, bindings, newName: replacementName(ref.name, now, request.takenNames), now, forLogin },
      {
        generate: (generateRequest) => api.generateToken(generateRequest, { signal }),
        storeValue: (to, value) => deps.vault.store(to, value),
        deleteValue: (which) => deps.vault.delete(which),
        switchBinding: (binding, from, to) => deps.switchBinding(binding, from, to),
        revoke: (which) => api.revokeToken({ name: which.name, login: forLogin }),
        journal: deps.journal && { log: deps.journal, bindingId: (binding) => deps.bindingId(binding) },
      },
    ),
  );
  if (outcome.ok) {
    logger.info(`[rotate] ${ref.name} replaced by ${outcome.replacement.name} on ${connection.label}; ${bindings.length} bindings switched`);
    void prompter.info(t('Token {0} was replaced by {1}; {2} bindings now use it and {0} is revoked.', ref.name, outcome.replacement.name, bindings.length));
    return outcome;
  }
  logger.warn(`[rotate] ${ref.name} on ${connection.label} failed at ${outcome.failedStep}; ${outcome.cleanupErrors.length} clean-up errors`);
  const steps = {
    generate: t('generating the replacement'),
    store: t('keeping the replacement in secure storage'),
    switch: t('switching the bindings'),
    revokeOld: t('revoking the old token'),
  };
  void prompter.error(
    t('Rotating {0} failed while {1}: {2} {0} is still valid and bound; nothing was changed.', ref.name, steps[outcome.failedStep], describeSonarError(outcome.error, connection.label, t)) +
      (outcome.cleanupErrors.length > 0 ? ' ' + t('Some clean-up failed too: refresh the Tokens view and check for a leftover token.') : ''),
  );
  return outcome;
}
