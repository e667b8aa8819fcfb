import { bindPolicy, isLoopbackHost, presentedToken, TOKEN_COOKIE, tokensMatch } from '../src';

describe('bind policy', () => {
  test.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  test.each(['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'example.com', '128.0.0.1', '::ffff:10.0.0.1', ''])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  test('loopback: reads are open; actions need a token and are off without one', () => {
    expect(bindPolicy('127.0.0.1', undefined)).toEqual({ tokenForReads: false, actionsEnabled: false });
    expect(bindPolicy('127.0.0.1', '')).toEqual({ tokenForReads: false, actionsEnabled: false });
    expect(bindPolicy('127.0.0.1', 't')).toEqual({ tokenForReads: false, actionsEnabled: true });
  });

  test('anything else: refused without a token (the message names the host and both ways to give one), every request needs it with one', () => {
    const refused = bindPolicy('0.0.0.0', undefined);
    expect(refused).toEqual({ refused: expect.stringContaining('--host 0.0.0.0 is not a loopback address') });
    expect((refused as { refused: string }).refused).toContain('TAPIR_DASHBOARD_TOKEN');
    expect(bindPolicy('0.0.0.0', '')).toHaveProperty('refused');
    expect(bindPolicy('10.0.0.1', 't')).toEqual({ tokenForReads: true, actionsEnabled: true });
  });
});

describe('tokens', () => {
  test('match only the exact token', () => {
    expect(tokensMatch('secret', 'secret')).toBe(true);
    for (const wrong of ['Secret', 'secret ', 'secre', 'secrets', '', undefined]) expect(tokensMatch(wrong, 'secret')).toBe(false);
    // Unequal lengths are compared (on digests) without throwing.
    expect(tokensMatch('x'.repeat(10_000), 'secret')).toBe(false);
  });

  test('are read from a Bearer header first, then from the cookie', () => {
    expect(presentedToken('Bearer abc', undefined)).toBe('abc');
    expect(presentedToken('bearer   abc ', `${TOKEN_COOKIE}=zzz`)).toBe('abc');
    expect(presentedToken(undefined, `a=1; ${TOKEN_COOKIE}=t%20k; b=2`)).toBe('t k');
    expect(presentedToken('Basic abc', `${TOKEN_COOKIE}=c`)).toBe('c');
    expect(presentedToken(undefined, 'other=1')).toBeUndefined();
    expect(presentedToken(undefined, `${TOKEN_COOKIE}=%E0%A4%A`)).toBeUndefined();
    expect(presentedToken(undefined, undefined)).toBeUndefined();
  });
});
