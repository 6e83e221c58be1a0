// How the core's flows talk to the person: the host implements this with quick inputs, dialogs and notifications;
// tests script the answers. Every method resolves `undefined` (or `false`) when the person cancels.

export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
  readonly picked?: boolean;
}

export interface StepInfo {
  readonly title: string;
  /** 1-based position in a multi-step flow, shown as "2/5". */
  readonly step?: number;
  readonly totalSteps?: number;
}

export interface PickOptions extends StepInfo {
  readonly placeholder?: string;
  readonly canPickMany?: false;
  readonly matchOnDescription?: boolean;
}

export interface PickManyOptions extends StepInfo {
  readonly placeholder?: string;
}

export interface InputOptions extends StepInfo {
  readonly prompt?: string;
  readonly placeholder?: string;
  readonly value?: string;
  readonly password?: boolean;
  /** Checked as the person types: return a message to show, or undefined when the value is fine. */
  readonly validate?: (value: string) => string | undefined | Promise<string | undefined>;
}

/** A searchable pick whose items come from the server as the person types (project picker). */
export interface SearchPickOptions extends StepInfo {
  readonly placeholder?: string;
  readonly search: (query: string, signal: AbortSignal) => Promise<ReadonlyArray<PickItem<string>>>;
}

export interface ConfirmOptions {
  readonly detail?: string;
  /** The label of the button that goes ahead, e.g. "Revoke". */
  readonly confirmLabel: string;
}

export interface ProgressReporter {
  report(message: string): void;
}

export interface Prompter {
  pick<T>(items: ReadonlyArray<PickItem<T>>, options: PickOptions): Promise<T | undefined>;
  pickMany<T>(items: ReadonlyArray<PickItem<T>>, options: PickManyOptions): Promise<T[] | undefined>;
  searchPick(options: SearchPickOptions): Promise<string | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  /** A modal confirmation; true only when the person chose `confirmLabel`. */
  confirm(message: string, options: ConfirmOptions): Promise<boolean>;
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  error(message: string, ...actions: string[]): Promise<string | undefined>;
  /** Runs `task` with a cancellable progress notification; cancelling aborts the signal. */
  withProgress<T>(title: string, task: (signal: AbortSignal, progress: ProgressReporter) => Promise<T>): Promise<T>;
}
