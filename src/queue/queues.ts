/**
 * The queue contract. Queue names are stored in the queue backend: never rename
 * a value, only add. Payloads carry ids only, never whole entities.
 */
export const QUEUES = {
  /** Publishes one PublicationTarget at its scheduled time. */
  publish: 'publish',
  /** Fetches engagement for a batch of published targets of one channel. */
  metrics: 'metrics',
  /** Asks a platform whether an unconfirmed publication went out. */
  reconcile: 'reconcile',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);
