// The web console: static files under /console, served by the API process itself (no separate
// server, nothing from a CDN). The page is a plain client of the public API: it sends the API key
// the operator types on every request, so these files need none and the API-key guard (a Nest
// guard on controllers) never sees them.
// The CSP allows scripts, styles and fetches from this origin only: no inline script or style,
// no eval, no framing (the page holds an API key in sessionStorage; framing would invite
// clickjacking of its action buttons).
import path from 'node:path';
import express, { type Response } from 'express';

/** Where the console's files are, from src/console/ (ts-jest) as from dist/console/ (node). */
export const CONSOLE_DIR = path.resolve(import.meta.dirname, '..', '..', 'console');

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  // The files are small and change with the server version; revalidating costs one 304.
  res.setHeader('Cache-Control', 'no-cache');
}

/** Express handler for /console: the files of CONSOLE_DIR, `/console` redirected to `/console/`. */
export function consoleStatic(dir = CONSOLE_DIR): express.Handler {
  const files = express.static(dir, {
    index: 'index.html',
    redirect: true,
    dotfiles: 'ignore',
    fallthrough: true,
    setHeaders: securityHeaders,
  });
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // express.static's own redirect of the bare directory carries no CSP; this one is plain.
    if (req.originalUrl === '/console') return res.redirect(301, '/console/');
    files(req, res, next);
  };
}
