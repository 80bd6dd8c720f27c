import { describe, expect, it } from '@jest/globals';
import { MastoHttpError, MastoTimeoutError, MastoUnexpectedError } from 'masto';
import { classifyMastodonError } from '#src/platforms/mastodon/mastodon-errors.js';
import { contentMatches, htmlToText, mastodonLanguage, partIdempotencyKey } from '#src/platforms/mastodon/mastodon-text.js';

const WRITE = { write: true, idempotent: false };
const READ = { write: false };

function httpError(status: number, error: string, headers: Record<string, string> = {}): MastoHttpError {
  return new MastoHttpError(
    { statusCode: status, message: error },
    { cause: new Response(JSON.stringify({ error }), { status, headers }) },
  );
}

describe('partIdempotencyKey', () => {
  it('is stable per publication and part, and differs between parts', () => {
    expect(partIdempotencyKey('t1:r1', 0)).toBe(partIdempotencyKey('t1:r1', 0));
    expect(partIdempotencyKey('t1:r1', 0)).not.toBe(partIdempotencyKey('t1:r1', 1));
    expect(partIdempotencyKey('t1:r1', 0)).not.toBe(partIdempotencyKey('t1:r2', 0));
  });
});

describe('mastodonLanguage', () => {
  it('keeps the regional variants Mastodon knows and sends the primary subtag otherwise', () => {
    expect(mastodonLanguage('fr-BE')).toBe('fr');
    expect(mastodonLanguage('pt_br')).toBe('pt-BR');
    expect(mastodonLanguage('zh-TW')).toBe('zh-TW');
    expect(mastodonLanguage('nl')).toBe('nl');
    expect(mastodonLanguage('')).toBeNull();
  });
});

describe('matching our text with Mastodon content', () => {
  it('reads paragraphs, line breaks, link spans and entities back', () => {
    const html =
      '<p>Travaux &amp; fermeture<br />rue &quot;Haute&quot;</p><p>Voir <a href="https://www.example.org/travaux/rue-haute-2025-calendrier" rel="nofollow noopener" target="_blank"><span class="invisible">https://www.</span><span class="ellipsis">example.org/travaux/rue-haute-</span><span class="invisible">2025-calendrier</span></a></p>';
    expect(htmlToText(html)).toBe('Travaux & fermeture\nrue "Haute"\n\nVoir https://www.example.org/travaux/rue-haute-2025-calendrier');
    expect(contentMatches(html, 'Travaux & fermeture\nrue "Haute"\n\nVoir https://www.example.org/travaux/rue-haute-2025-calendrier')).toBe(
      true,
    );
  });

  it('survives remote mentions shown as @user and blank differences, but not other words', () => {
    const html =
      '<p>Merci <span class="h-card"><a href="https://autre.example/@maire" class="u-url mention">@<span>maire</span></a></span> !</p>';
    expect(contentMatches(html, 'Merci @maire@autre.example !')).toBe(true);
    expect(contentMatches(html, 'Merci  @maire !\n')).toBe(true);
    expect(contentMatches(html, 'Merci @adjoint !')).toBe(false);
  });
});

describe('classifyMastodonError', () => {
  it.each([
    [401, 'The access token is invalid', WRITE, 'auth'],
    [403, 'This action is outside the authorized scopes', WRITE, 'auth'],
    [403, 'Your login is currently disabled', WRITE, 'auth'],
    [403, 'Your login is missing a confirmed e-mail address', WRITE, 'auth'],
    [403, 'This action is not allowed', WRITE, 'invalid'],
    [404, 'The post you are trying to reply to does not appear to exist.', WRITE, 'invalid'],
    [422, 'Validation failed: Text character limit of 500 exceeded', WRITE, 'invalid'],
    [500, 'Internal error', WRITE, 'ambiguous'],
    [503, 'There was a temporary problem serving your request, please try again', READ, 'transient'],
  ] as const)('%i %s -> %s', (status, error, call, kind) => {
    const e = classifyMastodonError(httpError(status, error), call);
    expect(e.kind).toBe(kind);
    expect(e.message).toContain(error);
    expect(e.status).toBe(status);
  });

  it('reads the ISO reset of a 429', () => {
    const e = classifyMastodonError(httpError(429, 'Too many requests', { 'x-ratelimit-reset': '2030-01-02T03:04:05.000Z' }), READ);
    expect(e.kind).toBe('rate_limit');
    expect(e.resetAt?.toISOString()).toBe('2030-01-02T03:04:05.000Z');
  });

  it('a timeout is ambiguous on a status create, transient on a read; a refused connection is transient', () => {
    const timeout = new MastoTimeoutError('Request timed out', {
      cause: new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    });
    expect(classifyMastodonError(timeout, WRITE).kind).toBe('ambiguous');
    expect(classifyMastodonError(timeout, READ).kind).toBe('transient');
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(classifyMastodonError(refused, WRITE).kind).toBe('transient');
  });

  it('an answer that is not JSON (a proxy page) is treated like a 5xx', () => {
    expect(classifyMastodonError(new MastoUnexpectedError('The server returned data with an unknown encoding.'), WRITE).kind).toBe(
      'ambiguous',
    );
  });

  it('never lets a secret through', () => {
    const e = classifyMastodonError(new TypeError('fetch failed for token s3cr3t-token'), READ, ['s3cr3t-token']);
    expect(e.message).not.toContain('s3cr3t-token');
  });
});
