import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CredentialsTamperedError extends Error {
  constructor(reason = 'wrong CREDENTIALS_KEY or altered data') {
    super(`channel credentials cannot be opened: ${reason}`);
  }
}

export interface Sealed {
  sealed: Buffer;
  /** Which key sealed it: stored beside the record, so rotation knows what to re-seal. */
  keyId: string;
}

/** A short public fingerprint of a key (never the key itself). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('civicpost-credentials-key-id').update(key).digest('hex').slice(0, 12);
}

/**
 * Seals platform credentials with AES-256-GCM before they reach the database:
 * a random 96-bit nonce per record. Layout: version (1 byte) | IV (12) | tag (16) | ciphertext.
 * Seals with the current key; opens with it or any previous key (CREDENTIALS_KEY_PREVIOUS).
 */
export class CredentialsCipher {
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(current: Buffer, previous: Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('credentials keys must be 32 bytes');
      this.keys.set(keyIdOf(key), key);
    }
    this.currentKeyId = keyIdOf(current);
  }

  seal(value: unknown): Sealed {
    const key = this.keys.get(this.currentKeyId)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return { sealed: Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]), keyId: this.currentKeyId };
  }

  open<T>(sealed: Buffer, keyId: string | null): T {
    const key = this.keys.get(keyId ?? this.currentKeyId);
    if (!key)
      throw new CredentialsTamperedError(`sealed with key ${keyId}, which is neither CREDENTIALS_KEY nor in CREDENTIALS_KEY_PREVIOUS`);
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new CredentialsTamperedError();
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    try {
      const plain = Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as T;
    } catch {
      throw new CredentialsTamperedError();
    }
  }
}
