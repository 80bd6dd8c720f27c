import type { Translations } from '#src/web/i18n/catalog.js';

/** Blackout windows and the kill switch. */
export const en = {
  'blackouts.title': 'Blackouts and the kill switch',

  'blackouts.list.title': 'Blackout windows',
  'blackouts.list.explain':
    'Nothing is published on the channels of a window while it lasts (election silence, embargo, mourning). Posts scheduled inside it are held.',
  'blackouts.list.caption': 'Blackout windows, newest first; times in {zone}',
  'blackouts.list.none': 'There is no blackout window.',
  'blackouts.list.allChannels': 'All channels',
  'blackouts.list.removedChannel': '(a channel that no longer exists)',
  'blackouts.list.heldHint': 'Posts held by a window stay held when the window is deleted: reschedule or cancel them one by one.',
  'blackouts.col.reason': 'Reason',
  'blackouts.col.starts': 'Starts',
  'blackouts.col.ends': 'Ends',
  'blackouts.col.channels': 'Channels',
  'blackouts.col.held': 'Posts held',
  'blackouts.col.state': 'State',
  'blackouts.col.actions': 'Actions',
  'blackouts.state.active': 'in force now',
  'blackouts.state.upcoming': 'upcoming',
  'blackouts.state.ended': 'ended',

  'blackouts.delete.submit': 'Delete',
  'blackouts.delete.confirm':
    'Delete the blackout window “{reason}”? {held, plural, =0 {} one {The post it holds stays held.} other {The # posts it holds stay held.}}',

  'blackouts.add.title': 'Add a blackout window',
  'blackouts.add.explain': 'Posts already scheduled inside the window are held at once; new posts cannot be scheduled inside it.',
  'blackouts.add.submit': 'Add the window',
  'blackouts.field.reason': 'Reason',
  'blackouts.hint.reason': 'Shown to colleagues and in the audit trail, for example “Election silence (Law 208/2015, art. 89)”.',
  'blackouts.field.startsAt': 'Starts',
  'blackouts.field.endsAt': 'Ends',
  'blackouts.hint.zone': 'Date and time in {zone}.',
  'blackouts.field.channels': 'Channels',
  'blackouts.hint.channels': 'The whole institution, or only some channels.',
  'blackouts.field.scopeAll': 'All channels',
  'blackouts.field.scopeSome': 'Only the channels ticked below',
  'blackouts.created':
    'The blackout window is added. {count, plural, =0 {No scheduled post fell inside it.} one {# scheduled post inside it is held.} other {# scheduled posts inside it are held.}}',

  'blackouts.err.endBeforeStart': 'The end must be after the start',
  'blackouts.err.skipped': 'This time does not exist in the institution’s time zone (the clocks skip it for summer time): choose another',
  'blackouts.err.twice': 'This time happens twice in the institution’s time zone (the clocks go back): choose another',
  'blackouts.err.unknownChannel': 'Choose channels of this institution',
  'blackouts.err.chooseChannels': 'Tick at least one channel, or choose all channels',

  'blackouts.kill.title': 'Kill switch: stop all publishing',
  'blackouts.kill.explain':
    'In an emergency, stop every publication of the institution on every channel at once. Posts that come due meanwhile are held, and go out when publishing is resumed.',
  'blackouts.kill.reason': 'Reason for suspending',
  'blackouts.kill.reasonHint': 'Shown on every page to every colleague while publishing is suspended.',
  'blackouts.kill.suspend': 'Suspend all publishing',
  'blackouts.kill.confirm': 'Suspend all publishing of the institution now, on every channel?',
  'blackouts.kill.isSuspended': 'Publishing is suspended since {since}.',
  'blackouts.kill.resumeExplain': 'Resuming releases the posts held meanwhile: those whose time has passed go out at once.',
  'blackouts.kill.resume': 'Resume publishing',
  'blackouts.kill.resumeConfirm': 'Resume publishing? Held posts whose time has passed go out at once.',
  'blackouts.kill.released':
    'Publishing is resumed. {count, plural, =0 {No post was held.} one {# held post was released.} other {# held posts were released.}}',
  'blackouts.kill.already': 'Publishing was already suspended by someone else.',
  'blackouts.kill.notSuspended': 'Publishing was already resumed by someone else.',

  'notice.blackoutsDeleted': 'The blackout window is deleted. Posts it held stay held.',
  'notice.blackoutsSuspended': 'All publishing is suspended.',
} as const;

