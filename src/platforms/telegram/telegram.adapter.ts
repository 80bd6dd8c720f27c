/**
 * Telegram channels through the Bot API (https://core.telegram.org/bots/api), with axios.
 *
 * The channel posts as a bot that an administrator of the channel added with the right to post
 * messages. Credential `botToken` (from @BotFather); setting `chatId` ("@channelname" or the
 * numeric "-100…" id).
 *
 * Every request goes to `{base}/bot{token}/{method}`: the token is in the URL, so no axios error
 * ever leaves this file (they carry `config.url`), and every message is passed through `redact`.
 */
import axios, { type AxiosInstance } from 'axios';
import { transportFailure, type CallKind } from '#src/platforms/http-failure.js';
import {
  credential,
  PlatformError,
  setting,
  type AccountInfo,
  type Connection,
  type MediaItem,
  type Metrics,
  type PartPublished,
  type PlatformAdapter,
  type PublishedPart,
  type PublishRequest,
  type Reconciled,
} from '#src/platforms/platform-adapter.js';
import type { PlatformOptions } from '#src/platforms/platform-options.js';
import { captionWithDescriptions, MEDIA_GROUP_MAX, PHOTO_MAX_BYTES } from '#src/platforms/telegram/telegram-caption.js';
import { classifyFailure, describe, redact, type TelegramAnswer } from '#src/platforms/telegram/telegram-errors.js';
import { firstMessageId, messageIds, messageUrl, toExternalId } from '#src/platforms/telegram/telegram-message-ids.js';

/** The parts of the Bot API's objects this adapter reads. */
interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
}

interface TgChatMember {
  status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
  can_post_messages?: boolean;
}

interface TgMessage {
  message_id: number;
  chat: TgChat;
  date: number;
}

const READ: CallKind = { write: false };
/** sendMessage / sendPhoto / sendMediaGroup: Telegram has no idempotency key, a lost answer may hide a post. */
const SEND: CallKind = { write: true };
/** Deleting twice is harmless: a message already gone is success. */
const DELETE: CallKind = { write: true, idempotent: true };

/** "Bad Request: message to delete not found": already deleted, by us or by a channel admin. */
const ALREADY_DELETED = /message to delete not found/i;

const NO_METRICS: Metrics = { likes: null, reposts: null, replies: null, quotes: null, impressions: null, clicks: null };

export class TelegramAdapter implements PlatformAdapter {
  readonly platform = 'telegram' as const;
  /**
   * The Bot API gives no view, share or reply counts, so fetchMetrics makes no call at all and
   * the batch size only bounds what the pipeline hands over at once.
   */
  readonly metricsBatchSize = 100;
  private readonly http: AxiosInstance;
  private readonly base: string;

  constructor(private readonly options: PlatformOptions) {
    this.base = options.baseUrls.telegram.replace(/\/+$/, '');
    this.http = axios.create({
      timeout: options.timeoutMs,
      // Every answer is read here: the Bot API's refusals carry their reason in the body.
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
      maxBodyLength: Infinity,
      maxContentLength: 10 * 1024 * 1024,
    });
  }

  async verify(conn: Connection): Promise<AccountInfo> {
    const token = credential(conn, 'botToken');
    const chatId = setting(conn, 'chatId');
    const bot = await this.call<TgUser>(token, 'getMe', {}, READ);
    const chat = await this.call<TgChat>(token, 'getChat', { chat_id: chatId }, READ);
    if (chat.type !== 'channel') {
      throw new PlatformError(
        'invalid',
        `telegram: ${chatId} is a ${chat.type} chat, not a channel; CivicPost publishes to Telegram channels`,
      );
    }
    const member = await this.call<TgChatMember>(token, 'getChatMember', { chat_id: chatId, user_id: bot.id }, READ);
    const title = chat.title ?? chatId;
    if (member.status !== 'administrator' || member.can_post_messages !== true) {
      throw new PlatformError(
        'auth',
        `telegram: the bot ${bot.username ? `@${bot.username}` : bot.id} cannot post in "${title}" (its status there is '${member.status}'` +
          `${member.status === 'administrator' ? ' without the right to post messages' : ''}); make it an administrator with "Post messages"`,
      );
    }
    return {
      id: String(chat.id),
      handle: chat.username ? `@${chat.username}` : title,
      displayName: title,
      ...(chat.username ? { url: `https://t.me/${chat.username}` } : {}),
    };
  }

