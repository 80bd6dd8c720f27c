import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { RecurrenceService } from '#src/modules/publishing/recurrence.service.js';
import { TargetsRepository } from '#src/modules/publishing/targets.repository.js';
import { newTestService, UNIT_NOW } from '#test/support/unit.js';

const post = (recurrence: string) => ({
  id: randomUUID(),
  institutionId: randomUUID(),
  recurrence,
  scheduledAt: UNIT_NOW,
  timeZone: 'Europe/Bucharest',
});

describe('RecurrenceService', () => {
  it('creates the occurrences of the next 14 days, at most 100 a pass', async () => {
    const { sut, mock } = newTestService(RecurrenceService);
    const repo = mock(TargetsRepository);
    repo.lastOccurrence.mockResolvedValue(null);
    repo.addOccurrences.mockImplementation(async (_i, _p, due) => due.length);
    // From the first time (now) to now + 14 days, the end excluded.
    expect(await sut.materialize(post('FREQ=DAILY'), UNIT_NOW)).toBe(14);
    expect(await sut.materialize(post('FREQ=HOURLY'), UNIT_NOW)).toBe(100);
  });

  it('never expands a rule stored before rules were checked that repeats more often than hourly (it froze the server)', async () => {
    const { sut, mock } = newTestService(RecurrenceService);
    const repo = mock(TargetsRepository);
    repo.lastOccurrence.mockResolvedValue(null);
    expect(await sut.materialize(post('FREQ=SECONDLY'), UNIT_NOW)).toBe(0);
    expect(repo.addOccurrences).not.toHaveBeenCalled();
  });
});
