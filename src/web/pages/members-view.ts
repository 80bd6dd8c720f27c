import type { MemberRole } from '#src/modules/institutions/membership.entity.js';
import { MEMBER_ROLES } from '#src/modules/institutions/membership.entity.js';
import type { MemberView } from '#src/modules/members/members.repository.js';
import type { Partner } from '#src/modules/partners/partner.entity.js';
import { errorSummary, field, NO_ERRORS, type FormErrors } from '#src/web/forms.js';
import { html, type SafeHtml } from '#src/web/html.js';
import type { MessageKey } from '#src/web/i18n/messages.js';
import { csrfField } from '#src/web/layout.js';
import type { WebContext } from '#src/web/web-context.js';

export interface AddMemberValues {
  email: string;
  displayName: string;
  role: string;
  partnerId: string;
}

export interface AddPartnerValues {
  name: string;
  website: string;
}

/** What the page shows besides the lists: the typed values and the problems of the one form that was refused. */
export interface MembersPageState {
  add: { values: AddMemberValues; errors: FormErrors };
  /** A refused role change or removal of one member. */
  row?: { memberId: string; action: 'role' | 'remove'; values: { role: string; partnerId: string }; errors: FormErrors };
  partnerAdd: { values: AddPartnerValues; errors: FormErrors };
  /** A refused rename or removal of one partner. */
  partnerRow?: { partnerId: string; action: 'rename' | 'remove'; values: { name: string }; errors: FormErrors };
}

export const EMPTY_STATE: MembersPageState = {
  add: { values: { email: '', displayName: '', role: 'author', partnerId: '' }, errors: NO_ERRORS },
  partnerAdd: { values: { name: '', website: '' }, errors: NO_ERRORS },
};

export interface MembersData {
  members: MemberView[];
  partners: Partner[];
}

const roleWord = (ctx: WebContext, role: string) => ctx.t(`role.${role}` as MessageKey);

/** Ids of the controls of one member's row and one partner's row (errors link to them). */
export const memberIds = (memberId: string) => ({
  role: `role-${memberId}`,
  partnerId: `partner-${memberId}`,
  remove: `remove-${memberId}`,
});
export const partnerIds = (partnerId: string) => ({ name: `rename-${partnerId}`, remove: `remove-partner-${partnerId}` });

/** The one error summary of the page: of whichever form was refused. */
function summary(ctx: WebContext, state: MembersPageState): SafeHtml {
  if (state.row) return errorSummary(ctx.i18n, state.row.errors, memberIds(state.row.memberId));
  if (state.partnerRow) return errorSummary(ctx.i18n, state.partnerRow.errors, partnerIds(state.partnerRow.partnerId));
  const partnerAdd = state.partnerAdd.errors;
  if (partnerAdd.summary || Object.keys(partnerAdd.fields).length)
    return errorSummary(ctx.i18n, partnerAdd, { name: 'f-partner-name', website: 'f-partner-website' });
  return errorSummary(ctx.i18n, state.add.errors);
}

export function membersPage(ctx: WebContext, data: MembersData, state: MembersPageState): SafeHtml {
  const manage = ctx.can('member.manage');
  return html`${summary(ctx, state)}
${manage ? '' : html`<p class="muted">${ctx.t('members.readOnly')}</p>`}
<section aria-labelledby="members-h"><h2 id="members-h">${ctx.t('members.list.heading')}</h2>
${membersTable(ctx, data, state, manage)}
${manage ? addMemberForm(ctx, data.partners, state.add) : ''}
${rolesHelp(ctx)}
</section>
${ctx.can('partner.read') ? partnersSection(ctx, data, state) : ''}`;
}

function rolesHelp(ctx: WebContext): SafeHtml {
  return html`<details class="roles-help"><summary>${ctx.t('members.roles.heading')}</summary>
<dl>${MEMBER_ROLES.map((r) => html`<dt>${roleWord(ctx, r)}</dt><dd>${ctx.t(`members.roles.${r}`)}</dd>`)}</dl>
</details>`;
}

