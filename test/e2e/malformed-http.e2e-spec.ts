import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestApi } from '#test/support/api.js';
import { currentMode } from '#test/support/test-storage.js';

/**
 * Requests that are not valid HTTP never reach a route: the server's parser refuses them. They
 * still get an answer in the API's error shape, even while the client is sending a large body
 * (Node 24's own handler reset such connections, so the client saw no answer at all).
 */
describe(`requests that are not valid HTTP (${currentMode()} storage)`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(async () => {
    await api?.stop();
  });

  const parseOrText = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };

  /** A raw request through node:http, so that bytes reach the server as they are. */
  function send(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; json: unknown }> {
    const url = new URL(api.url);
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, method: 'POST', path, headers: { ...headers, 'content-length': String(body.length) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: parseOrText(text) }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers 400 malformed_request to raw bytes in the request line, also while a 512 KB body is still being sent', async () => {
    for (const size of [0, 512 * 1024]) {
      const res = await send('/api/institutions/\u00ff\u00fe/partners', { 'content-type': 'application/json' }, Buffer.alloc(size, 'H'));
      expect(res).toEqual({
        status: 400,
        json: { statusCode: 400, code: 'malformed_request', message: expect.stringMatching(/^the request is not valid HTTP/) },
      });
    }
  });

  it('answers 431 headers_too_large to headers over the limit', async () => {
    const res = await send('/api/institutions', { 'x-big': 'h'.repeat(20_000) }, Buffer.from('{}'));
    expect(res).toEqual({
      status: 431,
      json: { statusCode: 431, code: 'headers_too_large', message: 'the request headers are too large' },
    });
  });

  it('is still healthy afterwards', async () => {
    expect((await api.client().get('/health/live')).status).toBe(200);
  });
});
