import { createHash } from 'node:crypto';

/** The base32-sortable alphabet of atproto TIDs (https://atproto.com/specs/tid). */
const S32 = '234567abcdefghijklmnopqrstuvwxyz';
/** The reference regex of the TID spec: 13 characters, the first one keeps the top bit 0. */
export const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

/**
 * The record key of one part of a publication, derived from the publication's idempotency key: a retry
 * of the same part asks for the same key, so the PDS refuses to store it twice. `app.bsky.feed.post`
 * requires TID-shaped keys; the spec lets the writer choose the value ("these keys can be specified by
 * the end user and could have any value"), so 63 bits of a hash stand in for timestamp and clock id.
 */
export function recordKeyFor(idempotencyKey: string, partIndex: number): string {
  const digest = createHash('sha256').update(`civicpost/bluesky/post\0${idempotencyKey}\0${partIndex}`).digest();
  // The top bit must be 0 (a TID is a 63-bit integer in a 64-bit field).
  return encodeTid(digest.readBigUInt64BE(0) & 0x7fff_ffff_ffff_ffffn);
}

/** Thirteen base32-sortable digits of a 63-bit integer, most significant first. */
export function encodeTid(value: bigint): string {
  if (value < 0n || value > 0x7fff_ffff_ffff_ffffn) throw new RangeError('a TID is a 63-bit unsigned integer');
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = S32[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

export function decodeTid(tid: string): bigint {
  if (!TID_PATTERN.test(tid)) throw new RangeError(`not a TID: ${tid}`);
  let value = 0n;
  for (const ch of tid) value = (value << 5n) | BigInt(S32.indexOf(ch));
  return value;
}