function partnerName(data: MembersData, partnerId: string | null): string {
  return data.partners.find((p) => p.id === partnerId)?.name ?? '';
}

function membersTable(ctx: WebContext, data: MembersData, state: MembersPageState, manage: boolean): SafeHtml {
  const inst = ctx.requiredInstitution;
  return html`<div class="table-wrap"><table class="members-table">
<caption>${ctx.t('members.list.caption', { count: data.members.length, institution: inst.name })}</caption>
<thead><tr><th scope="col">${ctx.t('members.col.name')}</th><th scope="col">${ctx.t('members.col.email')}</th><th scope="col">${ctx.t('members.col.role')}</th><th scope="col">${ctx.t('members.col.partner')}</th>${manage ? html`<th scope="col">${ctx.t('members.col.change')}</th><th scope="col">${ctx.t('members.col.remove')}</th>` : ''}</tr></thead>
<tbody>${data.members.map((m) => {
    const me = m.userId === ctx.user?.id;
    return html`<tr id="member-${m.id}">
<th scope="row">${m.displayName}${me ? html` <span class="muted">${ctx.t('members.you')}</span>` : ''}</th>
<td class="email">${m.email}</td>
<td>${roleWord(ctx, m.role)}</td>
<td>${m.role === 'contributor' ? partnerName(data, m.partnerId) : html`<span class="muted">${ctx.t('members.partner.notApplicable')}</span>`}</td>
${
  manage
    ? html`<td>${roleForm(ctx, data.partners, m, state.row?.memberId === m.id && state.row.action === 'role' ? state.row : undefined)}</td>
<td>${removeForm(ctx, m, state.row?.memberId === m.id && state.row.action === 'remove' ? state.row.errors : NO_ERRORS)}</td>`
    : ''
}
</tr>`;
  })}</tbody>
</table></div>`;
}

/** A select with a visually hidden label, its problems next to it (for the controls inside a table row). */
function rowSelect(o: {
  id: string;
  name: string;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  problems: string[];
}): SafeHtml {
  const errId = `${o.id}-error`;
  return html`<div class="row-field${o.problems.length ? ' has-error' : ''}">
<label class="sr-only" for="${o.id}">${o.label}</label>
${o.problems.length ? html`<p class="field-error" id="${errId}">${o.problems.join('; ')}</p>` : ''}
<select id="${o.id}" name="${o.name}"${o.problems.length ? html` aria-invalid="true" aria-describedby="${errId}"` : ''}>${o.options.map(
    (opt) => html`<option value="${opt.value}"${opt.value === o.value ? html` selected` : ''}>${opt.label}</option>`,
  )}</select></div>`;
}

const problems = (errors: FormErrors, key: string) => errors.fields[key] ?? [];

function roleOptions(ctx: WebContext) {
  return MEMBER_ROLES.map((r) => ({ value: r, label: roleWord(ctx, r) }));
}

function partnerOptions(ctx: WebContext, partners: Partner[]) {
  return [{ value: '', label: ctx.t('members.partner.none') }, ...partners.map((p) => ({ value: p.id, label: p.name }))];
}

function roleForm(
  ctx: WebContext,
  partners: Partner[],
  m: MemberView,
  refused?: { values: { role: string; partnerId: string }; errors: FormErrors },
): SafeHtml {
  const ids = memberIds(m.id);
  const values = refused?.values ?? { role: m.role, partnerId: m.partnerId ?? '' };
  const errors = refused?.errors ?? NO_ERRORS;
  return html`<form method="post" action="${ctx.path(`/members/${m.id}/role`)}" class="row-form">${csrfField(ctx)}
${rowSelect({ id: ids.role, name: 'role', label: ctx.t('members.role.label', { name: m.displayName }), value: values.role, options: roleOptions(ctx), problems: problems(errors, 'role') })}
${rowSelect({ id: ids.partnerId, name: 'partnerId', label: ctx.t('members.role.partnerLabel', { name: m.displayName }), value: values.partnerId, options: partnerOptions(ctx, partners), problems: problems(errors, 'partnerId') })}
<button type="submit">${ctx.t('members.role.submit')}<span class="sr-only"> ${ctx.t('members.role.submitFor', { name: m.displayName })}</span></button>
</form>`;
}

