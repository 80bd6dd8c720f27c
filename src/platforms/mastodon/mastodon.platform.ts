import { MastodonAdapter } from '#src/platforms/mastodon/mastodon.adapter.js';
import { mastodonCount } from '#src/platforms/mastodon/mastodon-text.js';
import { definePlatform } from '#src/platforms/platform-descriptor.js';
import { secretField } from '#src/platforms/platform-fields.js';
import { MB, WEB_IMAGES } from '#src/platforms/text-count.js';

// 16 MB by default; an instance may say otherwise (settings.imageSizeLimit, read when the channel is verified).
const IMAGES = { types: [...WEB_IMAGES, 'image/heic', 'image/avif'], maxBytes: 16 * MB };

export const mastodonPlatform = definePlatform({
  id: 'mastodon',
  name: 'Mastodon',
  text: {
    unit: 'characters',
    limit: 500,
    count: mastodonCount,
    // Instances set their own limit (GET /api/v2/instance → configuration.statuses.max_characters).
    limitFor: (settings) => {
      const max = settings?.maxCharacters;
      return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : undefined;
    },
  },
  media: {
    maxItems: 4,
    images: IMAGES,
    imagesFor: (settings) => {
      const limit = settings?.imageSizeLimit;
      return typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? { ...IMAGES, maxBytes: limit } : undefined;
    },
  },
  threads: true,
  metrics: ['likes', 'reposts', 'replies', 'quotes'],
  fields: [
    {
      group: 'settings',
      key: 'instanceUrl',
      label: 'channels.field.instanceUrl',
      hint: 'channels.hint.instanceUrl',
      type: 'url',
      secret: false,
      required: true,
      check: { kind: 'url' },
    },
    secretField('accessToken', 'channels.field.accessToken', 'channels.hint.mastodonToken'),
  ],
  // The instance's URL is a setting of each channel.
  baseUrls: {},
  reconciliation: { answers: 'found_or_absent', how: "the account's statuses of the last 24 h: the same text, confirmed with /source" },
  adapter: ({ options }) => new MastodonAdapter(options),
});
