import { HexKeySet, createRng, instructionKey } from '@tapir/core';

describe('HexKeySet', () => {
  test('add answers whether the key is new; has finds what was added', () => {
    const set = new HexKeySet();
    const k = instructionKey('one');
    expect(set.has(k)).toBe(false);
    expect(set.add(k)).toBe(true);
    expect(set.add(k)).toBe(false);
    expect(set.has(k)).toBe(true);
    expect(set.size).toBe(1);
  });

  test('agrees with a Set<string> through growth, with repeats (property, 60,000 operations)', () => {
    const gen = createRng(5);
    const set = new HexKeySet(4);
    const reference = new Set<string>();
    const keys = Array.from({ length: 20_000 }, (_, i) => instructionKey(`instruction ${i}`));
    for (let i = 0; i < 60_000; i++) {
      const key = keys[gen.int(keys.length)]!;
      expect(set.add(key)).toBe(!reference.has(key));
      reference.add(key);
    }
    expect(set.size).toBe(reference.size);
    for (const key of keys) expect(set.has(key)).toBe(reference.has(key));
  });

  test('keys that share three of four words, or are all zeros, stay distinct', () => {
    const set = new HexKeySet(2);
    const base = '0123456789abcdef0123456789abcdef';
    const variants = [0, 8, 16, 24].map((at) => base.slice(0, at) + 'ffffffff' + base.slice(at + 8));
    for (const key of [base, ...variants, '0'.repeat(32)]) expect(set.add(key)).toBe(true);
    expect(set.size).toBe(6);
    for (const key of [base, ...variants, '0'.repeat(32)]) expect(set.has(key)).toBe(true);
    expect(set.has('f'.repeat(32))).toBe(false);
  });

  test('refuses anything that is not 32 lowercase hex characters', () => {
    const set = new HexKeySet();
    for (const bad of ['', 'abc', 'A'.repeat(32), 'g'.repeat(32), '0'.repeat(33)]) {
      expect(() => set.add(bad)).toThrow(/32 lowercase hex/);
    }
  });

  test('agrees with a Set<string> for keys with zero words, the all-zero key among them, through many growths (property)', () => {
    const gen = createRng(9);
    const set = new HexKeySet(1);
    const reference = new Set<string>();
    const word = () => (gen.int(3) === 0 ? '00000000' : gen.int(2 ** 31).toString(16).padStart(8, '0'));
    const keys = Array.from({ length: 5_000 }, () => word() + word() + word() + word());
    keys.push('0'.repeat(32));
    for (let i = 0; i < 20_000; i++) {
      const key = keys[gen.int(keys.length)]!;
      expect(set.add(key)).toBe(!reference.has(key));
      reference.add(key);
      if (i % 997 === 0) expect(set.has('0'.repeat(32))).toBe(reference.has('0'.repeat(32)));
    }
    expect(set.size).toBe(reference.size);
    for (const key of keys) expect(set.has(key)).toBe(reference.has(key));
    expect(set.has('f'.repeat(32))).toBe(false);
  });
});
