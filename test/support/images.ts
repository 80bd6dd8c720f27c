import { crc32, deflateSync } from 'node:zlib';

/**
 * Real PNG files made here, so tests need no binary fixtures: `width` x `height` pixels of one
 * colour (RGB). `padTo` appends a private ancillary chunk until the file has that many bytes, for
 * size limits without a huge image.
 */
export function png(width: number, height: number, opts: { rgb?: [number, number, number]; padTo?: number } = {}): Buffer {
  const [r, g, b] = opts.rgb ?? [30, 120, 200];
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const chunks = [chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw))];
  const file = () => Buffer.concat([PNG_SIGNATURE, ...chunks, chunk('IEND', Buffer.alloc(0))]);
  if (opts.padTo && opts.padTo > file().length + 12) chunks.push(chunk('prVt', Buffer.alloc(opts.padTo - file().length - 12)));
  return file();
}

/** A PNG header that claims `width` x `height` pixels with almost no data: what a decompression bomb looks like. */
export function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}
