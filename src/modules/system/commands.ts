import type { DataSource } from 'typeorm';
import { Clock } from '#src/common/clock.js';
import { type CredentialsCipher } from '#src/common/crypto/credentials-cipher.js';
import { AuditRepository } from '#src/modules/audit/audit.repository.js';
import { AuditService, type VerifyResult } from '#src/modules/audit/audit.service.js';
import { ChannelsRepository } from '#src/modules/channels/channels.repository.js';
import { Tx } from '#src/storage/tx.js';

/** Commands run from the console (`npm run cli -- <command>`), outside Nest: plain wiring is enough. */
export function commandServices(dataSource: DataSource) {
  const tx = new Tx(dataSource);
  const audit = new AuditService(new AuditRepository(tx), tx, new Clock());
  return { tx, audit, channels: new ChannelsRepository(tx) };
}

export function verifyAudit(dataSource: DataSource): Promise<VerifyResult> {
  return commandServices(dataSource).audit.verify();
}

/**
 * Re-seals every channel's credentials with the current CREDENTIALS_KEY. Run it
 * with the old key in CREDENTIALS_KEY_PREVIOUS; afterwards the old key can go.
 * Each channel is re-sealed in its own transaction, with an audit event.
 */
export async function rotateCredentials(dataSource: DataSource, cipher: CredentialsCipher): Promise<number> {
  const { tx, audit, channels } = commandServices(dataSource);
  let done = 0;
  for (const { id, institutionId } of await channels.idsSealedWithOtherKey(cipher.currentKeyId)) {
    await tx.run(async () => {
      const current = await channels.sealed(institutionId, id);
      if (!current?.credentialsEncrypted || current.credentialsKeyId === cipher.currentKeyId) return;
      const resealed = cipher.seal(cipher.open(current.credentialsEncrypted, current.credentialsKeyId));
      await channels.update(institutionId, id, { credentialsEncrypted: resealed.sealed, credentialsKeyId: resealed.keyId });
      await audit.record({
        institutionId,
        actorId: null,
        action: 'channel.credentials_rotated',
        targetType: 'channel',
        targetId: id,
        data: { fromKeyId: current.credentialsKeyId, toKeyId: resealed.keyId },
      });
      done++;
    });
  }
  return done;
}
