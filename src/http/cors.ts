/**
 * CORS for the public read API: which pages on other origins may read the answers (CORS_ORIGINS).
 *
 * The data is public, so the default lets any origin read it (`*`). Credentials are never allowed: there is no
 * `Access-Control-Allow-Credentials`, so a browser never attaches cookies or HTTP authentication to a cross-origin
 * request and never lets a page read an answer it got with them. `Authorization` is not among the allowed request
 * headers either: the admin token is never ambient (no browser sends it on its own), and no cross-origin page can
 * send it even when it holds it, so `refreshWarehouse` stays reachable from curl, scripts and the same-origin
 * explorer only.
 */
import type { NextFunction, Request, Response } from 'express';

export type CorsOrigins = '*' | readonly string[];

export interface CorsRoute {
  /** Methods a cross-origin page may use (the preflight's Access-Control-Allow-Methods). */
  methods: readonly string[];
}

/**
 * Request headers a page may send: content-type and Apollo's CSRF-prevention headers (a GET needs one of them),
 * If-None-Match for revalidating a cached answer.
 */
export const ALLOWED_REQUEST_HEADERS = ['content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'if-none-match'] as const;
/** Response headers a page may read beyond the CORS-safelisted ones (cache-control, content-type, …). */
export const EXPOSED_RESPONSE_HEADERS = ['etag', 'x-warehouse-version', 'content-disposition', 'age'] as const;
/** Browsers cap it (Chromium at 2 h): one preflight per page and two hours is what can be had. */
export const PREFLIGHT_MAX_AGE_SECONDS = 7200;
/** An Origin is scheme://host:port; anything longer is not one a browser sends. */
const MAX_ORIGIN_HEADER = 300;

/** The origin to answer in Access-Control-Allow-Origin, or null when this origin may not read the answer. */
export function allowedOrigin(origins: CorsOrigins, origin: string | undefined): string | null {
  if (origin === undefined || origin.length > MAX_ORIGIN_HEADER) return null;
  if (origins === '*') return '*';
  return origins.includes(origin) ? origin : null;
}

/**
 * Middleware for one API route. Answers every OPTIONS itself (a preflight with the CORS headers, a plain OPTIONS with
 * `Allow`), and adds the CORS headers to the actual request. A request from an origin that is not allowed is still
 * served (the server cannot tell a browser from curl): only the browser refuses to show the answer to the page.
 */
export function cors(origins: CorsOrigins, route: CorsRoute) {
  const enabled = origins === '*' || origins.length > 0;
  const allow = [...route.methods, 'OPTIONS'].join(', ');
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    // With a list, the same URL answers differently per Origin: shared caches must keep the answers apart.
    if (enabled && origins !== '*') res.vary('Origin');
    const allowed = enabled ? allowedOrigin(origins, origin) : null;
    if (req.method === 'OPTIONS') {
      res.set('Allow', allow);
      const preflight = origin !== undefined && req.headers['access-control-request-method'] !== undefined;
      if (preflight && !allowed) {
        res.status(403).type('text/plain').send(enabled
          ? `cross-origin requests from ${origin.slice(0, MAX_ORIGIN_HEADER)} are not allowed by this server's CORS_ORIGINS`
          : 'this server allows no cross-origin requests (CORS_ORIGINS=none)');
        return;
      }
      if (preflight && allowed) {
        res.set({
          'Access-Control-Allow-Origin': allowed,
          'Access-Control-Allow-Methods': route.methods.join(', '),
          'Access-Control-Allow-Headers': ALLOWED_REQUEST_HEADERS.join(', '),
          'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
        });
      }
      res.status(204).end();
      return;
    }
    if (allowed) {
      res.set('Access-Control-Allow-Origin', allowed);
      res.set('Access-Control-Expose-Headers', EXPOSED_RESPONSE_HEADERS.join(', '));
    }
    next();
  };
}
