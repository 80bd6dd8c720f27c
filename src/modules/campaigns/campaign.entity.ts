import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'campaigns' })
export class Campaign {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'institution_id', type: 'uuid' })
  institutionId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', default: '' })
  goal!: string;

  /** Calendar dates (YYYY-MM-DD) in the institution's time zone. */
  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn!: string;

  @Column({ name: 'target_audiences', type: 'text', array: true, default: () => "'{}'" })
  targetAudiences!: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  hashtags!: string[];

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A campaign shared with a partner: its contributors may draft and comment there. */
@Entity({ name: 'campaign_partners' })
export class CampaignPartner {
  @Column({ name: 'campaign_id', type: 'uuid', primary: true })
  campaignId!: string;

  @Column({ name: 'partner_id', type: 'uuid', primary: true })
  partnerId!: string;
}
