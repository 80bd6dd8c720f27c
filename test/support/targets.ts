/** A publication target as the posts API shows it: unconfirmed, and handed to a person by reconciliation (the platform cannot tell). */
export function waitingForPerson<T extends { status: string; events: Array<{ outcome: string }> }>(target: T): boolean {
  return target.status === 'unconfirmed' && target.events.at(-1)?.outcome === 'person_asked';
}

/** A target's events from its entry into the publishing pipeline (`scheduled`) on: its review's events left out. */
export function pipelineEvents<E extends { toStatus: string }>(events: E[]): E[] {
  const from = events.findIndex((e) => e.toStatus === 'scheduled');
  return from < 0 ? [] : events.slice(from);
}
