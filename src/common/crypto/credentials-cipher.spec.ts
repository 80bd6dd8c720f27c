import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { CredentialsCipher, CredentialsTamperedError } from '#src/common/crypto/credentials-cipher.js';

describe('CredentialsCipher', () => {
  const cipher = new CredentialsCipher(randomBytes(32));
  const secret = { accessToken: 'EAAB-page-token-123', appPassword: 'abcd-efgh-ijkl-mnop' };

  it('opens what it sealed, and the sealed bytes do not contain the secret', () => {
    const sealed = cipher.seal(secret);
    expect(sealed.includes(Buffer.from('EAAB-page-token-123'))).toBe(false);
    expect(cipher.open(sealed)).toEqual(secret);
  });

  it('seals the same value differently each time (random IV)', () => {
    expect(cipher.seal(secret).equals(cipher.seal(secret))).toBe(false);
  });

  it('refuses altered data and another key', () => {
    const sealed = cipher.seal(secret);
    const altered = Buffer.from(sealed);
    altered[altered.length - 1]! ^= 1;
    expect(() => cipher.open(altered)).toThrow(CredentialsTamperedError);
    expect(() => new CredentialsCipher(randomBytes(32)).open(sealed)).toThrow(CredentialsTamperedError);
    expect(() => cipher.open(Buffer.from([1, 2, 3]))).toThrow(CredentialsTamperedError);
  });
});
