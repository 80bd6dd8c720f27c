/**
 * How a Telegram Bot API answer that is not `{"ok":true}` becomes a PlatformError. Kept pure (no
 * HTTP) so the table can be tested on its own.
 *
 * The Bot API's error body is `{"ok":false,"error_code":N,"description":"…","parameters"?:{retry_after}}`
 * and the HTTP status equals `error_code` (tdlib/telegram-bot-api `Query.cpp`).
 */
import { statusKind, resetFromSeconds, type CallKind } from '#src/platforms/http-failure.js';
import { PlatformError } from '#src/platforms/platform-adapter.js';

export interface TelegramFailureBody {
  ok?: boolean;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** What came back, as far as classification needs it. */
export interface TelegramAnswer {
  status: number;
  body: unknown;
  /** The `Retry-After` header, which Telegram sends with every 429 beside `parameters.retry_after`. */
  retryAfter?: string;
}

/**
 * Refusals sent as 400 that really mean "this bot may not post here": a person must fix the bot's
 * rights in the channel, like a revoked token, so they are `auth` and not `invalid`.
 */
const NO_RIGHTS = /need administrator rights|not enough rights|have no rights|CHAT_ADMIN_REQUIRED|CHAT_WRITE_FORBIDDEN/i;

export function failureBody(body: unknown): TelegramFailureBody {
  return body !== null && typeof body === 'object' ? (body as TelegramFailureBody) : {};
}

/** Telegram's own words, or the HTTP status when the body is not the Bot API's (a proxy's HTML page). */
export function describe(answer: TelegramAnswer): string {
  const { description } = failureBody(answer.body);
  return typeof description === 'string' && description !== '' ? description : `HTTP ${answer.status}`;
}

export function classifyFailure(method: string, answer: TelegramAnswer, call: CallKind, now = Date.now()): PlatformError {
  const body = failureBody(answer.body);
  // The body's code wins when the status was rewritten on the way (200 with ok:false is not expected, but possible behind a proxy).
  const status = answer.status >= 400 ? answer.status : (body.error_code ?? answer.status);
  const description = describe(answer);
  const where = `telegram ${method}`;

  if (status === 429) {
    const resetAt = resetFromSeconds(body.parameters?.retry_after, now) ?? resetFromSeconds(answer.retryAfter, now);
    return new PlatformError('rate_limit', `${where}: ${description}`, resetAt, status);
  }
  if (status === 401)
    return new PlatformError(
      'auth',
      `${where}: the bot token was refused (${description}); reconnect the channel with the token from @BotFather`,
      undefined,
      status,
    );
  // api.telegram.org answers 404 "Not Found" when the path does not hold a well-formed bot token.
  if (status === 404)
    return new PlatformError(
      'auth',
      `${where}: ${description} (the bot token is malformed or the Bot API address is wrong)`,
      undefined,
      status,
    );
  if (status === 403 || NO_RIGHTS.test(description)) {
    return new PlatformError(
      'auth',
      `${where}: ${description} (the bot must be an administrator of the channel with the right to post messages)`,
      undefined,
      status,
    );
  }
  return new PlatformError(statusKind(status, call), `${where}: ${description}`, undefined, status);
}

/**
 * The bot token is part of every request's path, so anything that could quote a URL (library
 * errors, descriptions) goes through this before it leaves the adapter.
 */
export function redact(err: PlatformError, token: string): PlatformError {
  const variants = [token, encodeURIComponent(token)].filter((v) => v !== '');
  let message = err.message;
  for (const v of variants) message = message.split(v).join('<bot token>');
  return message === err.message ? err : new PlatformError(err.kind, message, err.resetAt, err.status);
}
