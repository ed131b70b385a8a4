/**
 * Stylesheet of the explorer page (served as `<endpoint>/explorer/explorer.css`). It lives in a .ts module
 * so that tsc puts it into dist/ together with the router; no inline styles are used (CSP style-src 'self').
 */
export const EXPLORER_CSS = `html, body {
  height: 100%;
  margin: 0;
}
body.explorer {
  display: flex;
  flex-direction: column;
  font-family: Roboto, system-ui, -apple-system, "Segoe UI", sans-serif;
}
.explorer-banner {
  flex: 0 0 auto;
  padding: 6px 16px;
  background: #fff4d6;
  color: #5c3d00;
  border-bottom: 1px solid #e8c872;
  font-size: 14px;
  line-height: 1.4;
}
.explorer-root {
  flex: 1 1 auto;
  min-height: 0;
  display: flex;
}
.explorer-root > .graphiql-container {
  flex: 1 1 auto;
}
.explorer-loading, .explorer-error {
  margin: 24px;
  font-size: 16px;
}
.explorer-error {
  color: #a11;
  white-space: pre-wrap;
}
@media (prefers-color-scheme: dark) {
  .explorer-banner {
    background: #3b2f10;
    color: #ffe3a3;
    border-bottom-color: #6b5420;
  }
}
`;
