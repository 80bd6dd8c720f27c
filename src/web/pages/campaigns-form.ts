import type { Partner } from '#src/modules/partners/partner.entity.js';
import type { CampaignView } from '#src/modules/campaigns/campaigns.repository.js';
import { errorSummary, field, formErrors, list, str, type FormErrors } from '#src/web/forms.js';
import { html, type SafeHtml } from '#src/web/html.js';
import { csrfField } from '#src/web/layout.js';
import type { WebContext } from '#src/web/web-context.js';

/** The campaign form as typed (kept whole when the server refuses it). */
export interface CampaignForm {
  title: string;
  goal: string;
  startsOn: string;
  endsOn: string;
  audiences: string;
  hashtags: string;
  partnerIds: string[];
}

export const EMPTY_FORM: CampaignForm = { title: '', goal: '', startsOn: '', endsOn: '', audiences: '', hashtags: '', partnerIds: [] };

export function formOf(c: CampaignView): CampaignForm {
  return {
    title: c.title,
    goal: c.goal,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    audiences: c.targetAudiences.join(', '),
    hashtags: c.hashtags.join(' '),
    partnerIds: c.partnerIds,
  };
}

export function readForm(body: Record<string, unknown>): CampaignForm {
  return {
    title: str(body.title),
    goal: str(body.goal),
    startsOn: str(body.startsOn).trim(),
    endsOn: str(body.endsOn).trim(),
    audiences: str(body.audiences),
    hashtags: str(body.hashtags),
    partnerIds: list(body.partnerIds),
  };
}

/** What the API's DTO expects: lists split, everything else as typed (the DTO and the service judge it). */
export function plainOf(f: CampaignForm): Record<string, unknown> {
  const split = (s: string, by: RegExp) => [
    ...new Set(
      s
        .split(by)
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ];
  return {
    title: f.title.trim(),
    goal: f.goal.trim(),
    startsOn: f.startsOn,
    endsOn: f.endsOn,
    targetAudiences: split(f.audiences, /[,\n]/),
    hashtags: split(f.hashtags, /[\s,]+/),
    partnerIds: f.partnerIds,
  };
}

/** The refusal, said in the user's words next to each field. */
export function campaignErrors(ctx: WebContext, err: unknown): FormErrors {
  const errors = formErrors(err, ctx.i18n);
  const fields: Record<string, string[]> = {};
  for (const [name, problems] of Object.entries(errors.fields)) {
    const key = name.split('.')[0]!;
    const said = problems.map((p) =>
      /is before startsOn/.test(p)
        ? ctx.t('campaigns.endBeforeStart')
        : key === 'startsOn' || key === 'endsOn'
          ? ctx.t('campaigns.badDate')
          : key === 'hashtags'
            ? ctx.t('campaigns.badHashtags')
            : key === 'partnerIds'
              ? ctx.t('campaigns.badPartner')
              : p,
    );
    // The form's field names, so the problem shows next to the right field.
    const formName = key === 'targetAudiences' ? 'audiences' : key;
    fields[formName] = [...new Set([...(fields[formName] ?? []), ...said])];
  }
  return { summary: errors.summary, fields };
}

/** The campaign form: create (no campaign) or edit. */
export function campaignForm(
  ctx: WebContext,
  action: string,
  f: CampaignForm,
  errors: FormErrors,
  partners: Partner[],
  submit: string,
  idPrefix: string,
): SafeHtml {
  const id = (name: string) => `${idPrefix}-${name}`;
  const ids = {
    title: id('title'),
    goal: id('goal'),
    startsOn: id('startsOn'),
    endsOn: id('endsOn'),
    audiences: id('audiences'),
    hashtags: id('hashtags'),
    partnerIds: id('partners'),
  };
  const partnerProblems = errors.fields.partnerIds ?? [];
  const datesHint = ctx.t('campaigns.field.datesHint', { zone: ctx.requiredInstitution.timeZone });
  const partnerBox = partners.length
    ? html`<fieldset id="${ids.partnerIds}" class="${partnerProblems.length ? 'has-error' : ''}" aria-describedby="${ids.partnerIds}-hint${partnerProblems.length ? ` ${ids.partnerIds}-error` : ''}">
<legend>${ctx.t('campaigns.field.partners')}</legend>
<p class="hint" id="${ids.partnerIds}-hint">${ctx.t('campaigns.field.partnersHint')}</p>
${partnerProblems.length ? html`<p class="field-error" id="${ids.partnerIds}-error">${partnerProblems.join('; ')}</p>` : ''}
${partners.map((p) => html`<div class="check"><input type="checkbox" id="${ids.partnerIds}-${p.id}" name="partnerIds" value="${p.id}"${f.partnerIds.includes(p.id) ? html` checked` : ''}> <label for="${ids.partnerIds}-${p.id}">${p.name}</label></div>`)}
</fieldset>`
    : html`<p class="muted">${ctx.t('campaigns.field.noPartners')}</p>`;
  return html`${errorSummary(ctx.i18n, errors, ids)}
<form method="post" action="${action}" class="stack campaign-form" novalidate>${csrfField(ctx)}
${field(errors, { name: 'title', id: ids.title, label: ctx.t('campaigns.field.title'), value: f.title, required: true, attrs: html` maxlength="200"` })}
${field(errors, { name: 'goal', id: ids.goal, label: ctx.t('campaigns.field.goal'), value: f.goal, rows: 3, hint: ctx.t('campaigns.field.goalHint') })}
<div class="campaign-dates">
${field(errors, { name: 'startsOn', id: ids.startsOn, label: ctx.t('campaigns.field.startsOn'), type: 'date', value: f.startsOn, required: true, hint: datesHint })}
${field(errors, { name: 'endsOn', id: ids.endsOn, label: ctx.t('campaigns.field.endsOn'), type: 'date', value: f.endsOn, required: true, hint: datesHint })}
</div>
${field(errors, { name: 'audiences', id: ids.audiences, label: ctx.t('campaigns.field.audiences'), value: f.audiences, hint: ctx.t('campaigns.field.audiencesHint') })}
${field(errors, { name: 'hashtags', id: ids.hashtags, label: ctx.t('campaigns.field.hashtags'), value: f.hashtags, hint: ctx.t('campaigns.field.hashtagsHint') })}
${partnerBox}
<button type="submit" class="primary">${submit}</button>
</form>`;
}
