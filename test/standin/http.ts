/** Tiny HTTP helpers for the stand-in tests (node's global fetch). */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function post(url: string, body: unknown): Promise<Reply> {
  return call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Builds a GET data query string: valueCodes[VAR]=… (values joined by commas, not encoded beyond what URLs need). */
export function dataQuery(sel: Record<string, string>, extra: Record<string, string> = {}): string {
  const parts = Object.entries(sel).map(([v, codes]) => `valueCodes[${v}]=${encodeURIComponent(codes)}`);
  for (const [k, v] of Object.entries(extra)) parts.push(`${k}=${encodeURIComponent(v)}`);
  return parts.join('&');
}
