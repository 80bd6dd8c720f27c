import { HttpException } from '@nestjs/common';
import { html, type SafeHtml } from '#src/web/html.js';
import type { I18n } from '#src/web/i18n/i18n.js';
import type { MessageKey } from '#src/web/i18n/messages.js';

/**
 * What the server refused in a form: one line for the whole, and problems per field (keyed by the
 * API's field path, e.g. `variants.0.text`), to show next to each field in the user's language.
 */
export interface FormErrors {
  summary: string | null;
  fields: Record<string, string[]>;
}

export const NO_ERRORS: FormErrors = { summary: null, fields: {} };

const FORM_STATUSES = new Set([400, 409, 413, 415, 422, 429]);

/** Common problems of the API's validation, said in the user's language; anything else keeps the API's English. */
const PROBLEMS: Array<[RegExp, MessageKey]> = [
  [/(should|must) not be empty|is required|must be a string/, 'form.required'],
  [/must be longer than or equal to/, 'form.tooShort'],
  [/must be shorter than or equal to|must contain no more than/, 'form.tooLong'],
  [/must be a valid ISO 8601|must be a date and time/, 'form.badDateTime'],
  [/must be an email/, 'form.badEmail'],
  [/must be a URL address/, 'form.badUrl'],
  [/is already used/, 'form.taken'],
];

export function localizeProblem(problem: string, i18n: I18n): string {
  const hit = PROBLEMS.find(([re]) => re.test(problem));
  return hit ? i18n.t(hit[1]) : problem;
}

/**
 * The errors of a refused form, from the API's error (its `details` name the fields). Anything that
 * is not a refusal of the form's content (403, 404, a 500) is thrown on, to the error page.
 */
export function formErrors(err: unknown, i18n: I18n, alsoStatuses: number[] = []): FormErrors {
  if (!(err instanceof HttpException) || !(FORM_STATUSES.has(err.getStatus()) || alsoStatuses.includes(err.getStatus()))) throw err;
  const body = err.getResponse() as { code?: string; message?: string; details?: unknown };
  const fields: Record<string, string[]> = {};
  if (Array.isArray(body.details)) {
    for (const d of body.details as Array<{ field?: unknown; problems?: unknown }>) {
      if (typeof d?.field !== 'string' || !Array.isArray(d.problems)) continue;
      (fields[d.field] ??= []).push(...d.problems.map((p) => localizeProblem(String(p), i18n)));
    }
  }
  const codeKey = `error.${body.code}`;
  const summary = i18n.has(codeKey) ? i18n.t(codeKey) : (body.message ?? i18n.t('form.refused'));
  return { summary, fields };
}

export const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;

/** The problems of one field, found by its own name or by a path under it. */
function problemsOf(errors: FormErrors, key: string): string[] {
  return Object.entries(errors.fields)
    .filter(([f]) => f === key || f.startsWith(`${key}.`))
    .flatMap(([, p]) => p);
}

/** The list of problems at the top of a refused form, each a link to its field (focused by app.js). */
export function errorSummary(i18n: I18n, errors: FormErrors, fieldIds: Record<string, string> = {}): SafeHtml {
  if (!errors.summary && Object.keys(errors.fields).length === 0) return html``;
  const items = Object.entries(errors.fields).map(([f, problems]) => {
    const id = fieldIds[f] ?? fieldId(f);
    return html`<li><a href="#${id}">${problems.join('; ')}</a></li>`;
  });
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${i18n.t('form.errorTitle')}</h2>
${errors.summary ? html`<p>${errors.summary}</p>` : ''}
${items.length ? html`<ul>${items}</ul>` : ''}
</div>`;
}

interface FieldOptions {
  name: string;
  label: string;
  value?: string | null;
  type?: string;
  required?: boolean;
  hint?: string;
  /** The API's name for this field, when it differs from the form's (errors are keyed by it). */
  errorKey?: string;
  id?: string;
  attrs?: SafeHtml;
  /** A <textarea> instead of an <input>. */
  rows?: number;
  /** A <select> with these options instead of an <input>. */
  options?: Array<{ value: string; label: string }>;
}

/** A labelled field with its hint and its problems next to it, tied together for screen readers. */
export function field(errors: FormErrors, o: FieldOptions): SafeHtml {
  const id = o.id ?? fieldId(o.name);
  const problems = problemsOf(errors, o.errorKey ?? o.name);
  const describedBy = [o.hint ? `${id}-hint` : '', problems.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = html` id="${id}" name="${o.name}"${o.required ? html` required` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${problems.length ? html` aria-invalid="true"` : ''}${o.attrs ?? ''}`;
  const control = o.options
    ? html`<select${common}>${o.options.map((opt) => html`<option value="${opt.value}"${opt.value === (o.value ?? '') ? html` selected` : ''}>${opt.label}</option>`)}</select>`
    : o.rows
      ? html`<textarea${common} rows="${o.rows}">${o.value ?? ''}</textarea>`
      : html`<input${common} type="${o.type ?? 'text'}" value="${o.value ?? ''}">`;
  return html`<div class="field${problems.length ? ' has-error' : ''}">
<label for="${id}">${o.label}</label>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
${problems.length ? html`<p class="field-error" id="${id}-error">${problems.join('; ')}</p>` : ''}
${control}
</div>`;
}

/** A form value as one string (urlencoded bodies may repeat a name). */
export function str(v: unknown): string {
  if (Array.isArray(v)) return str(v[0]);
  return typeof v === 'string' ? v : '';
}

/** A form value as a list (checkbox groups). */
export function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' && v ? [v] : [];
}

/** The form's text, or undefined when left empty (so the API applies its default). */
export function optional(v: unknown): string | undefined {
  const s = str(v).trim();
  return s ? s : undefined;
}
