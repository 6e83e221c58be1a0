// The person at the stand-in editor: answers quick picks and input boxes in order, as they appear.
import type { ShownInput } from '../support/vscodeStandIn';
import { world } from '../support/vscodeStandIn';

export type Step =
  /** Picks the item with this label once it is listed (search results arrive later). */
  | { readonly choose: string }
  | { readonly chooseMany: readonly string[] }
  /** Types the text (undefined keeps the offered value) and presses Enter. */
  | { readonly enter: string | undefined }
  /** Presses Escape. */
  | { readonly dismiss: true };

const WAIT_MS = 3_000;

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`person: gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export class Person {
  private readonly steps: Step[] = [];
  readonly failures: Error[] = [];
  private readonly subscription = world.inputShown.event((shown) => void this.act(shown));

  will(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  /** Every step was used and none failed. */
  done(): void {
    if (this.failures.length > 0) throw this.failures[0];
    if (this.steps.length > 0) throw new Error(`person: unused steps ${JSON.stringify(this.steps)}`);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async act({ kind, widget }: ShownInput): Promise<void> {
    const step = this.steps.shift();
    try {
      if (!step) throw new Error(`person: nothing planned for the ${kind} "${widget.title ?? ''} ${widget.placeholder ?? widget.prompt ?? ''}"`);
      await new Promise((resolve) => setTimeout(resolve, 0));
      if ('dismiss' in step) widget.hide();
      else if ('enter' in step) {
        if (step.enter !== undefined) widget.type(step.enter);
        widget.accept();
      } else if ('chooseMany' in step) {
        widget.selectedItems = widget.items.filter((item: { label: string }) => step.chooseMany.includes(item.label));
        widget.accept();
      } else {
        const labels = () => widget.items.map((item: { label: string }) => item.label).join(', ');
        await until(`"${step.choose}" in ${kind} "${widget.title} ${widget.placeholder ?? ''}" (${labels()})`, () => (!widget.busy && widget.items.some((item: { label: string }) => item.label === step.choose) ? true : undefined));
        widget.choose(step.choose);
      }
    } catch (error) {
      this.failures.push(error as Error);
      widget.hide();
    }
  }
}

export { until };
