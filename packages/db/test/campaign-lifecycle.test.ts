import {
  CAMPAIGN_STATUSES,
  CAMPAIGN_TRANSITIONS,
  canTransition,
  COMMANDS,
  HALTED_CAMPAIGN_STATUSES,
  JOB_ACTORS,
  LIVE_CAMPAIGN_STATUSES,
  TERMINAL_CAMPAIGN_STATUSES,
  transitionSources,
  WORKING_CAMPAIGN_STATUSES,
  type CampaignStatus,
} from '@tapir/db';

const pairs = CAMPAIGN_STATUSES.flatMap((from) => CAMPAIGN_STATUSES.map((to) => [from, to] as const));
const stopped: readonly CampaignStatus[] = [...HALTED_CAMPAIGN_STATUSES, ...TERMINAL_CAMPAIGN_STATUSES];
const isCommand = (by: string) => (COMMANDS as readonly string[]).includes(by);
const rulesFor = (from: CampaignStatus, to: CampaignStatus) => CAMPAIGN_TRANSITIONS.filter((r) => r.to === to && r.from.includes(from));

describe('campaign lifecycle table', () => {
  test('every pair of statuses is either allowed by some rule or refused', () => {
    for (const [from, to] of pairs) expect(canTransition(from, to)).toBe(rulesFor(from, to).length > 0);
  });

  test('the status groups cover every status once (created aside)', () => {
    const grouped = [...WORKING_CAMPAIGN_STATUSES, ...HALTED_CAMPAIGN_STATUSES, ...TERMINAL_CAMPAIGN_STATUSES, 'created'];
    expect([...grouped].sort()).toEqual([...CAMPAIGN_STATUSES].sort());
  });

  test('a halted or finished campaign goes back to work only through a command', () => {
    for (const from of stopped) {
      for (const to of WORKING_CAMPAIGN_STATUSES) {
        for (const rule of rulesFor(from, to)) expect({ from, to, by: rule.by, command: isCommand(rule.by) }).toEqual({ from, to, by: rule.by, command: true });
      }
    }
  });

  test('jobs only move live campaigns: no job rule starts from a halted or finished status', () => {
    for (const rule of CAMPAIGN_TRANSITIONS.filter((r) => (JOB_ACTORS as readonly string[]).includes(r.by))) {
      for (const from of rule.from) expect(LIVE_CAMPAIGN_STATUSES).toContain(from);
    }
  });

  test('a late job cannot move a paused or cancelled campaign on (the bug this table fixes)', () => {
    for (const from of HALTED_CAMPAIGN_STATUSES) {
      for (const to of ['planning', 'expanding', 'refining', 'completed', 'failed'] as const) {
        const byJobs = rulesFor(from, to).filter((r) => !isCommand(r.by));
        expect(byJobs).toEqual([]);
      }
    }
    expect(canTransition('cancelled', 'refining')).toBe(false);
    expect(canTransition('paused', 'completed')).toBe(true); // resume of a round that finished meanwhile
    expect(rulesFor('paused', 'completed').map((r) => r.by)).toEqual(['resume']);
  });

  test('nothing returns to created; completed is left only for a new round or failed items', () => {
    for (const from of CAMPAIGN_STATUSES) expect(canTransition(from, 'created')).toBe(false);
    const leaving = CAMPAIGN_TRANSITIONS.filter((r) => r.from.includes('completed') && r.to !== 'completed').map((r) => r.by);
    expect(leaving.sort()).toEqual(['retry-failed', 'round-next']);
  });

  test('cancel reaches every status but completed and cancelled; a cancelled campaign only resumes', () => {
    for (const from of CAMPAIGN_STATUSES) expect(canTransition(from, 'cancelled')).toBe(from !== 'completed' && from !== 'cancelled');
    const out = CAMPAIGN_TRANSITIONS.filter((r) => r.from.includes('cancelled')).map((r) => r.by);
    expect([...new Set(out)]).toEqual(['resume']);
  });

  test('the planner moves planning on only while nobody else moved it', () => {
    expect(transitionSources('planner', 'refining')).toEqual(['planning', 'running']);
    expect(transitionSources('planner', 'expanding')).toEqual(['planning', 'running']);
    expect(() => transitionSources('planner', 'cancelled')).toThrow(/no campaign transition/);
  });

  test('rules name known statuses and list each source once', () => {
    for (const rule of CAMPAIGN_TRANSITIONS) {
      expect(CAMPAIGN_STATUSES).toContain(rule.to);
      expect(new Set(rule.from).size).toBe(rule.from.length);
      for (const from of rule.from) expect(CAMPAIGN_STATUSES).toContain(from);
    }
  });
});
