import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Session } from '#src/modules/auth/session.entity.js';
import { User } from '#src/modules/users/user.entity.js';
import { Tx } from '#src/storage/tx.js';

/** Sessions and the users they log in. Not tenant data: a user spans institutions. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly tx: Tx) {}

  findUserByEmailWithHash(email: string): Promise<User | null> {
    return this.tx.manager
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.toLowerCase() })
      .getOne();
  }

  findUserWithHash(userId: string): Promise<User | null> {
    return this.tx.manager
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :userId', { userId })
      .getOne();
  }

  async updatePassword(userId: string, passwordHash: string): Promise<void> {
    await this.tx.manager.getRepository(User).update({ id: userId }, { passwordHash, mustChangePassword: false });
  }

  create(session: Pick<Session, 'userId' | 'tokenHash' | 'expiresAt' | 'ip' | 'userAgent'>): Promise<Session> {
    return this.tx.manager.getRepository(Session).save(session);
  }

  /** The live session for a token hash, with its user. */
  async findLive(tokenHash: Buffer, now: Date): Promise<{ session: Session; user: User } | null> {
    const session = await this.tx.manager.getRepository(Session).findOneBy({ tokenHash, revokedAt: IsNull() });
    if (!session || session.expiresAt <= now) return null;
    const user = await this.tx.manager.getRepository(User).findOneBy({ id: session.userId });
    return user ? { session, user } : null;
  }

  async revoke(sessionId: string, now: Date): Promise<void> {
    await this.tx.manager.getRepository(Session).update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: now });
  }

  async revokeAllForUser(userId: string, now: Date, exceptSessionId?: string): Promise<void> {
    const qb = this.tx.manager
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: now })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (exceptSessionId) qb.andWhere('id <> :exceptSessionId', { exceptSessionId });
    await qb.execute();
  }
}