function removeForm(ctx: WebContext, m: MemberView, errors: FormErrors): SafeHtml {
  const ids = memberIds(m.id);
  const refused = problems(errors, 'remove');
  return html`<form method="post" action="${ctx.path(`/members/${m.id}/remove`)}" class="row-form" data-confirm="${ctx.t('members.remove.confirm', { name: m.displayName, email: m.email, institution: ctx.requiredInstitution.name })}">${csrfField(ctx)}
${refused.length ? html`<p class="field-error" id="${ids.remove}-error">${refused.join('; ')}</p>` : ''}
<button type="submit" class="danger" id="${ids.remove}"${refused.length ? html` aria-describedby="${ids.remove}-error"` : ''}>${ctx.t('members.remove.submit')}<span class="sr-only"> ${ctx.t('members.remove.submitFor', { name: m.displayName })}</span></button>
</form>`;
}

function addMemberForm(ctx: WebContext, partners: Partner[], add: MembersPageState['add']): SafeHtml {
  const { values, errors } = add;
  return html`<h3 id="add-member-h">${ctx.t('members.add.heading')}</h3>
<form method="post" action="${ctx.path('/members')}" class="stack add-form" aria-labelledby="add-member-h" novalidate>${csrfField(ctx)}
${field(errors, { name: 'email', label: ctx.t('members.add.email'), type: 'email', value: values.email, required: true, hint: ctx.t('members.add.emailHint'), attrs: html` autocomplete="off" maxlength="320"` })}
${field(errors, { name: 'displayName', label: ctx.t('members.add.displayName'), value: values.displayName, hint: ctx.t('members.add.displayNameHint'), attrs: html` autocomplete="off" maxlength="200"` })}
${field(errors, { name: 'role', label: ctx.t('members.add.role'), value: values.role, required: true, options: roleOptions(ctx) })}
${field(errors, { name: 'partnerId', label: ctx.t('members.add.partner'), value: values.partnerId, hint: ctx.t('members.add.partnerHint'), options: partnerOptions(ctx, partners) })}
<button type="submit" class="primary">${ctx.t('members.add.submit')}</button>
</form>`;
}

function partnersSection(ctx: WebContext, data: MembersData, state: MembersPageState): SafeHtml {
  const manage = ctx.can('partner.manage');
  const inst = ctx.requiredInstitution;
  const contributors = (partnerId: string) => data.members.filter((m) => m.role === 'contributor' && m.partnerId === partnerId).length;
  const table = data.partners.length
    ? html`<div class="table-wrap"><table class="partners-table">
<caption>${ctx.t('members.partners.caption', { count: data.partners.length, institution: inst.name })}</caption>
<thead><tr><th scope="col">${ctx.t('members.partners.col.name')}</th><th scope="col">${ctx.t('members.partners.col.website')}</th><th scope="col" class="n">${ctx.t('members.partners.col.contributors')}</th>${manage ? html`<th scope="col">${ctx.t('members.partners.col.rename')}</th><th scope="col">${ctx.t('members.partners.col.remove')}</th>` : ''}</tr></thead>
<tbody>${data.partners.map((p) => {
        const refused = state.partnerRow?.partnerId === p.id ? state.partnerRow : undefined;
        return html`<tr id="partner-${p.id}">
<th scope="row">${p.name}</th>
<td class="website">${p.website ? html`<a href="${p.website}" rel="noopener noreferrer">${p.website}</a>` : ''}</td>
<td class="n">${ctx.i18n.number(contributors(p.id))}</td>
${manage ? html`<td>${renameForm(ctx, p, refused?.action === 'rename' ? refused : undefined)}</td><td>${removePartnerForm(ctx, p, refused?.action === 'remove' ? refused.errors : NO_ERRORS)}</td>` : ''}
</tr>`;
      })}</tbody></table></div>`
    : html`<p>${ctx.t('members.partners.none')}</p>`;
  return html`<section aria-labelledby="partners-h"><h2 id="partners-h">${ctx.t('members.partners.heading')}</h2>
<p>${ctx.t('members.partners.intro')}</p>
${table}
${manage ? addPartnerForm(ctx, state.partnerAdd) : ''}
</section>`;
}

