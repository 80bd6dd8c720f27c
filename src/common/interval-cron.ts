import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';

/**
 * A cron of the worker: one `pass` every `intervalMs`, and one at start; a slow pass is never
 * overlapped by the next. Passes only enqueue, and take a PostgreSQL advisory lock so that one
 * process at a time runs them. A failed pass is logged; the next one retries.
 */
export abstract class IntervalCron implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log: Logger;
  private running = false;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly intervalName: string,
    private readonly intervalMs: number,
  ) {
    this.log = new Logger(intervalName);
  }

  /** One pass; what it did (logged when any count is above 0), or undefined when another process holds the lock. */
  protected abstract pass(): Promise<Record<string, number> | undefined>;

  onApplicationBootstrap(): void {
    this.registry.addInterval(
      this.intervalName,
      setInterval(() => void this.tick(), this.intervalMs),
    );
    void this.tick();
  }

  onApplicationShutdown(): void {
    if (this.registry.doesExist('interval', this.intervalName)) this.registry.deleteInterval(this.intervalName);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const result = await this.pass();
      if (result && Object.values(result).some((n) => n > 0)) this.log.log(result, `${this.intervalName} pass`);
    } catch (err) {
      this.log.error({ err }, `${this.intervalName} pass failed; the next one retries`);
    } finally {
      this.running = false;
    }
  }
}
