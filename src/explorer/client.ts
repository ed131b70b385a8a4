/*
 * Browser code of the offline GraphQL explorer, served as `<endpoint>/explorer/explorer.js`.
 *
 * tsc compiles this file like any other (CommonJS, hence the `export {}` below: it keeps these local type
 * declarations out of the program's global scope); explorer.ts serves the compiled output wrapped in
 * `(function (exports) { ... })({})`, so the CommonJS preamble is harmless in the browser. It runs after the
 * React, ReactDOM and GraphiQL UMD bundles (all `defer`). The project compiles without the DOM lib, hence
 * the small structural types below. No imports: there is no bundler.
 */
export {};

(function explorerMain(): void {
  interface Example {
    name: string;
    query: string;
    variables?: string;
  }
  interface Config {
    endpoint: string;
    title: string;
    examples: Example[];
  }
  interface Element {
    textContent: string | null;
    className: string;
  }
  type ReactNode = unknown;
  interface BrowserGlobals {
    document: { getElementById(id: string): Element | null };
    location?: { hash: string };
    React?: { createElement(type: unknown, props?: Record<string, unknown> | null, ...children: ReactNode[]): ReactNode };
    ReactDOM?: { createRoot(container: Element): { render(node: ReactNode): void } };
    GraphiQL?: {
      createFetcher(options: { url: string; enableIncrementalDelivery?: boolean }): unknown;
      Logo: unknown;
    };
  }

  const g = globalThis as unknown as BrowserGlobals;
  const root = g.document.getElementById('graphiql');

  function fail(message: string): void {
    if (root) {
      root.className = 'explorer-root explorer-error';
      root.textContent = message;
    }
  }

  function operationFromFragment(hash: string): Example | null {
    const params = new URLSearchParams(hash.replace(/^#/, ''));
    const query = params.get('query');
    if (!query || !query.trim()) return null;
    const variables = params.get('variables');
    return { name: 'linked', query, ...(variables && variables.trim() ? { variables } : {}) };
  }

  try {
    const configElement = g.document.getElementById('explorer-config');
    if (!root || !configElement) throw new Error('explorer page is missing #graphiql or #explorer-config');
    const config = JSON.parse(configElement.textContent ?? '{}') as Config;
    const { React, ReactDOM, GraphiQL } = g;
    if (!React || !ReactDOM || !GraphiQL) {
      throw new Error('React, ReactDOM or GraphiQL did not load (check the server log for asset errors)');
    }

    const examples = Array.isArray(config.examples) ? config.examples : [];
    // `#query=…&variables=…` (URL-encoded) opens that operation, e.g. from the report page's "query" links.
    // A fragment, because the server never sees it: `?query=` at this URL is a GraphQL GET request.
    const linked = operationFromFragment(g.location?.hash ?? '');
    const tabs = linked ? [linked, ...examples] : examples;
    const first = tabs[0];
    const props: Record<string, unknown> = {
      // Same-origin POST application/json (allowed by connect-src 'self' and by Apollo's CSRF prevention).
      fetcher: GraphiQL.createFetcher({ url: config.endpoint, enableIncrementalDelivery: false }),
      isHeadersEditorEnabled: true,
      // Never write Authorization tokens to localStorage.
      shouldPersistHeaders: false,
    };
    if (first) {
      props.defaultTabs = tabs.map((e) => ({ query: e.query, variables: e.variables ?? null }));
      // With tabs stored from an earlier visit, GraphiQL opens (or adds) the tab holding this query.
      props.query = first.query;
      if (first.variables !== undefined) props.variables = first.variables;
    }
    if (linked?.variables !== undefined) props.defaultEditorToolsVisibility = 'variables';

    // The title is in the page's header line: GraphiQL's logo slot would take the width the example tabs need.
    ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
  } catch (e) {
    fail(`The GraphQL explorer failed to start: ${(e as Error).message}`);
  }
})();