export const ro: Translations<typeof en> = {
  'blackouts.title': 'Perioade de restricție și oprirea de urgență',

  'blackouts.list.title': 'Perioade de restricție',
  'blackouts.list.explain':
    'Cât durează o perioadă, nu se publică nimic pe canalele ei (tăcere electorală, embargo, doliu). Postările programate în interiorul ei sunt reținute.',
  'blackouts.list.caption': 'Perioade de restricție, cele mai noi primele; orele sunt în {zone}',
  'blackouts.list.none': 'Nu există nicio perioadă de restricție.',
  'blackouts.list.allChannels': 'Toate canalele',
  'blackouts.list.removedChannel': '(un canal care nu mai există)',
  'blackouts.list.heldHint':
    'Postările reținute de o perioadă rămân reținute după ștergerea ei: reprogramați-le sau anulați-le una câte una.',
  'blackouts.col.reason': 'Motiv',
  'blackouts.col.starts': 'Început',
  'blackouts.col.ends': 'Sfârșit',
  'blackouts.col.channels': 'Canale',
  'blackouts.col.held': 'Postări reținute',
  'blackouts.col.state': 'Stare',
  'blackouts.col.actions': 'Acțiuni',
  'blackouts.state.active': 'în vigoare acum',
  'blackouts.state.upcoming': 'urmează',
  'blackouts.state.ended': 'încheiată',

  'blackouts.delete.submit': 'Ștergeți',
  'blackouts.delete.confirm':
    'Ștergeți perioada de restricție „{reason}”? {held, plural, =0 {} one {Postarea reținută de ea rămâne reținută.} few {Cele # postări reținute de ea rămân reținute.} other {Cele # de postări reținute de ea rămân reținute.}}',

  'blackouts.add.title': 'Adăugați o perioadă de restricție',
  'blackouts.add.explain':
    'Postările deja programate în interiorul perioadei sunt reținute imediat; nu se pot programa postări noi în interiorul ei.',
  'blackouts.add.submit': 'Adăugați perioada',
  'blackouts.field.reason': 'Motiv',
  'blackouts.hint.reason': 'Vizibil colegilor și în jurnalul de audit, de exemplu „Tăcere electorală (Legea 208/2015, art. 89)”.',
  'blackouts.field.startsAt': 'Început',
  'blackouts.field.endsAt': 'Sfârșit',
  'blackouts.hint.zone': 'Data și ora în {zone}.',
  'blackouts.field.channels': 'Canale',
  'blackouts.hint.channels': 'Întreaga instituție sau doar unele canale.',
  'blackouts.field.scopeAll': 'Toate canalele',
  'blackouts.field.scopeSome': 'Doar canalele bifate mai jos',
  'blackouts.created':
    'Perioada de restricție a fost adăugată. {count, plural, =0 {Nicio postare programată nu cădea în interiorul ei.} one {# postare programată în interiorul ei este reținută.} few {# postări programate în interiorul ei sunt reținute.} other {# de postări programate în interiorul ei sunt reținute.}}',

  'blackouts.err.endBeforeStart': 'Sfârșitul trebuie să fie după început',
  'blackouts.err.skipped': 'Această oră nu există în fusul orar al instituției (ceasurile o sar la trecerea la ora de vară): alegeți alta',
  'blackouts.err.twice': 'Această oră apare de două ori în fusul orar al instituției (ceasurile se dau înapoi): alegeți alta',
  'blackouts.err.unknownChannel': 'Alegeți canale ale acestei instituții',
  'blackouts.err.chooseChannels': 'Bifați cel puțin un canal sau alegeți toate canalele',

  'blackouts.kill.title': 'Oprire de urgență: opriți toate publicările',
  'blackouts.kill.explain':
    'În caz de urgență, opriți dintr-odată orice publicare a instituției pe toate canalele. Postările care devin scadente între timp sunt reținute și se publică la reluare.',
  'blackouts.kill.reason': 'Motivul suspendării',
  'blackouts.kill.reasonHint': 'Afișat pe fiecare pagină, tuturor colegilor, cât timp publicarea este suspendată.',
  'blackouts.kill.suspend': 'Suspendați toate publicările',
  'blackouts.kill.confirm': 'Suspendați acum toate publicările instituției, pe toate canalele?',
  'blackouts.kill.isSuspended': 'Publicarea este suspendată din {since}.',
  'blackouts.kill.resumeExplain': 'Reluarea eliberează postările reținute între timp: cele a căror oră a trecut se publică imediat.',
  'blackouts.kill.resume': 'Reluați publicarea',
  'blackouts.kill.resumeConfirm': 'Reluați publicarea? Postările reținute a căror oră a trecut se publică imediat.',
  'blackouts.kill.released':
    'Publicarea a fost reluată. {count, plural, =0 {Nicio postare nu era reținută.} one {# postare reținută a fost eliberată.} few {# postări reținute au fost eliberate.} other {# de postări reținute au fost eliberate.}}',
  'blackouts.kill.already': 'Publicarea fusese deja suspendată de altcineva.',
  'blackouts.kill.notSuspended': 'Publicarea fusese deja reluată de altcineva.',

  'notice.blackoutsDeleted': 'Perioada de restricție a fost ștearsă. Postările reținute de ea rămân reținute.',
  'notice.blackoutsSuspended': 'Toate publicările sunt suspendate.',
};
