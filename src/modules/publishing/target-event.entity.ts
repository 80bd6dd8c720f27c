import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OutcomeCode, OutcomeParams } from '#src/modules/publishing/target-transitions.js';

/**
 * One transition of a publication target: when, which attempt, what caused it (a code from the
 * transition table, with its parameters, translated when shown), the platform's own error.
 */
@Entity({ name: 'target_events' })
export class TargetEvent {
  @PrimaryColumn({ type: 'bigint', generated: 'increment' })
  id!: string;

  @Column({ name: 'target_id', type: 'uuid' })
  targetId!: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: string;

  @Column({ type: 'text' })
  outcome!: OutcomeCode;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  params!: OutcomeParams;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
