/**
 * A fake Telegram Bot API (https://core.telegram.org/bots/api), for one bot posting in one channel.
 *
 * Modelled on the documentation and on tdlib/telegram-bot-api's answers:
 * - `/bot<token>/<method>`, GET or POST, method names case-insensitive; parameters from the query
 *   string, JSON, application/x-www-form-urlencoded or multipart/form-data (files by attach://name);
 * - `{"ok":true,"result":…}` or `{"ok":false,"error_code":N,"description":"…","parameters"?}` with
 *   the HTTP status equal to error_code;
 * - a path without a well-formed token: 404 "Not Found"; an unknown token: 401 "Unauthorized";
 * - flood control: 429 "Too Many Requests: retry after N" with parameters.retry_after and Retry-After;
 * - text 1-4096 characters, caption 0-1024, photo up to 10 MB, albums of 2-10 items, replies only to
 *   messages that exist in the chat, message ids sequential per chat, deleteMessage within 48 hours.
 *
 * Telegram gives bots no view or reaction counts by any read method, so the fake has none to set.
 * Imports nothing from src/.
 */
import { createHash } from 'node:crypto';
import { FakePlatform, HttpReply, type Reply, type RequestContext, type Route, type DemoChannel } from './fake-server.js';

export interface TelegramFakeOptions {
  token?: string;
  bot?: { id: number; username: string; first_name: string };
  channel?: { id: number; title: string; username?: string };
  /** Seconds in 429 answers. */
  retryAfter?: number;
}

/** The bot's membership in the channel, as getChatMember reports it. */
export interface BotMembership {
  status: 'administrator' | 'member' | 'left' | 'kicked';
  can_post_messages: boolean;
  can_delete_messages: boolean;
}

interface StoredPhoto {
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
}

interface StoredMessage {
  message_id: number;
  date: number;
  text?: string;
  caption?: string;
  photo?: StoredPhoto;
  media_group_id?: string;
  reply_to?: number;
}

type Params = Record<string, unknown>;

export const DEFAULT_TELEGRAM_TOKEN = '7000000001:AAH-civicpost-fake-token_0123456789ab';
const TOKEN_SHAPE = /^\d+:[A-Za-z0-9_-]+$/;
const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const DELETE_WINDOW_SECONDS = 48 * 3600;
const METHODS = ['getMe', 'getChat', 'getChatMember', 'sendMessage', 'sendPhoto', 'sendMediaGroup', 'deleteMessage'] as const;
type Method = (typeof METHODS)[number];
const WRITES = new Set<Method>(['sendMessage', 'sendPhoto', 'sendMediaGroup', 'deleteMessage']);

class BotApiError extends HttpReply {
  constructor(code: number, description: string, parameters?: Record<string, unknown>) {
    super({ status: code, body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) } });
  }
}

const badRequest = (what: string) => new BotApiError(400, `Bad Request: ${what}`);

export class TelegramFake extends FakePlatform {
  readonly name = 'telegram';
  readonly token: string;
  readonly bot: { id: number; username: string; first_name: string };
  readonly channel: { id: number; title: string; username?: string };
  retryAfter: number;
  membership: BotMembership = { status: 'administrator', can_post_messages: true, can_delete_messages: true };
  /** Messages of the channel by id; deleted ones are removed. */
  readonly messages = new Map<number, StoredMessage>();
  private nextMessageId = 1;
  private nextGroupId = 1;

  constructor(options: TelegramFakeOptions = {}) {
    super();
    this.token = options.token ?? DEFAULT_TELEGRAM_TOKEN;
    this.bot = options.bot ?? { id: Number(this.token.split(':')[0]), username: 'civicpost_fake_bot', first_name: 'CivicPost' };
    this.channel = options.channel ?? { id: -1001234567890, title: 'CivicPost Test Channel', username: 'civicpost_test' };
    this.retryAfter = options.retryAfter ?? 7;
  }
  demoChannel(): DemoChannel {
    const chatId = this.channel.username ? `@${this.channel.username}` : String(this.channel.id);
    return { platform: 'telegram', settings: { chatId }, credentials: { botToken: this.token }, env: { TELEGRAM_API_BASE_URL: this.url } };
  }

  /** Makes a message look older (for the 48-hour delete rule). */
  ageMessage(messageId: number, seconds: number): void {
    const m = this.messages.get(messageId);
    if (m) m.date -= seconds;
  }

  protected override resetState(): void {
    this.messages.clear();
    this.nextMessageId = 1;
    this.nextGroupId = 1;
    this.membership = { status: 'administrator', can_post_messages: true, can_delete_messages: true };
  }

  protected routes(): Route[] {
    return METHODS.flatMap((method) =>
      ['GET', 'POST'].map((httpMethod) => ({
        name: method,
        method: httpMethod,
        path: new RegExp(`^/bot(?<token>[^/]*)/${method}$`, 'i'),
        write: WRITES.has(method),
        handle: async (ctx: RequestContext) => ({ status: 200, body: { ok: true, result: await this.handle(method, await params(ctx)) } }),
      })),
    );
  }

