/** What a GraphQL answer over HTTP carries: the status, the headers and the parsed body. */
export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: { message: string; extensions?: Record<string, any> }[]; extensions?: Record<string, any> };
}

/** The one way tests POST a GraphQL operation to a running server. */
export async function postGraphql<T = Record<string, any>>(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, headers: res.headers, body: await res.json() as GraphQLResponse<T>['body'] };
}
