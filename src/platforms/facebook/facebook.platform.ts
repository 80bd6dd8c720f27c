import { FacebookAdapter } from '#src/platforms/facebook/facebook.adapter.js';
import { definePlatform } from '#src/platforms/platform-descriptor.js';
import { secretField } from '#src/platforms/platform-fields.js';
import { codePointCount, MB } from '#src/platforms/text-count.js';

export const facebookPlatform = definePlatform({
  id: 'facebook',
  name: 'Facebook',
  text: { unit: 'characters', limit: 63206, count: codePointCount },
  // Page photos: 10 MB.
  media: {
    maxItems: 10,
    images: { types: ['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/tiff', 'image/webp'], maxBytes: 10 * MB },
  },
  threads: false,
  metrics: ['likes', 'reposts', 'replies', 'impressions', 'clicks'],
  fields: [
    {
      group: 'settings',
      key: 'pageId',
      label: 'channels.field.pageId',
      hint: 'channels.hint.pageId',
      type: 'text',
      secret: false,
      required: true,
      check: { kind: 'pattern', pattern: /^\d{1,30}$/, problem: "must be the Facebook page's numeric id" },
    },
    secretField('pageAccessToken', 'channels.field.pageAccessToken', 'channels.hint.pageAccessToken'),
  ],
  baseUrls: { facebookGraph: { variable: 'FACEBOOK_GRAPH_BASE_URL', default: 'https://graph.facebook.com' } },
  reconciliation: { answers: 'found_or_absent', how: "the page's published_posts: the same text" },
  adapter: ({ options }) => new FacebookAdapter(options),
});
