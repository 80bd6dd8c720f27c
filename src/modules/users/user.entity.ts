import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-cased; unique. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  /** scrypt hash (see password-hasher.ts); never leaves the server. */
  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash!: string;

  /** May create institutions and appoint their first admins. */
  @Column({ name: 'is_system_admin', type: 'boolean', default: false })
  isSystemAdmin!: boolean;

  /** Set for generated passwords: the user is asked to choose their own at first login. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