  protected authenticate(ctx: RequestContext): Reply | undefined {
    const token = decodeURIComponent(ctx.params.token ?? '');
    if (!TOKEN_SHAPE.test(token)) return this.notFound(ctx);
    if (token !== this.token) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    return undefined;
  }

  protected override notFound(_ctx: RequestContext): Reply {
    return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
  }

  protected rateLimited(_ctx: RequestContext): Reply {
    return {
      status: 429,
      headers: { 'retry-after': String(this.retryAfter) },
      body: {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${this.retryAfter}`,
        parameters: { retry_after: this.retryAfter },
      },
    };
  }

  protected serverError(_ctx: RequestContext): Reply {
    return { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } };
  }

  /** Bot tokens do not expire; a token revoked in @BotFather is answered like an unknown one. */
  protected expiredToken(_ctx: RequestContext): Reply {
    return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
  }

  private async handle(method: Method, p: Params): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return {
          id: this.bot.id,
          is_bot: true,
          first_name: this.bot.first_name,
          username: this.bot.username,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        };
      case 'getChat':
        this.chat(p);
        return {
          id: this.channel.id,
          type: 'channel',
          title: this.channel.title,
          ...(this.channel.username ? { username: this.channel.username } : {}),
          accent_color_id: 0,
          max_reaction_count: 11,
        };
      case 'getChatMember': {
        this.chat(p);
        const userId = integer(p.user_id, 'user_id');
        if (userId !== this.bot.id) return { status: 'left', user: { id: userId, is_bot: false, first_name: 'Someone' } };
        const user = { id: this.bot.id, is_bot: true, first_name: this.bot.first_name, username: this.bot.username };
        if (this.membership.status !== 'administrator') return { status: this.membership.status, user };
        return {
          status: 'administrator',
          user,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_post_messages: this.membership.can_post_messages,
          can_edit_messages: true,
          can_delete_messages: this.membership.can_delete_messages,
        };
      }
      case 'sendMessage': {
        this.canPost(p);
        const text = clean(string(p.text));
        if (text === undefined || text.trim() === '') throw badRequest('message text is empty');
        if (length(text) > TEXT_LIMIT) throw badRequest('message is too long');
        const replyTo = this.replyTo(p);
        return this.view(this.store({ text, reply_to: replyTo }));
      }
      case 'sendPhoto': {
        this.canPost(p);
        const caption = this.caption(clean(string(p.caption)));
        const photo = await this.photo(p.photo);
        const replyTo = this.replyTo(p);
        return this.view(this.store({ caption, photo, reply_to: replyTo }));
      }
      case 'sendMediaGroup': {
        this.canPost(p);
        const media = json(p.media, 'media');
        if (!Array.isArray(media)) throw badRequest("can't parse media JSON object");
        if (media.length < 2 || media.length > 10) throw badRequest('media group must include 2-10 items');
        const items: Array<{ caption?: string; photo: StoredPhoto }> = [];
        for (const item of media as Array<Record<string, unknown>>) {
          if (item.type !== 'photo') throw badRequest('unsupported media type in the fake (photos only)');
          const ref = string(item.media) ?? '';
          const file = ref.startsWith('attach://') ? p[ref.slice('attach://'.length)] : undefined;
          if (file === undefined) throw badRequest('wrong file identifier/HTTP URL specified');
          items.push({ caption: this.caption(clean(string(item.caption))), photo: await this.photo(file) });
        }
        const replyTo = this.replyTo(p);
        const groupId = String(this.nextGroupId++);
        return items.map((item) => this.view(this.store({ ...item, media_group_id: groupId, reply_to: replyTo })));
      }
      case 'deleteMessage': {
        this.chat(p);
        const id = integer(p.message_id, 'message_id');
        const m = this.messages.get(id);
        if (!m) throw badRequest('message to delete not found');
        if (!this.membership.can_delete_messages && !this.membership.can_post_messages) throw badRequest("message can't be deleted");
        if (now() - m.date > DELETE_WINDOW_SECONDS) throw badRequest("message can't be deleted");
        this.messages.delete(id);
        const entry = this.ledger.find((e) => e.id === String(id));
        if (entry) entry.deleted = true;
        return true;
      }
    }
  }

  /** Resolves chat_id ("@username" or the numeric id) to the one channel the fake serves. */
  private chat(p: Params): void {
    const raw = p.chat_id;
    if (raw === undefined || raw === '') throw badRequest('chat_id is empty');
    const value = String(raw);
    const byName = this.channel.username !== undefined && value.toLowerCase() === `@${this.channel.username.toLowerCase()}`;
    if (!byName && value !== String(this.channel.id)) throw badRequest('chat not found');
    if (this.membership.status === 'kicked') throw new BotApiError(403, 'Forbidden: bot was kicked from the channel chat');
    if (this.membership.status === 'left') throw new BotApiError(403, 'Forbidden: bot is not a member of the channel chat');
  }

  private canPost(p: Params): void {
    this.chat(p);
    if (this.membership.status !== 'administrator' || !this.membership.can_post_messages)
      throw badRequest('need administrator rights in the channel chat');
  }

  private caption(caption: string | undefined): string | undefined {
    if (caption !== undefined && length(caption) > CAPTION_LIMIT) throw badRequest('message caption is too long');
    return caption === '' ? undefined : caption;
  }

  private replyTo(p: Params): number | undefined {
    if (p.reply_parameters === undefined) return undefined;
    const reply = json(p.reply_parameters, 'reply_parameters') as { message_id?: unknown; allow_sending_without_reply?: unknown };
    const id = integer(reply.message_id, 'message_id');
    if (this.messages.has(id)) return id;
    if (reply.allow_sending_without_reply === true) return undefined;
    throw badRequest('message to be replied not found');
  }

  private async photo(value: unknown): Promise<StoredPhoto> {
    if (!(value instanceof Blob)) throw badRequest('wrong file identifier/HTTP URL specified');
    const bytes = Buffer.from(await value.arrayBuffer());
    // Telegram does not say "too big" for photos; the MTProto error comes through as the description.
    if (bytes.length > PHOTO_MAX_BYTES) throw badRequest('PHOTO_SAVE_FILE_INVALID');
    const mimeType = sniffImage(bytes);
    if (!mimeType) throw badRequest('IMAGE_PROCESS_FAILED');
    return {
      fileName: value instanceof File ? value.name : 'photo',
      mimeType,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
  }

  private store(content: Omit<StoredMessage, 'message_id' | 'date'>): StoredMessage {
    const message: StoredMessage = { message_id: this.nextMessageId++, date: now(), ...content };
    this.messages.set(message.message_id, message);
    this.ledger.push({
      id: String(message.message_id),
      text: message.text ?? message.caption ?? '',
      at: new Date(message.date * 1000).toISOString(),
      chatId: this.channel.id,
      ...(message.reply_to !== undefined ? { inReplyTo: String(message.reply_to) } : {}),
      ...(message.photo ? { media: [message.photo] } : {}),
      ...(message.media_group_id ? { mediaGroupId: message.media_group_id } : {}),
    });
    return message;
  }

  /** The Message object as the Bot API returns it for a channel post. */
  private view(m: StoredMessage): Record<string, unknown> {
    const chat = {
      id: this.channel.id,
      title: this.channel.title,
      type: 'channel',
      ...(this.channel.username ? { username: this.channel.username } : {}),
    };
    return {
      message_id: m.message_id,
      sender_chat: chat,
      chat,
      date: m.date,
      ...(m.text !== undefined ? { text: m.text } : {}),
      ...(m.caption !== undefined ? { caption: m.caption } : {}),
      ...(m.media_group_id ? { media_group_id: m.media_group_id } : {}),
      ...(m.photo
        ? {
            photo: [
              {
                file_id: `photo-${m.message_id}`,
                file_unique_id: m.photo.sha256.slice(0, 16),
                width: 1280,
                height: 720,
                file_size: m.photo.size,
              },
            ],
          }
        : {}),
      ...(m.reply_to !== undefined && this.messages.has(m.reply_to)
        ? { reply_to_message: { message_id: m.reply_to, chat, date: this.messages.get(m.reply_to)!.date } }
        : {}),
    };
  }
}

/** Bot API parameters from the query string and the body, whichever form it came in. */
async function params(ctx: RequestContext): Promise<Params> {
  const out: Params = Object.fromEntries(ctx.url.searchParams);
  const type = String(ctx.headers['content-type'] ?? '').toLowerCase();
  if (ctx.body.length === 0) return out;
  if (type.startsWith('application/json')) {
    const body = ctx.json<unknown>();
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('parameters must be a JSON object');
    return { ...out, ...(body as Params) };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return { ...out, ...Object.fromEntries(ctx.form()) };
  if (type.startsWith('multipart/form-data')) {
    const form = await ctx.formData();
    for (const [key, value] of form) out[key] = value;
    return out;
  }
  throw badRequest(`unsupported content type ${type || '(none)'}`);
}

function string(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function integer(value: unknown, name: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) throw badRequest(`field "${name}" must be a valid Number`);
  return n;
}

/** Objects arrive as JSON values in a JSON body, as JSON-serialised strings in forms. */
function json(value: unknown, name: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`can't parse ${name} JSON object`);
  }
}

/**
 * tdlib's clean_input_string: '\r' is dropped (multipart bodies send "\r\n" for every newline) and
 * other control characters but '\n' become spaces; then leading and trailing blanks are stripped.
 */
function clean(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return text
    .replace(/\r/g, '')
    .replace(/[\u0000-\u0009\u000b-\u001f]/g, ' ')
    .trim();
}

/** Characters as Telegram counts them for the limits (Unicode code points). */
function length(text: string): number {
  return [...text].length;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function sniffImage(b: Buffer): string | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  if (b.length >= 6 && b.subarray(0, 3).toString('latin1') === 'GIF') return 'image/gif';
  return undefined;
}
