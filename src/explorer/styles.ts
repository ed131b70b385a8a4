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
.explorer-header {
  flex: 0 0 auto;
  display: flex;
  align-items: stretch;
  border-bottom: 1px solid #d9d9de;
  font-size: 14px;
  line-height: 1.4;
}
.explorer-title {
  margin: 0;
  padding: 6px 16px;
  font-size: 15px;
  font-weight: 600;
  line-height: 1.4;
  white-space: nowrap;
}
.explorer-banner {
  flex: 1 1 auto;
  margin: 0;
  padding: 6px 16px;
  background: #fff4d6;
  color: #5c3d00;
}
/*
 * Every example tab fits the tab bar at 1280 px: GraphiQL's logo (which would hold the title, two lines high, next to
 * the tabs) is hidden, and the tabs are a little tighter than GraphiQL's default. On narrower screens a tab's name is
 * cut with an ellipsis rather than pushed out of sight.
 */
.explorer-root .graphiql-session-header .graphiql-logo {
  display: none;
}
.explorer-root .graphiql-session-header,
.explorer-root .graphiql-tabs {
  min-width: 0;
}
.explorer-root .graphiql-tabs {
  padding: 8px;
}
.explorer-root .graphiql-tabs > :not(:first-child) {
  margin-left: 2px;
}
.explorer-root .graphiql-tab {
  flex: 0 1 auto;
  min-width: 0;
}
.explorer-root button.graphiql-tab-button {
  min-width: 0;
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
  font-size: 13px;
  padding-left: 5px;
}
.explorer-root button.graphiql-tab-close {
  padding: 4px 3px;
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
  .explorer-header {
    border-bottom-color: #3a3a40;
  }
  .explorer-banner {
    background: #3b2f10;
    color: #ffe3a3;
  }
}
`;
