// Rotation: a replacement like the old token, every binding switched to it, then the old one revoked.
// Each step is undone when a later one fails, so the old token stays valid and bound: never half rotated.
import type { TokenRef } from '../secrets/keys';
import type { GeneratedToken, GenerateTokenRequest, UserToken } from '../sonar/types';
import { DAY_MS, parseServerDate, utcDay, utcDayPlus } from '../policy/dates';
import { MAX_TOKEN_NAME_LENGTH } from '../policy/tokenName';
import type { OperationJournal } from '../journal/journal';

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
