// The findings the Tokens view shows, and what is known about each one's liveness. A scan starts no request unless
// it found something that can be checked on one of the person's connections.
import type { Logger } from '../ports';
import type { SonarTarget } from '../sonar/types';
import { createLimiter } from '../util/limiter';
import { Emitter } from '../util/emitter';
import { checkLiveness, planCheck } from './liveness';
import type { Liveness, LivenessDeps } from './liveness';
import { locateFinding } from './scan';
import type { Finding, ScanFiles, ScanResult } from './scan';

export type ScanStatus = 'idle' | 'scanning' | 'done' | 'failed';

export interface ExposureModelDeps {
  scan(): Promise<ScanResult>;
  readonly files: ScanFiles;
  /** Read at each check, so a connection added since the scan counts. */
  liveness(): LivenessDeps;
  readonly logger: Logger;
}

const CHECK_CONCURRENCY = 4;

export class ExposureModel {
  private result: ScanResult = { findings: [], skipped: [], filesRead: 0 };
  private readonly checks = new Map<string, Liveness | 'checking'>();
  private readonly changes = new Emitter<void>();
  private readonly limit = createLimiter(CHECK_CONCURRENCY);
  private running?: Promise<ScanResult>;
  status: ScanStatus = 'idle';

  readonly onDidChange = this.changes.event;

  constructor(private readonly deps: ExposureModelDeps) {}

  get findings(): readonly Finding[] {
    return this.result.findings;
  }

  get lastResult(): ScanResult {
    return this.result;
  }

  finding(id: string): Finding | undefined {
    return this.result.findings.find((finding) => finding.id === id);
  }

  livenessOf(id: string): Liveness | 'checking' | undefined {
    return this.checks.get(id);
  }

  /** Scans the known places (one scan at a time), then checks what can be checked without asking anyone. */
  scan(): Promise<ScanResult> {
    this.running ??= this.runScan().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runScan(): Promise<ScanResult> {
    this.status = 'scanning';
    this.changes.fire();
    try {
      this.result = await this.deps.scan();
      this.status = 'done';
    } catch (error) {
      this.status = 'failed';
      this.changes.fire();
      throw error;
    }
    this.checks.clear();
    this.changes.fire();
    const connections = this.deps.liveness().connections;
    await Promise.all(
      this.result.findings
        .filter((finding) => finding.ownBindingId === undefined && planCheck(finding, connections).connections.length > 0)
        .map((finding) => this.limit(() => this.check(finding.id))),
    );
    return this.result;
  }

  /** Checks one finding: on the person's connections, or on `confirmed` (a server they confirmed for this finding). */
  async check(id: string, confirmed?: SonarTarget): Promise<Liveness | undefined> {
    const finding = this.finding(id);
    if (!finding) return undefined;
    this.checks.set(id, 'checking');
    this.changes.fire();
    let liveness: Liveness | undefined;
    try {
      const located = await locateFinding(this.deps.files, finding);
      liveness = located ? await checkLiveness(this.deps.liveness(), finding, located.value, { confirmed }) : undefined;
    } finally {
      if (liveness) this.checks.set(id, liveness);
      else this.checks.delete(id);
      this.changes.fire();
    }
    return liveness;
  }

  /** What the check would say without sending anything (no connection, or a server that needs confirming). */
  planOf(finding: Finding): ReturnType<typeof planCheck> {
    return planCheck(finding, this.deps.liveness().connections);
  }

  /** After a fix or an ignore: the finding is gone without scanning again. */
  drop(id: string): void {
    this.result = { ...this.result, findings: this.result.findings.filter((finding) => finding.id !== id) };
    this.checks.delete(id);
    this.changes.fire();
  }
}