function renameForm(ctx: WebContext, p: Partner, refused?: { values: { name: string }; errors: FormErrors }): SafeHtml {
  const id = partnerIds(p.id).name;
  const refusedProblems = refused ? problems(refused.errors, 'name') : [];
  const errId = `${id}-error`;
  return html`<form method="post" action="${ctx.path(`/members/partners/${p.id}/rename`)}" class="row-form" novalidate>${csrfField(ctx)}
<div class="row-field${refusedProblems.length ? ' has-error' : ''}">
<label class="sr-only" for="${id}">${ctx.t('members.partners.rename.label', { name: p.name })}</label>
${refusedProblems.length ? html`<p class="field-error" id="${errId}">${refusedProblems.join('; ')}</p>` : ''}
<input type="text" id="${id}" name="name" value="${refused?.values.name ?? p.name}" required maxlength="200" autocomplete="off"${refusedProblems.length ? html` aria-invalid="true" aria-describedby="${errId}"` : ''}>
</div>
<button type="submit">${ctx.t('members.partners.rename.submit')}<span class="sr-only"> (${p.name})</span></button>
</form>`;
}

function removePartnerForm(ctx: WebContext, p: Partner, errors: FormErrors): SafeHtml {
  const id = partnerIds(p.id).remove;
  const refused = problems(errors, 'remove');
  return html`<form method="post" action="${ctx.path(`/members/partners/${p.id}/remove`)}" class="row-form" data-confirm="${ctx.t('members.partners.remove.confirm', { name: p.name })}">${csrfField(ctx)}
${refused.length ? html`<p class="field-error" id="${id}-error">${refused.join('; ')}</p>` : ''}
<button type="submit" class="danger" id="${id}"${refused.length ? html` aria-describedby="${id}-error"` : ''}>${ctx.t('members.partners.remove.submit')}<span class="sr-only"> (${p.name})</span></button>
</form>`;
}

function addPartnerForm(ctx: WebContext, add: MembersPageState['partnerAdd']): SafeHtml {
  const { values, errors } = add;
  return html`<h3 id="add-partner-h">${ctx.t('members.partners.add.heading')}</h3>
<form method="post" action="${ctx.path('/members/partners')}" class="stack add-form" aria-labelledby="add-partner-h" novalidate>${csrfField(ctx)}
${field(errors, { name: 'name', id: 'f-partner-name', label: ctx.t('members.partners.add.name'), value: values.name, required: true, attrs: html` autocomplete="off" maxlength="200"` })}
${field(errors, { name: 'website', id: 'f-partner-website', label: ctx.t('members.partners.add.website'), type: 'url', value: values.website, hint: ctx.t('members.partners.add.websiteHint'), attrs: html` autocomplete="off" maxlength="500"` })}
<button type="submit" class="primary">${ctx.t('members.partners.add.submit')}</button>
</form>`;
}

/** The answer to an accepted form that created an account: its one-time password, on this page only. */
export function temporaryPasswordPage(ctx: WebContext, member: MemberView, password: string): SafeHtml {
  return html`<div class="narrow">
<p>${ctx.t('members.added.lead', { name: member.displayName, email: member.email, institution: ctx.requiredInstitution.name, role: roleWord(ctx, member.role as MemberRole) })}</p>
<p class="temp-password"><strong>${ctx.t('members.added.passwordLabel')}:</strong> <code class="password">${password}</code></p>
<p>${ctx.t('members.added.once')}</p>
<p>${ctx.t('members.added.safely', { name: member.displayName })}</p>
<p><a class="button primary" href="${ctx.path('/members')}">${ctx.t('members.added.back')}</a></p>
</div>`;
}
