import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { CredentialsCipher, CredentialsTamperedError, keyIdOf } from '#src/common/crypto/credentials-cipher.js';

describe('CredentialsCipher', () => {
  const key = randomBytes(32);
  const cipher = new CredentialsCipher(key);
  const secret = { accessToken: 'EAAB-page-token-123', appPassword: 'abcd-efgh-ijkl-mnop' };

  it('opens what it sealed, and the sealed bytes do not contain the secret', () => {
    const { sealed, keyId } = cipher.seal(secret);
    expect(keyId).toBe(keyIdOf(key));
    expect(sealed.includes(Buffer.from('EAAB-page-token-123'))).toBe(false);
    expect(cipher.open(sealed, keyId)).toEqual(secret);
  });

  it('seals the same value differently each time (random nonce)', () => {
    expect(cipher.seal(secret).sealed.equals(cipher.seal(secret).sealed)).toBe(false);
  });

  it('refuses altered data and another key', () => {
    const { sealed, keyId } = cipher.seal(secret);
    const altered = Buffer.from(sealed);
    altered[altered.length - 1]! ^= 1;
    expect(() => cipher.open(altered, keyId)).toThrow(CredentialsTamperedError);
    expect(() => new CredentialsCipher(randomBytes(32)).open(sealed, keyId)).toThrow(/neither CREDENTIALS_KEY/);
    expect(() => cipher.open(Buffer.from([1, 2, 3]), keyId)).toThrow(CredentialsTamperedError);
  });

  it('after a key rotation, opens old records with the previous key and seals with the new one', () => {
    const { sealed, keyId } = cipher.seal(secret);
    const rotated = new CredentialsCipher(randomBytes(32), [key]);
    expect(rotated.open(sealed, keyId)).toEqual(secret);
    expect(rotated.seal(secret).keyId).not.toBe(keyId);
  });
});
