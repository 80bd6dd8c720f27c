/**
 * The HTTP plumbing shared by the adapters that speak to their platform with axios (Facebook, LinkedIn):
 * one instance per platform with its base URL and timeout, and one place where an axios failure becomes a
 * PlatformError. Axios errors carry the request config (headers with the token, URLs with query strings);
 * nothing from them but the network code and a short message ever reaches a PlatformError.
 */
import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { transportFailure, type CallKind } from '#src/platforms/http-failure.js';
import { PlatformError } from '#src/platforms/platform-adapter.js';

export function createHttpClient(baseURL: string, timeoutMs: number): AxiosInstance {
  return axios.create({
    baseURL,
    timeout: timeoutMs,
    // A timeout is reported as ETIMEDOUT (not ECONNABORTED), so it reads as "no answer" in the logs.
    transitional: { clarifyTimeoutError: true },
    // Redirects would carry the Authorization header to another host.
    maxRedirects: 0,
  });
}

/** Turns an HTTP error answer (status >= 400) into the platform's PlatformError. */
export type ClassifyResponse = (response: AxiosResponse<unknown>, call: CallKind) => PlatformError;

export interface HttpCall<T> {
  http: AxiosInstance;
  config: AxiosRequestConfig;
  call: CallKind;
  platform: string;
  classify: ClassifyResponse;
  /** Values that must never appear in a message (tokens), replaced as a last line of defence. */
  secrets: string[];
  /** Checks the answer's shape; absent means the body is taken as T. */
  parse?: (data: unknown) => T;
}

/** Sends one request; every failure comes out as a PlatformError with no secret in its message. */
export async function send<T>(req: HttpCall<T>): Promise<AxiosResponse<T>> {
  let response: AxiosResponse<unknown>;
  try {
    response = await req.http.request<unknown>(req.config);
  } catch (err) {
    throw redacted(toPlatformError(err, req), req.secrets);
  }
  if (!req.parse) return response as AxiosResponse<T>;
  try {
    return { ...response, data: req.parse(response.data) };
  } catch (err) {
    // The platform answered 2xx with something we cannot read: the write may well have happened.
    const kind = req.call.write && !req.call.idempotent ? 'ambiguous' : 'transient';
    const detail = err instanceof Error ? err.message : String(err);
    throw redacted(new PlatformError(kind, `${req.platform}: unexpected answer (${detail})`, undefined, response.status), req.secrets);
  }
}

function toPlatformError(err: unknown, req: HttpCall<unknown>): PlatformError {
  if (err instanceof PlatformError) return err;
  if (err instanceof AxiosError && err.response) return req.classify(err.response, req.call);
  // No HTTP answer: keep only the code and axios' own short message (never err.config or err.request).
  const safe = err instanceof AxiosError ? Object.assign(new Error(err.message), { code: err.code, cause: err.cause }) : err;
  return transportFailure(safe, req.call, req.platform);
}

/** A copy of the error with every secret value replaced; the same error when none is present. */
export function redacted(error: PlatformError, secrets: string[]): PlatformError {
  let message = error.message;
  for (const secret of secrets) {
    if (secret.length >= 4) message = message.split(secret).join('[redacted]');
  }
  return message === error.message ? error : new PlatformError(error.kind, message, error.resetAt, error.status);
}

/** A header value as one string (node gives arrays for repeated headers). */
export function headerValue(headers: AxiosResponse['headers'], name: string): string | undefined {
  const value: unknown = headers[name.toLowerCase()];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Splits ids into batches of at most `size`, keeping their order. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
