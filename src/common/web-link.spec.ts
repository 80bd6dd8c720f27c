import { describe, expect, it } from '@jest/globals';
import { webLink } from '#src/common/web-link.js';
import { publishedRecord } from '#src/modules/publishing/published-record.js';

describe('links from platforms and people', () => {
  it('keeps https: and http: addresses, and nothing else', () => {
    expect(webLink('https://mastodon.example/@city/1')).toBe('https://mastodon.example/@city/1');
    expect(webLink('http://intranet.example/p/1')).toBe('http://intranet.example/p/1');
    // The sandbox's publications live on this site.
    expect(webLink('/sandbox/c1#p1')).toBe('/sandbox/c1#p1');
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:x',
      '//evil',
      '/\\evil',
      'not a url',
      '',
      null,
    ])
      expect({ url, link: webLink(url) }).toEqual({ url, link: null });
  });

  it('records a publication without a link the platform gave that is not a web page', () => {
    const record = publishedRecord(
      [
        { externalId: '1', url: 'javascript:alert(document.cookie)' },
        { externalId: '2', url: 'https://x.example/2' },
      ],
      new Date(0),
      new Date(0),
      [],
    );
    expect(record).toMatchObject({
      externalId: '1',
      externalUrl: null,
      externalParts: [
        { externalId: '1', url: null },
        { externalId: '2', url: 'https://x.example/2' },
      ],
    });
  });
});
