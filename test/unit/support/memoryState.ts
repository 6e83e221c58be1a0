import type { KeyValueStore } from '../../../src/core/ports';

/** globalState in a Map; values are copied through JSON as the real Memento does. */
export class MemoryState implements KeyValueStore {
  readonly values = new Map<string, string>();
  failUpdates = false;

  get<T>(key: string): T | undefined {
    const stored = this.values.get(key);
    return stored === undefined ? undefined : (JSON.parse(stored) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (this.failUpdates) throw new Error('state is read-only');
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }

  /** Everything stored, as text, for leak checks. */
  dump(): string {
    return [...this.values.entries()].map(([key, value]) => `${key}=${value}`).join('\n');
  }
}

export function memoryState(initial: Record<string, unknown> = {}): MemoryState {
  const state = new MemoryState();
  for (const [key, value] of Object.entries(initial)) state.values.set(key, JSON.stringify(value));
  return state;
}
