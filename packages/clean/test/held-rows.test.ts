import { HeldRows } from '../src/held-rows';

const record = (instruction: string) => ({ instruction, input: '' });

describe('rows held between the passes', () => {
  test('a file that fits is held whole, in order, and handed out once', () => {
    const held = new HeldRows(1 << 20);
    held.startFile();
    for (let line = 1; line <= 5; line++) held.hold(line, record(`row ${line}`));
    const rows = held.take(0);
    expect(rows?.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
    expect(rows?.[2]?.record.instruction).toBe('row 3');
    expect(held.take(0)).toBeNull();
  });

  test('a file that outgrows the budget is let go whole; a later file that fits what is left is held', () => {
    const held = new HeldRows(2000);
    held.startFile();
    for (let line = 1; line <= 100; line++) held.hold(line, record('x'.repeat(100)));
    held.startFile();
    held.hold(1, record('small'));
    expect(held.take(0)).toBeNull();
    expect(held.take(1)?.map((r) => r.record.instruction)).toEqual(['small']);
  });

  test('non-Latin-1 text counts twice its characters: the same length in Chinese outgrows a budget Latin text fits', () => {
    const fits = (text: string) => {
      const held = new HeldRows(96 + 16 * 2 + 150);
      held.startFile();
      held.hold(1, record(text));
      return held.take(0) !== null;
    };
    expect(fits('a'.repeat(100))).toBe(true);
    expect(fits('字'.repeat(100))).toBe(false);
  });
});
