import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import { withTimeout } from '#src/common/with-timeout.js';
import { STORAGE } from '#src/common/tokens.js';
import { HealthRepository } from '#src/modules/health/health.repository.js';
import { QUEUES } from '#src/queue/queues.js';
import type { Storage } from '#src/storage/storage.js';

const CHECK_TIMEOUT_MS = 3_000;

@Injectable()
export class HealthIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly health: HealthRepository,
    @Inject(getQueueToken(QUEUES.publish)) private readonly publishQueue: Queue,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  process() {
    return this.indicator.check('process').up({ uptimeSeconds: Math.round(process.uptime()) });
  }

  async database() {
    const check = this.indicator.check('database');
    try {
      await withTimeout(this.health.ping(), CHECK_TIMEOUT_MS, 'no answer within 3 s');
      return check.up({ storage: this.storage.mode });
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  async queue() {
    const check = this.indicator.check('queue');
    try {
      await withTimeout(this.publishQueue.getJobCounts('waiting'), CHECK_TIMEOUT_MS, 'no answer within 3 s');
      return check.up({ backend: this.storage.queue.backend });
    } catch (err) {
      return check.down({ backend: this.storage.queue.backend, message: (err as Error).message });
    }
  }
}