  async publish(req: PublishRequest, onPart?: PartPublished): Promise<PublishedPart[]> {
    const token = credential(req, 'botToken');
    const chatId = setting(req, 'chatId');
    const texts = [req.text, ...req.thread];
    const parts = [...req.publishedParts];
    for (let index = parts.length; index < texts.length; index++) {
      const part =
        index === 0
          ? await this.sendFirstPart(token, chatId, req.text, req.media)
          : await this.sendText(token, chatId, texts[index]!, firstMessageId(parts[index - 1]!.externalId));
      parts.push(part);
      await onPart?.(part, index);
    }
    return parts;
  }

  /**
   * The Bot API cannot read a channel's history (there is no getChatHistory for bots), and Telegram
   * does not send a bot its own messages as `channel_post` updates (reported by bot authors in
   * rubenlagus/TelegramApi#85, yagop/node-telegram-bot-api#1005, edisonchee/slimbot#20). Peeking
   * at getUpdates would also fail with 409 when the bot has a webhook, and confirming offsets
   * would steal updates from whatever else uses the bot. So nothing here can tell: a person looks.
   * Never 'absent': that would send the post a second time.
   */
  async findPublished(req: PublishRequest): Promise<Reconciled> {
    const index = req.publishedParts.length;
    const chatId = typeof req.channel.settings.chatId === 'string' ? req.channel.settings.chatId : 'the channel';
    const where = chatId.startsWith('@') ? `https://t.me/${chatId.slice(1)}` : chatId;
    const what =
      index === 0 ? 'the post' : `part ${index + 1} of the thread (a reply to message ${req.publishedParts[index - 1]!.externalId})`;
    return {
      status: 'unknown',
      reason: `Telegram's Bot API cannot read a channel's messages, so CivicPost cannot tell whether ${what} reached ${where}; look in the channel and confirm or retry by hand`,
    };
  }

  async delete(conn: Connection, externalIds: string[]): Promise<void> {
    const token = credential(conn, 'botToken');
    const chatId = setting(conn, 'chatId');
    for (const externalId of externalIds) {
      for (const messageId of messageIds(externalId)) {
        const answer = await this.request(token, 'deleteMessage', { chat_id: chatId, message_id: messageId }, DELETE);
        if (isOk(answer) || ALREADY_DELETED.test(describe(answer))) continue;
        // "message can't be deleted" (older than 48 hours, or no right to delete) stays `invalid` with Telegram's words.
        throw redact(classifyFailure('deleteMessage', answer, DELETE), token);
      }
    }
  }

  /**
   * The Bot API exposes no view counts, forwards or replies for channel posts; reaction counts come
   * only as `message_reaction_count` updates through getUpdates/webhooks, which CivicPost does not
   * consume (see findPublished). Every metric is therefore "not available" (null), never 0.
   */
  async fetchMetrics(_conn: Connection, externalIds: string[]): Promise<Map<string, Metrics>> {
    return new Map(externalIds.map((id) => [id, { ...NO_METRICS }]));
  }

