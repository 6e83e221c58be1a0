import * as vscode from 'vscode';
import type {
  ConfirmOptions,
  InputOptions,
  PickItem,
  PickManyOptions,
  PickOptions,
  Prompter,
  ProgressReporter,
  SearchPickOptions,
  StepInfo,
} from '../core/flows/prompter';
import { describeError } from '../core/flows/describeError';
import { t } from './l10n';

interface ValueItem<T> extends vscode.QuickPickItem {
  readonly value: T;
}

function toItems<T>(items: ReadonlyArray<PickItem<T>>): ValueItem<T>[] {
  return items.map((item) => ({ label: item.label, description: item.description, detail: item.detail, value: item.value, picked: item.picked }));
}

function applyStep(input: vscode.QuickInput, step: StepInfo): void {
  input.title = step.title;
  input.step = step.step;
  input.totalSteps = step.totalSteps;
  input.ignoreFocusOut = true;
}

/** Shows a quick input and settles once: with the accepted value, or undefined when hidden. */
function settle<T>(input: vscode.QuickInput, wire: (done: (value: T | undefined) => void) => vscode.Disposable[]): Promise<T | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const subscriptions: vscode.Disposable[] = [];
    const done = (value: T | undefined) => {
      if (settled) return;
      settled = true;
      subscriptions.forEach((subscription) => subscription.dispose());
      input.dispose();
      resolve(value);
    };
    subscriptions.push(...wire(done), input.onDidHide(() => done(undefined)));
    input.show();
  });
}

const SEARCH_DEBOUNCE_MS = 250;

/** The core's Prompter on VS Code's quick inputs, modal dialogs and notifications. */
export class QuickPrompter implements Prompter {
  /** `redact` masks token values in notification text (a server's words can quote what was sent). */
  constructor(private readonly redact: (text: string) => string) {}

  pick<T>(items: ReadonlyArray<PickItem<T>>, options: PickOptions): Promise<T | undefined> {
    const quickPick = vscode.window.createQuickPick<ValueItem<T>>();
    applyStep(quickPick, options);
    quickPick.placeholder = options.placeholder;
    quickPick.matchOnDescription = options.matchOnDescription ?? false;
    quickPick.items = toItems(items);
    const preselected = quickPick.items.find((item) => item.picked);
    if (preselected) quickPick.activeItems = [preselected];
    return settle<T>(quickPick, (done) => [
      quickPick.onDidAccept(() => {
        const [selected] = quickPick.selectedItems;
        if (selected) done(selected.value);
      }),
    ]);
  }

  pickMany<T>(items: ReadonlyArray<PickItem<T>>, options: PickManyOptions): Promise<T[] | undefined> {
    const quickPick = vscode.window.createQuickPick<ValueItem<T>>();
    applyStep(quickPick, options);
    quickPick.canSelectMany = true;
    quickPick.placeholder = options.placeholder;
    quickPick.items = toItems(items);
    quickPick.selectedItems = quickPick.items.filter((item) => item.picked);
    return settle<T[]>(quickPick, (done) => [
      quickPick.onDidAccept(() => {
        if (quickPick.selectedItems.length > 0) done(quickPick.selectedItems.map((item) => item.value));
      }),
    ]);
  }

  searchPick(options: SearchPickOptions): Promise<string | undefined> {
    const quickPick = vscode.window.createQuickPick<ValueItem<string>>();
    applyStep(quickPick, options);
    quickPick.placeholder = options.placeholder;
    quickPick.matchOnDescription = true;
    let running: AbortController | undefined;
    let timer: NodeJS.Timeout | undefined;
    const search = (query: string) => {
      running?.abort();
      const controller = new AbortController();
      running = controller;
      quickPick.busy = true;
      options
        .search(query, controller.signal)
        .then((items) => {
          if (controller.signal.aborted) return;
          quickPick.items = toItems(items);
          quickPick.busy = false;
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          quickPick.busy = false;
          quickPick.items = [];
          quickPick.placeholder = describeError(error, t);
        });
    };
    search('');
    return settle<string>(quickPick, (done) => [
      quickPick.onDidChangeValue((value) => {
        clearTimeout(timer);
        timer = setTimeout(() => search(value.trim()), SEARCH_DEBOUNCE_MS);
      }),
      quickPick.onDidAccept(() => {
        const [selected] = quickPick.selectedItems;
        if (selected) done(selected.value);
      }),
      { dispose: () => { clearTimeout(timer); running?.abort(); } },
    ]);
  }

  input(options: InputOptions): Promise<string | undefined> {
    const inputBox = vscode.window.createInputBox();
    applyStep(inputBox, options);
    inputBox.prompt = options.prompt;
    inputBox.placeholder = options.placeholder;
    inputBox.value = options.value ?? '';
    inputBox.password = options.password ?? false;
    let validation = 0;
    const validate = async (value: string): Promise<string | undefined> => {
      const current = ++validation;
      const message = await options.validate?.(value);
      if (current === validation) inputBox.validationMessage = message;
      return message;
    };
    if (inputBox.value) void validate(inputBox.value);
    return settle<string>(inputBox, (done) => [
      inputBox.onDidChangeValue((value) => void validate(value)),
      inputBox.onDidAccept(async () => {
        inputBox.busy = true;
        const message = await validate(inputBox.value);
        inputBox.busy = false;
        if (message === undefined) done(inputBox.value);
      }),
    ]);
  }

  async confirm(message: string, options: ConfirmOptions): Promise<boolean> {
    const detail = options.detail === undefined ? undefined : this.redact(options.detail);
    const answer = await vscode.window.showWarningMessage(this.redact(message), { modal: true, detail }, options.confirmLabel);
    return answer === options.confirmLabel;
  }

  info(message: string, ...actions: string[]): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showInformationMessage(this.redact(message), ...actions));
  }

  warn(message: string, ...actions: string[]): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showWarningMessage(this.redact(message), ...actions));
  }

  error(message: string, ...actions: string[]): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showErrorMessage(this.redact(message), ...actions));
  }

  withProgress<T>(title: string, task: (signal: AbortSignal, progress: ProgressReporter) => Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, cancellation) => {
        const controller = new AbortController();
        const subscription = cancellation.onCancellationRequested(() => controller.abort());
        return task(controller.signal, { report: (text) => progress.report({ message: text }) }).finally(() => subscription.dispose());
      }),
    );
  }
}
