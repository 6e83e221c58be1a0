// The quick input widget: the command palette, quick picks and input boxes. VS Code reuses one widget for every step
// of a multi-step input, so each action waits until the widget shows the step it means before it types or clicks.
import type { Locator, Page } from 'playwright-core';
import { UI_TIMEOUT_MS, type Trace } from './shared';

/** How long a pick may take to show the next step of a multi-step input (loading the commands bundle on first use). */
const NEXT_STEP_WAIT_MS = 15_000;
/** How long Enter in a quick input may take to show the next step or close it before the text is typed again. */
const ENTER_TAKEN_WAIT_MS = 3_000;
/** A quick input hidden this long is closed, not between two steps. */
const CLOSED_FOR_GOOD_MS = 1_000;
/** How often a pick is clicked when the quick input still offers the entry afterwards. */
const MAX_PICK_ATTEMPTS = 3;
/** The command palette's placeholder: while it shows, the quick input is not yet the step a command opened. */
const PALETTE_PLACEHOLDER = 'Type the name of a command to run.';

export class QuickInput {
  constructor(private readonly page: Page, private readonly trace: Trace) {}

  /** The quick input widget (palette, quick pick or input box). */
  widget(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** F1, type the command's title as shown in the palette (e.g. "SonarQube Tokens: Add Connection…"), Enter. */
  async runCommand(title: string): Promise<void> {
    const deadline = Date.now() + UI_TIMEOUT_MS;
    for (;;) {
      await this.page.keyboard.press('F1');
      const input = this.box();
      await input.waitFor();
      await input.fill(`>${title}`);
      // Enter only once the palette's top entry is this very command, so a slow filter never runs another one.
      const match = this.widget().locator('.monaco-list-row.focused', { hasText: title }).first();
      try {
        await match.waitFor({ timeout: 3000 });
        const palette = await this.step();
        await this.page.keyboard.press('Enter');
        this.trace(`command ${title}`);
        // What comes next (a quick pick of the command) reuses the widget: let the palette leave it first.
        await this.waitForNextStep(palette, NEXT_STEP_WAIT_MS);
        return;
      } catch (error) {
        // The palette keeps the list it opened with: commands of extensions registered since then need a reopen.
        this.trace(`command ${title} not listed yet: reopening the palette`);
        await this.page.keyboard.press('Escape');
        if (Date.now() > deadline) throw error;
      }
    }
  }

  /** Types into the open quick input (input box or pick filter) and, unless told otherwise, presses Enter. */
  async type(text: string, options: { submit?: boolean } = {}): Promise<void> {
    const input = this.box();
    await this.stepOfCommand().waitFor();
    // The widget is reused from one step to the next: text typed while the next step is being shown is wiped when it
    // appears, sometimes only after Enter. Type again until the value holds and Enter has been taken.
    for (let attempt = 0; ; attempt++) {
      await input.fill(text);
      await this.page.waitForTimeout(250);
      if ((await input.inputValue()) !== text && attempt < 10) {
        this.trace(`typed text wiped before Enter (attempt ${attempt}): ${JSON.stringify(await this.step())}`);
        continue;
      }
      if (!(options.submit ?? true)) return;
      const before = await this.step();
      await input.press('Enter');
      await this.waitForNextStep(before, ENTER_TAKEN_WAIT_MS);
      const stayed = (await this.widget().isVisible()) && (await this.step()) === before;
      this.trace(`Enter at ${JSON.stringify(before)}: now ${JSON.stringify(await this.step())}, value ${JSON.stringify(await input.inputValue() === text ? 'kept' : 'changed')}`);
      // Still on the same step with the text in place: the input refused it (a validation message the caller reads).
      if (!stayed || (await input.inputValue()) === text || attempt >= 10) return;
    }
  }

  /** Clicks the entry of the open quick pick whose label matches. */
  async pick(label: string | RegExp): Promise<void> {
    const row = this.widget().locator('.monaco-list-row').filter({
      has: this.page.locator('.label-name, .monaco-highlighted-label', { hasText: label }),
    }).first();
    for (let attempt = 1; ; attempt++) {
      // A command that opens the pick slowly leaves the palette's placeholder shown over its rows: a click then is lost.
      await this.stepOfCommand().waitFor();
      const before = await this.step();
      // The mouse left where the last click was shows that entry's hover, which can cover this one: move it away first.
      const viewport = this.page.viewportSize();
      if (viewport) await this.page.mouse.move(viewport.width - 40, viewport.height / 2);
      await row.click();
      this.trace(`picked ${String(label)} at ${JSON.stringify(before)}`);
      // The widget is reused for the next step: wait until it shows that step (or closes), so that what is typed next
      // does not land in this one's filter and get wiped.
      await this.waitForNextStep(before, NEXT_STEP_WAIT_MS);
      // A click that lands while the step is still being set up is lost: the same step still offers the entry.
      const lost = (await this.widget().isVisible()) && (await this.step()) === before && (await row.isVisible());
      if (!lost || attempt === MAX_PICK_ATTEMPTS) return;
      this.trace(`${String(label)} is still offered at the same step: picking it again`);
    }
  }

  /** The title of the open quick input (e.g. "Add Connection (1/3)"), or '' when it has none. */
  async title(): Promise<string> {
    await this.widget().waitFor();
    return (await this.widget().locator('.quick-input-title').textContent())?.trim() ?? '';
  }

  /** The validation or hint message under the quick input box. */
  async message(): Promise<string> {
    await this.widget().waitFor();
    return (await this.widget().locator('.quick-input-message').textContent())?.trim() ?? '';
  }

  /** Waits until the quick input shows another step than `before`, or has stayed closed for a while, or `ms` passed. */
  private async waitForNextStep(before: string, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    let closedSince: number | undefined;
    while (Date.now() < deadline) {
      if (await this.widget().isVisible()) {
        closedSince = undefined;
        if ((await this.step()) !== before) return;
      } else {
        closedSince ??= Date.now();
        if (Date.now() - closedSince >= CLOSED_FOR_GOOD_MS) return;
      }
      await this.page.waitForTimeout(100);
    }
  }

  /** The quick input's box once it belongs to a step of a command, not to the command palette. */
  private stepOfCommand(): Locator {
    return this.widget().locator(`.quick-input-box input:not([placeholder="${PALETTE_PLACEHOLDER}"])`);
  }

  /** What tells one step of the quick input from the next: its title and its input's placeholder. */
  private async step(): Promise<string> {
    // A step without a title hides the element but leaves the previous step's text in it.
    const titleElement = this.widget().locator('.quick-input-title');
    const title = (await titleElement.isVisible()) ? await titleElement.textContent({ timeout: 1000 }).catch(() => '') : '';
    const placeholder = await this.box().getAttribute('placeholder', { timeout: 1000 }).catch(() => '');
    return `${title ?? ''}\n${placeholder ?? ''}`;
  }

  private box(): Locator {
    return this.widget().locator('.quick-input-box input');
  }
}
