import type { NextFunction, Request, Response } from 'express';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Deeper JSON than this is refused: no request of this API needs more, and deep nesting overflows validators' stacks. */
export const MAX_JSON_DEPTH = 32;

class BadRequestBody extends Error {
  readonly status = 400;
  readonly expose = true;
}

/**
 * body-parser's `verify` hook: one pass over the raw JSON before it is parsed, refusing nesting
 * deeper than MAX_JSON_DEPTH, the NUL character (\\u0000), which PostgreSQL text cannot store, and
 * half a surrogate pair (\\uD800 with no \\uDC00-\\uDFFF after it, or the low half alone), which is no
 * character at all and which PostgreSQL's jsonb refuses. Raw UTF-8 cannot encode either half: only
 * escapes can.
 */
export function verifyJsonBody(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  const unitAt = (i: number) => {
    const hex = buf[i] === 0x5c /* \\ */ && buf[i + 1] === 0x75 /* u */ ? buf.toString('latin1', i + 2, i + 6) : '';
    return /^[0-9a-f]{4}$/i.test(hex) ? parseInt(hex, 16) : NaN;
  };
  const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
  const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) {
        const unit = unitAt(i);
        if (unit === 0) throw new BadRequestBody('text must not contain the NUL character (\\u0000)');
        const high = isHigh(unit);
        if ((high && !isLow(unitAt(i + 6))) || isLow(unit)) {
          throw new BadRequestBody(
            `text must be valid Unicode: \\u${buf.toString('latin1', i + 2, i + 6)} is half of a surrogate pair without its other half`,
          );
        }
        i += high ? 11 : 1; // past the pair, or past the escaped character (hex digits are plain characters)
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

/**
 * The HTTP server's `clientError` handler, for requests that fail to parse (a request line with raw
 * bytes no URL may hold, headers too large, a timeout). Node's own handler writes a bare status and
 * destroys the socket at once; on Node 24 a client still sending its body then gets a connection
 * reset instead of the answer. This one answers in the API's error shape, naming the problem, then
 * reads and discards what the client still sends (for at most 5 s) before the connection closes.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [statusCode, code, status, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'Request Header Fields Too Large', 'the request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'Request Timeout', 'the request did not arrive in time']
        : [400, 'malformed_request', 'Bad Request', `the request is not valid HTTP (${err.code ?? 'parse error'})`];
  const body = JSON.stringify({ statusCode, code, message });
  socket.end(
    `HTTP/1.1 ${statusCode} ${status}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.resume();
  if (socket instanceof Socket) socket.setTimeout(5_000, () => socket.destroy());
}
