import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { RetentionService } from '../../src/services/retention.ts';
import type { AuditLog, EventPurge, PurgeOutcome } from '../../src/storage/ports.ts';

/** A purger that hands out the given batches, then reports nothing left; it remembers each cutoff. */
function fakePurger(batches: PurgeOutcome[]) {
  const cutoffs: number[] = [];
  const purger: EventPurge = {
    purgeBatch(cutoff: number) {
      cutoffs.push(cutoff);
      return batches.shift() ?? { users: [], events: 0, removedUsers: 0, alerts: 0 };
    },
  };
  return { purger, cutoffs };
}

function fakeAuditLog() {
  const audits: Array<{ actor: string; action: string; details: unknown }> = [];
  const audit: AuditLog = {
    audit(actor, action, _target, details) {
      audits.push({ actor, action, details });
    },
  };
  return { audit, audits };
}

describe('RetentionService', () => {
  it('purges batch after batch until none is left, tells who changed, and audits the run once', async () => {
    const { purger, cutoffs } = fakePurger([
      { users: ['a', 'b'], events: 5, removedUsers: 1, alerts: 0 },
      { users: ['c'], events: 2, removedUsers: 0, alerts: 1 },
    ]);
    const { audit, audits } = fakeAuditLog();
    const changed: string[][] = [];
    const service = new RetentionService({
      purger,
      audit,
      days: 30,
      logger: createLogger('silent'),
      onUsersChanged: (users) => changed.push(users),
    });
    const now = Date.UTC(2026, 5, 1);
    const totals = await service.run(now);
    expect(totals).toEqual({ cutoff: now - 30 * 86_400_000, users: 3, events: 7, removedUsers: 1, alerts: 1 });
    expect(cutoffs).toEqual([totals.cutoff, totals.cutoff, totals.cutoff]);
    expect(changed).toEqual([['a', 'b'], ['c']]);
    expect(audits).toEqual([
      {
        actor: 'retention',
        action: 'retention.purged',
        details: { days: 30, events: 7, users: 3, removedUsers: 1, alerts: 1 },
      },
    ]);
    // Nothing left: no audit entry for an empty run.
    await service.run(now);
    expect(audits).toHaveLength(1);
  });

  it('runs on its schedule until stopped', async () => {
    const { purger, cutoffs } = fakePurger([]);
    const service = new RetentionService({
      purger,
      audit: fakeAuditLog().audit,
      days: 1,
      logger: createLogger('silent'),
      onUsersChanged: () => {},
    });
    // On a simulated clock: the first run after 10 ms, then one every 30 ms, and none once stopped.
    vi.useFakeTimers();
    try {
      service.start(30, 10);
      await vi.advanceTimersByTimeAsync(9);
      expect(cutoffs).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1 + 30 + 30);
      expect(cutoffs).toHaveLength(3);
      await service.stop();
      await vi.advanceTimersByTimeAsync(300);
      expect(cutoffs).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
