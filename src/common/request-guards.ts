import type { NextFunction, Request, Response } from 'express';

/** Deeper JSON than this is refused: no request of this API needs more, and deep nesting overflows validators' stacks. */
export const MAX_JSON_DEPTH = 32;

class BadRequestBody extends Error {
  readonly status = 400;
  readonly expose = true;
}

/**
 * body-parser's `verify` hook: one pass over the raw JSON before it is parsed,
 * refusing nesting deeper than MAX_JSON_DEPTH and the NUL character (\\u0000),
 * which PostgreSQL text cannot store.
 */
export function verifyJsonBody(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c /* \\ */) {
        if (buf[i + 1] === 0x75 /* u */ && buf.toString('latin1', i + 2, i + 6) === '0000') {
          throw new BadRequestBody('text must not contain the NUL character (\\u0000)');
        }
        i++; // skip the escaped character
      } else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > MAX_JSON_DEPTH) throw new BadRequestBody(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/** A NUL in the path or query string would reach PostgreSQL as a parameter: refuse it up front. */
export function refuseNulInUrl(req: Request, res: Response, next: NextFunction): void {
  if (/%00/.test(req.originalUrl)) {
    res.status(400).json({ statusCode: 400, code: 'bad_request', message: 'the URL must not contain the NUL character (%00)' });
    return;
  }
  next();
}
