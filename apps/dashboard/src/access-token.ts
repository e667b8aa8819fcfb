import { createHash, timingSafeEqual } from 'node:crypto';

export const TOKEN_ENV = 'TAPIR_DASHBOARD_TOKEN';
export const TOKEN_COOKIE = 'tapir_dashboard_token';

/**
 * Compares a presented token with the configured one in constant time. Both are hashed first so
 * that the comparison does not leak the token's length either (timingSafeEqual needs equal sizes).
 */
export function tokensMatch(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || presented === '') return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token a request carries: `Authorization: Bearer T` first, else the dashboard's cookie. */
export function presentedToken(authorization: string | undefined, cookieHeader: string | undefined): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  if (bearer) return bearer[1]!.trim();
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== TOKEN_COOKIE) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
