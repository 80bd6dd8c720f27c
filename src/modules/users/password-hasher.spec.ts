import { describe, expect, it } from '@jest/globals';
import { generatePassword, hashPassword, verifyPassword } from '#src/modules/users/password-hasher.js';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });

  it('generates distinct readable passwords', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z2-9]{6}(-[A-Za-z2-9]{6}){3}$/);
    expect(a).not.toMatch(/[01OIlo]/);
    expect(generatePassword()).not.toBe(a);
  });
});
