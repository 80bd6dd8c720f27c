import { Channel } from '#src/modules/channels/channel.entity.js';
import { Institution } from '#src/modules/institutions/institution.entity.js';
import { Membership } from '#src/modules/institutions/membership.entity.js';
import { User } from '#src/modules/users/user.entity.js';
import type { Tx } from '#src/storage/tx.js';

const FIRST_START_LOCK_KEY = 7_400_117_002;

/** The first start's writes, before Nest runs (plain wiring, like the console commands). */
export class FirstStartRepository {
  constructor(private readonly tx: Tx) {}

  /** Holds until the transaction ends, so that processes starting together run the first start once. */
  async lock(): Promise<void> {
    await this.tx.manager.query('SELECT pg_advisory_xact_lock($1)', [FIRST_START_LOCK_KEY]);
  }

  async anyUser(): Promise<boolean> {
    return (await this.tx.manager.getRepository(User).count()) > 0;
  }

  createUser(user: Pick<User, 'email' | 'displayName' | 'passwordHash' | 'isSystemAdmin' | 'mustChangePassword'>): Promise<User> {
    return this.tx.manager.getRepository(User).save(user);
  }

  createInstitution(
    institution: Pick<Institution, 'name' | 'slug' | 'timeZone' | 'languages' | 'transparencyEnabled'>,
  ): Promise<Institution> {
    return this.tx.manager.getRepository(Institution).save(institution);
  }

  async addMember(membership: Pick<Membership, 'institutionId' | 'userId' | 'role'>): Promise<void> {
    await this.tx.manager.getRepository(Membership).save(membership);
  }

  async createChannel(
    channel: Pick<Channel, 'institutionId' | 'platform' | 'displayName' | 'accountHandle' | 'settings' | 'status'>,
  ): Promise<void> {
    await this.tx.manager.getRepository(Channel).save(channel);
  }
}
