import type { NextFunction, Request, Response } from 'express';
import { presentedToken, TOKEN_COOKIE, tokensMatch } from './access-token';

export function requestHasToken(req: Request, token: string | undefined): boolean {
  return token !== undefined && token !== '' && tokensMatch(presentedToken(req.headers.authorization, req.headers.cookie), token);
}

/**
 * Off loopback every request needs the token: API clients and Prometheus send
 * `Authorization: Bearer T`, a browser signs in once on /login and then carries an HttpOnly,
 * SameSite=Strict cookie (which other sites cannot make it send).
 */
export function readGuard(token: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/login' || requestHasToken(req, token)) return next();
    if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) return res.redirect(302, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    res.status(401).json({ error: 'a token is required: Authorization: Bearer <token>' });
  };
}

export function loginPage(failed: boolean, next: string): string {
  const safeNext = next.startsWith('/') && !next.startsWith('//') ? next : '/';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tapir dashboard: sign in</title>
<link rel="stylesheet" href="/assets/dashboard.css"></head><body><main class="login">
<h1>tapir dashboard</h1><form method="post" action="/login">
<input type="hidden" name="next" value="${safeNext.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}">
<label>Token <input type="password" name="token" autocomplete="current-password" autofocus></label>
<button type="submit">Sign in</button>${failed ? '<p class="error">That is not the token.</p>' : ''}
</form></main></body></html>`;
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
