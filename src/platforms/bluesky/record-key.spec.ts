import { describe, expect, it } from '@jest/globals';
import { decodeTid, encodeTid, recordKeyFor, TID_PATTERN } from '#src/platforms/bluesky/record-key.js';

describe('recordKeyFor', () => {
  it('gives a valid TID: 13 base32-sortable characters with the top bit 0', () => {
    for (let i = 0; i < 500; i++) {
      const key = recordKeyFor(`target-${i}:rev-1`, i % 7);
      expect(key).toMatch(TID_PATTERN);
      expect(decodeTid(key) < 2n ** 63n).toBe(true);
    }
  });

  it('is the same for the same publication and part, so a retry collides', () => {
    expect(recordKeyFor('t-1:r-3', 0)).toBe(recordKeyFor('t-1:r-3', 0));
  });

  it('differs between parts and between publications', () => {
    const keys = new Set<string>();
    for (const k of ['t-1:r-1', 't-1:r-2', 't-2:r-1']) for (let part = 0; part < 5; part++) keys.add(recordKeyFor(k, part));
    expect(keys.size).toBe(15);
  });

  it('does not confuse key and part boundaries ("a1", 2) vs ("a", 12)', () => {
    expect(recordKeyFor('a1', 2)).not.toBe(recordKeyFor('a', 12));
  });
});

describe('TID encoding', () => {
  it('matches the spec examples', () => {
    // atproto spec: 3jzfcijpj2z2a is a valid TID; the zero TID is all "2".
    expect(encodeTid(0n)).toBe('2222222222222');
    expect(encodeTid(decodeTid('3jzfcijpj2z2a'))).toBe('3jzfcijpj2z2a');
    // 53 timestamp bits in 11 digits and 10 clock-id bits in 2, as atproto's own TID class lays them out.
    expect(encodeTid(2n ** 63n - 1n)).toBe('bzzzzzzzzzzzz');
  });

  it('refuses values that do not fit 63 bits', () => {
    expect(() => encodeTid(2n ** 63n)).toThrow(RangeError);
    expect(() => decodeTid('kzzzzzzzzzzzz')).toThrow(RangeError);
  });
});
