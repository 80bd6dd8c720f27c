/** A publication target as the posts API shows it: unconfirmed, and handed to a person by reconciliation (the platform cannot tell). */
export function waitingForPerson<T extends { status: string; events: Array<{ outcome: string }> }>(target: T): boolean {
  return target.status === 'unconfirmed' && /a person must check/.test(target.events.at(-1)?.outcome ?? '');
}
