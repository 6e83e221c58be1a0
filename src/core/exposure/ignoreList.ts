// Findings the person chose to ignore, remembered by the SHA-256 of the value: never the value itself.
import type { KeyValueStore } from '../ports';
import { Emitter } from '../util/emitter';

export const IGNORED_STATE_KEY = 'sonarqubeTokens.ignoredExposures';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class IgnoreList {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: KeyValueStore) {}

  fingerprints(): ReadonlySet<string> {
    const stored = this.state.get<unknown>(IGNORED_STATE_KEY);
    return new Set(Array.isArray(stored) ? stored.filter((entry): entry is string => typeof entry === 'string' && SHA256_HEX.test(entry)) : []);
  }

  async ignore(fingerprint: string): Promise<void> {
    if (!SHA256_HEX.test(fingerprint)) throw new Error('Only a SHA-256 fingerprint can be ignored');
    const current = this.fingerprints();
    if (current.has(fingerprint)) return;
    await this.state.update(IGNORED_STATE_KEY, [...current, fingerprint]);
    this.changed.fire();
  }
}
