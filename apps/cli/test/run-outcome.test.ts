import { EXIT_FAILURE, EXIT_OK, EXIT_PAUSED, EXIT_TOO_MANY_FAILED, runOutcome, type RunOutcomeFacts } from '../src/run-outcome';

const base: RunOutcomeFacts = {
  campaignId: 'c1',
  status: 'completed',
  message: null,
  round: 1,
  plannedRows: 30,
  items: { total: 100, failed: 0 },
  failures: [],
  maxFailedShare: 0.05,
};
const reasons = (n: number) => Array.from({ length: n }, (_, i) => ({ step: 'answer-student', reason: `reason ${i}`, count: n - i }));

describe('runOutcome: the exit code of run, resume and round next', () => {
  test('a completed round with rows and no failures is 0 and prints nothing', () => {
    expect(runOutcome(base)).toEqual({ exitCode: EXIT_OK, lines: [] });
  });

  test('failures up to the share are 0; one item more is 4 with the reasons, most frequent first', () => {
    expect(runOutcome({ ...base, items: { total: 100, failed: 5 }, failures: reasons(2) }).exitCode).toBe(EXIT_OK);
    const over = runOutcome({ ...base, items: { total: 100, failed: 6 }, failures: reasons(2) });
    expect(over.exitCode).toBe(EXIT_TOO_MANY_FAILED);
    expect(over.lines[0]).toContain('6 of 100 items failed (6.0%), more than limits.maxFailedShare (5.0%)');
    expect(over.lines[1]).toMatch(/^\s+2  answer-student: reason 0$/);
    expect(over.lines[2]).toMatch(/^\s+1  answer-student: reason 1$/);
    expect(over.lines.at(-1)).toContain('tapir retry-failed c1');
  });

  test('reasons that differ only in their details are one cause, counted together', () => {
    const failures = [
      { step: 'answer-student', reason: 'context_length (HTTP 400): requested 1037 tokens', count: 1 },
      { step: 'answer-student', reason: 'context_length (HTTP 400): requested 1042 tokens', count: 2 },
      { step: 'judge', reason: 'context_length (HTTP 400): requested 9 tokens', count: 1 },
      { step: 'answer-student', reason: 'truncated', count: 1 },
    ];
    const out = runOutcome({ ...base, items: { total: 10, failed: 5 }, failures });
    expect(out.lines.slice(1, 4)).toEqual([
      '       3  answer-student: context_length (HTTP 400): requested 1037 tokens',
      '       1  answer-student: truncated',
      '       1  judge: context_length (HTTP 400): requested 9 tokens',
    ]);
  });

  test('at most five reasons are listed, and the rest are counted', () => {
    const out = runOutcome({ ...base, items: { total: 100, failed: 50 }, failures: reasons(8) });
    expect(out.lines.filter((l) => /answer-student: reason/.test(l))).toHaveLength(5);
    expect(out.lines).toContain('  (3 more reason(s) in `tapir status`)');
  });

  test('maxFailedShare 0 allows no failure; 1 allows every one but a round still needs rows', () => {
    expect(runOutcome({ ...base, maxFailedShare: 0, items: { total: 100, failed: 1 }, failures: reasons(1) }).exitCode).toBe(EXIT_TOO_MANY_FAILED);
    expect(runOutcome({ ...base, maxFailedShare: 0 }).exitCode).toBe(EXIT_OK);
    expect(runOutcome({ ...base, maxFailedShare: 1, items: { total: 100, failed: 99 }, plannedRows: 1 }).exitCode).toBe(EXIT_OK);
    expect(runOutcome({ ...base, maxFailedShare: 1, items: { total: 100, failed: 100 }, plannedRows: 0 }).exitCode).toBe(EXIT_FAILURE);
  });

  test('a completed round with no rows is never a success, and says why', () => {
    const allFailed = runOutcome({ ...base, plannedRows: 0, items: { total: 30, failed: 30 }, failures: [{ step: 'answer-teacher', reason: 'connection: Connection error.', count: 30 }] });
    expect(allFailed.exitCode).toBe(EXIT_FAILURE);
    expect(allFailed.lines[0]).toBe('campaign c1 round 1 completed with no rows planned: 30 of 30 items failed (100%); the most frequent reasons:');
    expect(allFailed.lines[1]).toMatch(/30  answer-teacher: connection: Connection error\.$/);
    const noneSelected = runOutcome({ ...base, plannedRows: 0 });
    expect(noneSelected.exitCode).toBe(EXIT_FAILURE);
    expect(noneSelected.lines[0]).toContain('no item was selected');
  });

  test('paused is 3 whatever paused it, with the recorded reason and how to go on', () => {
    for (const message of ['budget reached: $0.05 of budget.maxUsd $0.05', 'endpoint http://x/v1 answered 401', null]) {
      const out = runOutcome({ ...base, status: 'paused', message, plannedRows: 0 });
      expect(out.exitCode).toBe(EXIT_PAUSED);
      expect(out.lines[0]).toBe(`campaign c1 paused: ${message ?? '(no reason recorded)'}`);
      expect(out.lines[1]).toContain('tapir resume c1');
    }
  });

  test('failed, cancelled and any other state are 1, with the message', () => {
    expect(runOutcome({ ...base, status: 'failed', message: 'planner crashed' })).toEqual({ exitCode: EXIT_FAILURE, lines: ['campaign c1 is failed: planner crashed'] });
    expect(runOutcome({ ...base, status: 'cancelled' }).exitCode).toBe(EXIT_FAILURE);
    expect(runOutcome({ ...base, status: 'running' }).exitCode).toBe(EXIT_FAILURE);
  });

  test('property: the code depends only on status, rows and the failed share against the limit', () => {
    for (let total = 1; total <= 40; total += 3) {
      for (let failed = 0; failed <= total; failed++) {
        for (const limit of [0, 0.05, 0.25, 1]) {
          for (const plannedRows of [0, 1]) {
            const { exitCode } = runOutcome({ ...base, items: { total, failed }, plannedRows, maxFailedShare: limit, failures: reasons(1) });
            const expected = plannedRows === 0 ? EXIT_FAILURE : failed / total > limit ? EXIT_TOO_MANY_FAILED : EXIT_OK;
            expect([total, failed, limit, plannedRows, exitCode]).toEqual([total, failed, limit, plannedRows, expected]);
          }
        }
      }
    }
  });
});
