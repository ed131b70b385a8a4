/**
 * Validators for cacheable GET answers. An answer is a function of the warehouse version and the request (operation,
 * variables, the representation asked for), so its ETag is derived from exactly those: no body has to be hashed,
 * and the tag changes the moment a load commits a new version. A matching `If-None-Match` (weak comparison,
 * RFC 9110 §13.1.2) is answered 304 without a body. The match is ours, not Express's `req.fresh`: that one answers
 * 200 whenever the request says `Cache-Control: no-cache`, which fetch() adds to every request that sets
 * If-None-Match itself — exactly the front-ends that revalidate on their own.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** A client sends back the one tag it got (a cache, perhaps a few): far below this. */
export const MAX_IF_NONE_MATCH_LENGTH = 1024;
export const MAX_IF_NONE_MATCH_TAGS = 16;
const ENTITY_TAG = /^(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;

/**
 * A weak tag: the same version and request give the same answer in meaning; bytes may differ (key order of a
 * cached answer, compression on the way).
 */
export function operationEtag(version: number, request: unknown[]): string {
  const digest = createHash('sha256').update(JSON.stringify(request)).digest('base64url').slice(0, 22);
  return `W/"v${version}-${digest}"`;
}

/** True for `Cache-Control` values a shared cache may store for a while: public with a max-age above 0. */
export function sharedCacheable(cacheControl: string | undefined | null): boolean {
  if (!cacheControl) return false;
  const directives = cacheControl.toLowerCase().split(',').map((d) => d.trim());
  if (!directives.includes('public') || directives.includes('no-store') || directives.includes('no-cache')) return false;
  const maxAge = directives.find((d) => d.startsWith('max-age='));
  return maxAge !== undefined && Number(maxAge.slice('max-age='.length)) > 0;
}

/** The problem with an If-None-Match header, or null when it is a list of entity tags. */
export function ifNoneMatchProblem(header: string): string | null {
  if (header.length > MAX_IF_NONE_MATCH_LENGTH) {
    return `If-None-Match is ${header.length} characters long; at most ${MAX_IF_NONE_MATCH_LENGTH} are allowed (send the ETag of an earlier answer)`;
  }
  // `*` ("any current answer") would let Express turn every GET, warehouseStatus included, into a 304.
  if (header.split(',').some((t) => t.trim() === '*')) return 'If-None-Match: * is not supported; send the ETag of an earlier answer (W/"v12-…")';
  const tags = header.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (tags.length > MAX_IF_NONE_MATCH_TAGS) return `If-None-Match lists ${tags.length} entity tags; at most ${MAX_IF_NONE_MATCH_TAGS} are allowed`;
  const bad = tags.find((t) => !ENTITY_TAG.test(t));
  if (bad !== undefined) return `If-None-Match holds ${JSON.stringify(bad.slice(0, 60))}, which is not an entity tag; send an ETag exactly as received, e.g. W/"v12-…"`;
  return null;
}

/** True when an If-None-Match header (already checked by ifNoneMatchProblem) lists `etag`, by weak comparison. */
export function etagMatches(ifNoneMatch: string | undefined | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => opaque(t) === opaque(etag));
}

/** Refuses a malformed or oversized If-None-Match before any work is done for the request. */
export function checkIfNoneMatch(req: Request, res: Response, next: NextFunction): void {
  const header = req.headers['if-none-match'];
  const problem = header === undefined ? null : ifNoneMatchProblem(header);
  if (!problem) return next();
  res.status(400).json({ errors: [{ message: problem, extensions: { code: 'BAD_REQUEST' } }] });
}
