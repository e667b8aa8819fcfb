import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { defaultLogFile } from '../src/run-log';
import { fitWidth, tallyEntry, WarningTally } from '../src/warning-tally';

const line = (fields: Record<string, unknown>) => JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 2, 3, 4, 5), pid: 1, hostname: 'h', name: 'tapir', ...fields }) + '\n';

describe('the warning summary of the live view', () => {
  test('an entry is keyed by its message and the error kind of its reason, and shown with its fields', () => {
    const e = tallyEntry(line({ msg: 'item failed', step: 'judge', itemId: 7, reason: 'connection: Connection error.' }))!;
    expect(e.key).toBe('item failed: connection');
    expect(e.level).toBe('warn');
    expect(e.text).toBe('item failed step=judge itemId=7 reason=connection: Connection error.');
    expect(e.text).not.toContain('hostname');
    expect(tallyEntry(line({ msg: 'campaign stalled: reconciling its queues', campaignId: 'c' }))!.key).toBe('campaign stalled: reconciling its queues');
    expect(tallyEntry('not json')).toBeUndefined();
    expect(tallyEntry(JSON.stringify({ level: 50, msg: 'worker error', err: 'boom' }))).toMatchObject({ level: 'error', key: 'worker error: boom' });
  });

  test('counts add up over several lines per write, most frequent first, and the last one is kept', () => {
    const tally = new WarningTally();
    tally.write(line({ msg: 'job failed', reason: 'server: 500 oops' }) + line({ msg: 'job failed', reason: 'server: 502 bad gateway' }));
    tally.write(line({ msg: 'job failed', reason: 'timeout: Request timed out.' }));
    tally.write('garbage\n');
    expect(tally.total).toBe(3);
    expect(tally.byKey()).toEqual([
      { key: 'job failed: server', count: 2 },
      { key: 'job failed: timeout', count: 1 },
    ]);
    expect(tally.byKey().reduce((a, k) => a + k.count, 0)).toBe(tally.total);
    expect(tally.last!.text).toContain('timeout: Request timed out.');
  });

  test('the two lines fit the width, name the log file first, and say when there is nothing', () => {
    const tally = new WarningTally();
    expect(tally.lines(80, '/tmp/tapir/run.log')).toEqual([' no warnings; log: /tmp/tapir/run.log', '']);
    for (let i = 0; i < 50; i++) tally.write(line({ msg: 'item failed', itemId: i, reason: `kind${i % 7}: ${'x'.repeat(300)}` }));
    for (const width of [20, 40, 80, 200]) {
      const [counts, last] = tally.lines(width, '/tmp/tapir/run.log');
      expect(counts.length).toBeLessThanOrEqual(width);
      expect(last.length).toBeLessThanOrEqual(width);
      expect(counts).not.toContain('\n');
    }
    const [counts, last] = tally.lines(200, '/tmp/tapir/run.log');
    expect(counts).toMatch(/^ warnings 50 \(log: \/tmp\/tapir\/run\.log\): 8 item failed: kind0, 7 item failed: kind1/);
    expect(last).toMatch(/^ last: 03:04:05 warn item failed itemId=49 reason=kind0: x+…$/);
  });

  test('fitWidth cuts with a mark and flattens newlines', () => {
    expect(fitWidth('abc', 3)).toBe('abc');
    expect(fitWidth('abcd', 3)).toBe('ab…');
    expect(fitWidth('a\n  b', 10)).toBe('a b');
    expect(fitWidth('abc', 1)).toBe('');
  });

  test('the default log file: the state directory when there is one, else the temp dir; campaign, time and pid in the name', () => {
    const now = new Date(Date.UTC(2026, 11, 4, 15, 30, 7, 123));
    expect(defaultLogFile('abc', now, { XDG_STATE_HOME: '/home/u/.local/state' }, 42)).toBe('/home/u/.local/state/tapir/run-abc-20261204T153007Z-42.log');
    expect(defaultLogFile('abc', now, {}, 42)).toBe(join(tmpdir(), 'tapir', 'run-abc-20261204T153007Z-42.log'));
    expect(defaultLogFile('abc', now, { XDG_STATE_HOME: '  ' }, 42)).toBe(join(tmpdir(), 'tapir', 'run-abc-20261204T153007Z-42.log'));
  });
});
