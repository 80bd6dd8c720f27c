import type { Request, Response } from 'express';
import type { ErrorBody } from '#src/common/http-exception.filter.js';
import { assetUrl } from '#src/web/assets.js';
import { html } from '#src/web/html.js';
import { I18n, LANG_COOKIE, negotiate, STAFF_LOCALES } from '#src/web/i18n/i18n.js';
import type { MessageKey } from '#src/web/i18n/messages.js';

/** Addresses of the staff pages: their errors are pages too, not JSON. */
export const isWebPath = (path: string) => path === '/' || /^\/(login|logout|lang|account|app|sandbox)(\/|$)/.test(path);

const TITLES: Record<number, MessageKey> = { 403: 'errorPage.forbidden', 404: 'errorPage.notFound', 429: 'errorPage.tooMany' };

/**
 * An error on a staff page: not logged in leads to the login page (and back afterwards);
 * anything else is a page in the person's language saying what happened, with the API's code.
 */
export function renderWebError(req: Request, res: Response, error: ErrorBody): void {
  if (error.statusCode === 401) {
    const next = req.method === 'GET' ? req.originalUrl : '/app';
    res.redirect(303, `/login?next=${encodeURIComponent(next)}`);
    return;
  }
  const i18n = new I18n(
    negotiate(STAFF_LOCALES, (req.cookies as Record<string, string> | undefined)?.[LANG_COOKIE], req.headers['accept-language']),
  );
  const title = i18n.t(TITLES[error.statusCode] ?? (error.statusCode >= 500 ? 'errorPage.internal' : 'errorPage.refused'));
  const codeKey = `error.${error.code}`;
  const explanation = error.statusCode >= 500 ? error.message : i18n.has(codeKey) ? i18n.t(codeKey) : error.message;
  const page = html`<!doctype html>
<html lang="${i18n.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · CivicPost</title><link rel="stylesheet" href="${assetUrl('app.css')}"><link rel="icon" href="${assetUrl('icon.svg')}" type="image/svg+xml"></head>
<body><main id="main" class="narrow"><h1>${title}</h1>
<p>${explanation}</p>
<p class="muted">${i18n.t('errorPage.code', { status: error.statusCode, code: error.code })}</p>
<p><a href="/app">${i18n.t('errorPage.home')}</a></p></main></body></html>`;
  res.status(error.statusCode).type('html').set('Cache-Control', 'no-store').send(page.value);
}
