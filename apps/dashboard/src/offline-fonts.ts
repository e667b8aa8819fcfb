import type { NextFunction, Request, Response } from 'express';

const GOOGLE_FONTS_LINK = /<link[^>]+href="https:\/\/fonts\.googleapis\.com\/[^"]*"[^>]*>\s*/g;

/**
 * bull-board's page asks Google Fonts for its typeface. tapir's dashboard serves everything
 * itself (machines running campaigns often have no internet, and a third-party request tells
 * Google who looks at the queues), so that one link is taken out of bull-board's HTML on its way
 * out; the page falls back to the system font and is otherwise bull-board's own.
 */
export function withoutExternalFonts(_req: Request, res: Response, next: NextFunction): void {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => send(typeof body === 'string' && body.includes('fonts.googleapis.com') ? body.replace(GOOGLE_FONTS_LINK, '') : body)) as Response['send'];
  next();
}
