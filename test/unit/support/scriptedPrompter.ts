import type {
  ConfirmOptions,
  InputOptions,
  PickItem,
  PickManyOptions,
  PickOptions,
  Prompter,
  ProgressReporter,
  SearchPickOptions,
} from '../../../src/core/flows/prompter';

/**
 * One scripted answer. Picks choose by label (or by a function of the items); `undefined` cancels.
 * Inputs are checked with the prompt's own `validate`: an answer it refuses fails the test.
 * Message answers are optional: a message with no scripted answer is recorded and dismissed.
 */
export type ScriptStep =
  | { readonly pick: string | undefined | (<T>(items: ReadonlyArray<PickItem<T>>) => T | undefined) }
  | { readonly pickMany: readonly string[] | undefined }
  | { readonly input: string | undefined | ((options: InputOptions) => Promise<string | undefined>) }
  | { readonly searchPick: string | undefined; readonly query?: string }
  | { readonly confirm: boolean }
  | { readonly info: string | undefined }
  | { readonly warn: string | undefined }
  | { readonly error: string | undefined }
  /**
   * Presses Cancel on the progress notification whose title contains `cancelProgress`, once `when` resolved
   * (e.g. once the request under it reached the server). Progress with no such step runs to its end.
   */
  | { readonly cancelProgress: string; readonly when?: () => Promise<void> };

export interface RecordedCall {
  readonly kind: 'pick' | 'pickMany' | 'searchPick' | 'input' | 'confirm' | 'info' | 'warn' | 'error' | 'progress';
  /** Title, prompt, message or detail: everything the person would read. */
  readonly text: string;
  readonly step?: number;
  readonly totalSteps?: number;
  readonly labels?: readonly string[];
  readonly actions?: readonly string[];
  readonly options?: unknown;
}

export class ScriptedPrompter implements Prompter {
  readonly calls: RecordedCall[] = [];
  private readonly script: ScriptStep[];

  constructor(script: readonly ScriptStep[]) {
    this.script = [...script];
  }

  /** Everything shown, for leak checks and message assertions. */
  get shownText(): string {
    return this.calls.map((call) => [call.text, ...(call.labels ?? []), ...(call.actions ?? [])].join('\n')).join('\n');
  }

  messages(kind: 'info' | 'warn' | 'error'): string[] {
    return this.calls.filter((call) => call.kind === kind).map((call) => call.text);
  }

  assertDone(): void {
    if (this.script.length > 0) throw new Error(`unused script steps: ${JSON.stringify(this.script)}`);
  }

  private take<K extends string>(kind: K): Extract<ScriptStep, Record<K, unknown>> {
    const next = this.script.shift();
    if (!next || !(kind in next)) {
      throw new Error(`prompter: expected ${next ? Object.keys(next)[0] : 'nothing more'} but the flow asked for ${kind} (after ${this.calls.map((call) => call.kind).join(', ')})`);
    }
    return next as Extract<ScriptStep, Record<K, unknown>>;
  }

  async pick<T>(items: ReadonlyArray<PickItem<T>>, options: PickOptions): Promise<T | undefined> {
    this.calls.push({ kind: 'pick', text: `${options.title} ${options.placeholder ?? ''}`, step: options.step, totalSteps: options.totalSteps, labels: items.map((item) => `${item.label} ${item.description ?? ''}`.trim()), options: items });
    const { pick } = this.take('pick');
    if (typeof pick === 'function') return pick(items);
    if (pick === undefined) return undefined;
    const item = items.find((candidate) => candidate.label === pick);
    if (!item) throw new Error(`prompter: no item "${pick}" in ${items.map((candidate) => candidate.label).join(', ')}`);
    return item.value;
  }

  async pickMany<T>(items: ReadonlyArray<PickItem<T>>, options: PickManyOptions): Promise<T[] | undefined> {
    this.calls.push({ kind: 'pickMany', text: `${options.title} ${options.placeholder ?? ''}`, step: options.step, totalSteps: options.totalSteps, labels: items.map((item) => `${item.label} ${item.description ?? ''}`.trim()), options: items });
    const { pickMany } = this.take('pickMany');
    return pickMany === undefined ? undefined : items.filter((item) => pickMany.includes(item.label)).map((item) => item.value);
  }

  async searchPick(options: SearchPickOptions): Promise<string | undefined> {
    const { searchPick, query } = this.take('searchPick');
    const items = await options.search(query ?? '', new AbortController().signal);
    this.calls.push({ kind: 'searchPick', text: `${options.title} ${options.placeholder ?? ''}`, step: options.step, totalSteps: options.totalSteps, labels: items.map((item) => item.label) });
    if (searchPick === undefined) return undefined;
    if (!items.some((item) => item.value === searchPick)) throw new Error(`prompter: search "${query ?? ''}" did not offer ${searchPick}`);
    return searchPick;
  }

  async input(options: InputOptions): Promise<string | undefined> {
    this.calls.push({ kind: 'input', text: `${options.title} ${options.prompt ?? ''}`, step: options.step, totalSteps: options.totalSteps, options });
    const { input } = this.take('input');
    if (typeof input === 'function') return input(options);
    if (input === undefined) return undefined;
    const problem = await options.validate?.(input);
    if (problem !== undefined) throw new Error(`prompter: the flow refused the scripted input: ${problem}`);
    return input;
  }

  async confirm(message: string, options: ConfirmOptions): Promise<boolean> {
    this.calls.push({ kind: 'confirm', text: `${message}\n${options.detail ?? ''}`, actions: [options.confirmLabel] });
    return this.take('confirm').confirm;
  }

  private message(kind: 'info' | 'warn' | 'error', message: string, actions: string[]): string | undefined {
    this.calls.push({ kind, text: message, actions });
    const next = this.script[0];
    if (!next || !(kind in next)) return undefined;
    const answer = (this.take(kind) as Record<string, string | undefined>)[kind];
    if (answer !== undefined && !actions.includes(answer)) throw new Error(`prompter: no action "${answer}" in ${actions.join(', ')}`);
    return answer;
  }

  async info(message: string, ...actions: string[]): Promise<string | undefined> {
    return this.message('info', message, actions);
  }

  async warn(message: string, ...actions: string[]): Promise<string | undefined> {
    return this.message('warn', message, actions);
  }

  async error(message: string, ...actions: string[]): Promise<string | undefined> {
    return this.message('error', message, actions);
  }

  async withProgress<T>(title: string, task: (signal: AbortSignal, progress: ProgressReporter) => Promise<T>): Promise<T> {
    this.calls.push({ kind: 'progress', text: title });
    const controller = new AbortController();
    const next = this.script[0];
    if (next && 'cancelProgress' in next && title.includes(next.cancelProgress)) {
      const { when } = this.take('cancelProgress');
      void (when ?? (() => Promise.resolve()))().then(() => controller.abort());
    }
    return task(controller.signal, { report: (message) => this.calls.push({ kind: 'progress', text: message }) });
  }
}

export function scriptedPrompter(...script: ScriptStep[]): ScriptedPrompter {
  return new ScriptedPrompter(script);
}
