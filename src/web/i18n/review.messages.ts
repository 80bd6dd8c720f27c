import type { Translations } from '#src/web/i18n/catalog.js';

/** The review inbox. */
export const en = {
  'review.title': 'Review inbox',
  'review.forMe': 'Waiting for your review ({count})',
  'review.forMeNone': 'Nothing waits for your review.',
  'review.notReviewer': 'Editors and administrators review posts; your role does not.',
  'review.mine': 'Yours, waiting for another reviewer ({count})',
  'review.mineWhy': 'You wrote or edited these, so another editor or administrator must approve them.',
  'review.mineNone': 'None of your posts is waiting for review.',
  'review.sentBack': 'Sent back to you ({count})',
  'review.sentBackNone': 'None of your posts was sent back.',
  'review.reason': 'Reason:',
} as const;

export const ro: Translations<typeof en> = {
  'review.title': 'Postări de revizuit',
  'review.forMe': 'Așteaptă revizuirea dumneavoastră ({count})',
  'review.forMeNone': 'Nimic nu așteaptă revizuirea dumneavoastră.',
  'review.notReviewer': 'Editorii și administratorii revizuiesc postările; rolul dumneavoastră nu.',
  'review.mine': 'Ale dumneavoastră, la alt revizor ({count})',
  'review.mineWhy': 'Le-ați scris sau modificat, deci trebuie să le aprobe alt editor sau administrator.',
  'review.mineNone': 'Nicio postare de-a dumneavoastră nu așteaptă revizuirea.',
  'review.sentBack': 'Trimise înapoi la dumneavoastră ({count})',
  'review.sentBackNone': 'Nicio postare de-a dumneavoastră nu a fost trimisă înapoi.',
  'review.reason': 'Motiv:',
};