  private async sendFirstPart(token: string, chatId: string, text: string, media: MediaItem[]): Promise<PublishedPart> {
    if (media.length === 0) return this.sendText(token, chatId, text);
    if (media.length > MEDIA_GROUP_MAX) {
      throw new PlatformError('invalid', `telegram: an album holds at most ${MEDIA_GROUP_MAX} images; this post has ${media.length}`);
    }
    // Everything is checked before the first byte goes out: a refusal here publishes nothing.
    const caption = captionWithDescriptions(text, media);
    media.forEach((item, i) => {
      if (!item.mimeType.startsWith('image/'))
        throw new PlatformError('invalid', `telegram: media ${i + 1} is ${item.mimeType}; CivicPost sends images only`);
      if (item.size > PHOTO_MAX_BYTES)
        throw new PlatformError('invalid', `telegram: image ${i + 1} is ${item.size} bytes; Telegram takes photos up to 10 MB`);
    });
    const files = await Promise.all(media.map(async (item) => ({ item, bytes: await item.read() })));

    // Multipart turns every "\n" of the caption into "\r\n"; Telegram drops '\r' on input (tdlib clean_input_string).
    const form = new FormData();
    form.append('chat_id', chatId);
    if (files.length === 1) {
      const [{ item, bytes }] = files as [(typeof files)[number]];
      form.append('photo', new Blob([new Uint8Array(bytes)], { type: item.mimeType }), item.fileName);
      if (caption !== '') form.append('caption', caption);
      const message = await this.call<TgMessage>(token, 'sendPhoto', form, SEND);
      return this.part([message], chatId);
    }
    // The album's caption is the first item's caption: Telegram shows it under the whole group.
    const items = files.map(({ item, bytes }, i) => {
      form.append(`photo${i}`, new Blob([new Uint8Array(bytes)], { type: item.mimeType }), item.fileName);
      return { type: 'photo', media: `attach://photo${i}`, ...(i === 0 && caption !== '' ? { caption } : {}) };
    });
    form.append('media', JSON.stringify(items));
    const messages = await this.call<TgMessage[]>(token, 'sendMediaGroup', form, SEND);
    return this.part(messages, chatId);
  }

  /** No parse_mode: the text goes out exactly as written, with nothing to escape. */
  private async sendText(token: string, chatId: string, text: string, replyTo?: number): Promise<PublishedPart> {
    const message = await this.call<TgMessage>(
      token,
      'sendMessage',
      { chat_id: chatId, text, ...(replyTo !== undefined ? { reply_parameters: { message_id: replyTo } } : {}) },
      SEND,
    );
    return this.part([message], chatId);
  }

  private part(messages: TgMessage[], chatId: string): PublishedPart {
    const first = messages[0];
    if (!first) throw new PlatformError('ambiguous', 'telegram: the send was answered without any message');
    // The answer's chat carries the username of a public channel; fall back on an "@name" setting.
    const username = first.chat.username ?? (chatId.startsWith('@') ? chatId.slice(1) : undefined);
    return { externalId: toExternalId(messages.map((m) => m.message_id)), url: messageUrl(username, first.message_id) };
  }

  /** One Bot API call that must succeed: its `result`, or a PlatformError free of the token. */
  private async call<T>(token: string, method: string, params: Record<string, unknown> | FormData, kind: CallKind): Promise<T> {
    const answer = await this.request(token, method, params, kind);
    if (isOk(answer)) return (answer.body as { result: T }).result;
    throw redact(classifyFailure(method, answer, kind), token);
  }

  /** The raw answer; only a request without an HTTP answer throws (as a PlatformError). */
  private async request(
    token: string,
    method: string,
    params: Record<string, unknown> | FormData,
    kind: CallKind,
  ): Promise<TelegramAnswer> {
    try {
      const res = await this.http.post<unknown>(`${this.base}/bot${token}/${method}`, params, {
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const retryAfter = res.headers['retry-after'];
      return { status: res.status, body: res.data, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) };
    } catch (err) {
      // Only the classification leaves: the axios error itself holds the URL, and so the token.
      throw redact(transportFailure(err, kind, `telegram ${method}`), token);
    }
  }
}

function isOk(answer: TelegramAnswer): boolean {
  return answer.status >= 200 && answer.status < 300 && (answer.body as { ok?: unknown } | null)?.ok === true;
}
