import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** The tenant: a city hall, ministry, agency or library. */
@Entity({ name: 'institutions' })
export class Institution {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Unique; used in public URLs such as /transparency/:slug. */
  @Column({ type: 'text' })
  slug!: string;

  /** IANA time zone, for example Europe/Bucharest. */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  /** Official languages as BCP 47 tags, for example ['ro', 'hu']. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  languages!: string[];

  /** Official languages a post may leave out (the others are required before submit). */
  @Column({ name: 'optional_languages', type: 'text', array: true, default: () => "'{}'" })
  optionalLanguages!: string[];

  /** Kill switch: while set, nothing of the institution is published. */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt!: Date | null;

  @Column({ name: 'suspension_reason', type: 'text', nullable: true })
  suspensionReason!: string | null;

  @Column({ name: 'transparency_enabled', type: 'boolean', default: false })
  transparencyEnabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
