import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import type { QueueOptions } from 'bullmq';
import type { AppConfig } from '#src/config/config.js';
import { ALL_QUEUES } from '#src/queue/queues.js';
import { redisConnectionOptions } from '#src/storage/redis.js';
import type { QueueConnection } from '#src/storage/storage.js';

@Module({})
export class QueueModule {
  /** Queue producers for every queue; workers are added by feature modules in the worker role. */
  static forRoot(config: AppConfig, connection: QueueConnection): DynamicModule {
    const bull = BullModule.forRoot({
      // BullMQ's PostgreSQL backend takes a pg pool config where the Redis backend
      // takes ioredis options (or, on a Redis Cluster, an ioredis Cluster client): all travel in
      // `connection` (see storage.ts).
      connection: toBullConnection(connection),
      prefix: config.queuePrefix,
    } as QueueOptions);
    const queues = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));
    return { module: QueueModule, global: true, imports: [bull, queues], exports: [bull, queues] };
  }
}

function toBullConnection(connection: QueueConnection): QueueOptions['connection'] {
  if (connection.backend === 'postgres') return connection.pool as unknown as QueueOptions['connection'];
  if (connection.backend === 'redis-cluster') return connection.cluster;
  return redisConnectionOptions(connection.url);
}
