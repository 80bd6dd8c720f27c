import twitterText from 'twitter-text';
import { definePlatform } from '#src/platforms/platform-descriptor.js';
import { secretField } from '#src/platforms/platform-fields.js';
import { MB, WEB_IMAGES } from '#src/platforms/text-count.js';
import { XAdapter } from '#src/platforms/x/x.adapter.js';

export const xPlatform = definePlatform({
  id: 'x',
  name: 'X',
  // twitter-text weighs CJK and emoji 2, URLs 23.
  text: { unit: 'characters (weighted)', limit: 280, count: (t) => twitterText.parseTweet(t).weightedLength },
  // Images up to 5 MB (docs.x.com media best practices).
  media: { maxItems: 4, images: { types: WEB_IMAGES, maxBytes: 5 * MB } },
  threads: true,
  metrics: ['likes', 'reposts', 'replies', 'quotes', 'impressions', 'clicks'],
  fields: [
    secretField('accessToken', 'channels.field.accessToken', 'channels.hint.xAccessToken'),
    secretField('accessSecret', 'channels.field.accessSecret', 'channels.hint.xOAuth1', false),
    secretField('appKey', 'channels.field.appKey', 'channels.hint.xOAuth1', false),
    secretField('appSecret', 'channels.field.appSecret', 'channels.hint.xOAuth1', false),
  ],
  baseUrls: {
    x: { variable: 'X_API_BASE_URL', default: 'https://api.x.com' },
    xUpload: { variable: 'X_UPLOAD_BASE_URL', default: 'https://upload.x.com' },
  },
  reconciliation: { answers: 'found_or_absent', how: "the account's timeline: the same text, a reply to the right parent" },
  adapter: ({ options }) => new XAdapter(options),
});
