import { definePlatform } from '#src/platforms/platform-descriptor.js';
import { secretField } from '#src/platforms/platform-fields.js';
import { CAPTION_LIMIT, descriptionsBlock } from '#src/platforms/telegram/telegram-caption.js';
import { TelegramAdapter } from '#src/platforms/telegram/telegram.adapter.js';
import { codePointCount, MB } from '#src/platforms/text-count.js';

export const telegramPlatform = definePlatform({
  id: 'telegram',
  name: 'Telegram',
  text: {
    unit: 'characters',
    limit: 4096,
    count: codePointCount,
    // Media go with a caption, which is shorter than a text message.
    limitFor: (_settings, { hasMedia }) => (hasMedia ? CAPTION_LIMIT : undefined),
    // No alt text field: the adapter publishes the descriptions in the caption, so they count (telegram-caption.ts).
    withMedia: {
      text: (text, altTexts) =>
        [text.trim(), descriptionsBlock(altTexts.map((altText) => ({ altText })))].filter((t) => t !== '').join('\n\n'),
      unit: "characters in a caption with media (the images' alt text included: Telegram shows it there)",
    },
  },
  // sendPhoto: 10 MB, width + height at most 10000.
  media: { maxItems: 10, images: { types: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 10 * MB }, maxWidthPlusHeight: 10_000 },
  threads: true,
  // The Bot API gives no engagement of a channel's messages.
  metrics: [],
  fields: [
    {
      group: 'settings',
      key: 'chatId',
      label: 'channels.field.chatId',
      hint: 'channels.hint.chatId',
      type: 'text',
      secret: false,
      required: true,
      check: {
        kind: 'pattern',
        pattern: /^(@[A-Za-z][A-Za-z0-9_]{3,31}|-?\d{1,20})$/,
        problem: 'must be the channel as @username or its numeric id (-100...)',
      },
    },
    secretField('botToken', 'channels.field.botToken', 'channels.hint.botToken'),
  ],
  baseUrls: { telegram: { variable: 'TELEGRAM_API_BASE_URL', default: 'https://api.telegram.org' } },
  reconciliation: { answers: 'unknown', how: "the Bot API cannot read a channel's messages: a person looks and settles it" },
  adapter: ({ options }) => new TelegramAdapter(options),
});
