/**
 * Stylesheet of the report page (served as `/report/assets/report.css`). A .ts module so that tsc puts it into
 * dist/ with the router; the page has no inline styles (CSP style-src 'self').
 */
export const REPORT_CSS = `*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; }
body.report {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  font-size: 14px;
  line-height: 1.4;
  color: #1d1d1f;
  background: #f3f4f6;
}
a { color: #1f5fa8; }
.report-header {
  display: flex;
  flex-wrap: wrap;
  align-items: flex-end;
  justify-content: space-between;
  gap: 12px 24px;
  padding: 12px 24px;
  background: #fff;
  border-bottom: 1px solid #d8dbe0;
}
.report-header h1 { margin: 0; font-size: 22px; font-weight: 650; }
.report-source { margin: 2px 0 0; color: #555; font-size: 13px; }
.demo-badge {
  display: inline-block;
  margin-left: 8px;
  padding: 1px 8px;
  border-radius: 4px;
  background: #b3261e;
  color: #fff;
  font-size: 13px;
  font-weight: 700;
  letter-spacing: .04em;
  text-transform: uppercase;
  vertical-align: middle;
}
.report-controls { display: flex; flex-wrap: wrap; gap: 12px; }
.report-controls label { display: flex; flex-direction: column; font-size: 12px; color: #555; gap: 2px; }
.report-controls select { font: inherit; font-size: 14px; padding: 4px 6px; min-width: 150px; }
.report-demo {
  padding: 8px 24px;
  background: #fff1c2;
  color: #4d3500;
  border-bottom: 2px solid #e0a800;
  font-size: 14px;
}
.report-demo strong { text-transform: uppercase; margin-right: 4px; }
[hidden] { display: none !important; }
.report-main {
  display: grid;
  grid-template-columns: minmax(0, 1.6fr) minmax(0, 1fr);
  gap: 16px;
  padding: 16px 24px;
}
.report-section {
  background: #fff;
  border: 1px solid #dde0e5;
  border-radius: 8px;
  padding: 12px 16px 16px;
  min-width: 0;
}
.report-section.wide { grid-column: 1 / -1; }
.section-header { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; margin-bottom: 8px; }
.section-header h2 { margin: 0; font-size: 16px; font-weight: 650; }
.query-link {
  flex: 0 0 auto;
  font-size: 12px;
  padding: 2px 8px;
  border: 1px solid #1f5fa8;
  border-radius: 10px;
  text-decoration: none;
}
.query-link:hover, .query-link:focus { background: #1f5fa8; color: #fff; }
.section-error { color: #a11; white-space: pre-wrap; }
.loading { color: #666; }
.report-table { border-collapse: collapse; width: 100%; font-size: 13px; }
.report-table caption { caption-side: bottom; text-align: left; color: #666; font-size: 12px; padding-top: 6px; }
.report-table th, .report-table td { padding: 3px 6px; border-bottom: 1px solid #eceef1; text-align: left; vertical-align: top; }
.report-table thead th { border-bottom: 1px solid #b9bec7; font-weight: 600; color: #333; }
.report-table .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.report-table tbody th { font-weight: 500; }
.report-table .emphasis { background: #eef4fb; font-weight: 650; }
.figure { color: inherit; text-decoration: none; border-bottom: 1px dotted transparent; }
.figure:hover, .figure:focus { color: #1f5fa8; border-bottom-color: #1f5fa8; }
.figure.missing { color: #888; cursor: help; }
.member-name { display: block; font-size: 11px; color: #666; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 130px; margin-left: auto; }
.legend { display: flex; gap: 20px; list-style: none; margin: 0 0 8px; padding: 0; font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 22px; height: 0; border-top: 3px solid; }
.legend-municipality .swatch { border-color: #1f5fa8; }
.legend-group .swatch { border-color: #d9730d; }
.legend-country .swatch { border-color: #6f6f6f; border-top-style: dashed; }
.chart-grid { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; }
.chart-card { border: 1px solid #eceef1; border-radius: 6px; padding: 8px; min-width: 0; }
.chart-card h3 { margin: 0 0 4px; font-size: 13px; font-weight: 600; }
.chart-box { position: relative; height: 170px; }
.chart-box.small { height: 150px; }
.chart-card details { margin-top: 4px; font-size: 12px; }
.chart-card summary { cursor: pointer; color: #555; }
.series-table { font-size: 12px; }
.series-table th, .series-table td { padding: 2px 4px; }
.service-table .subject { text-align: center; border-bottom: 1px solid #b9bec7; }
.service-table thead tr.units th { font-weight: 400; color: #666; font-size: 12px; }
.service-table tr.sub th { padding-left: 22px; font-weight: 400; color: #555; }
.service-table tr.sub td { color: #555; }
.service-table tfoot th, .service-table tfoot td { font-weight: 700; border-top: 2px solid #b9bec7; border-bottom: none; }
.service-table td.share { color: #555; border-right: 1px solid #eceef1; }
.bar-track { display: inline-block; width: 70px; height: 9px; margin-right: 8px; background: #eef1f5; vertical-align: middle; }
.bar { display: block; height: 100%; background: #1f5fa8; }
.bar.negative { background: #b3261e; }
.tax-layout { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 16px; align-items: start; }
.tax-table { width: auto; }
.tax-facts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; margin-top: 8px; }
.facts { margin: 4px 0 0; padding-left: 18px; }
.facts-title { margin: 0; font-weight: 600; font-size: 13px; }
.efficiency-layout { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 16px; align-items: start; }
.efficiency-layout .chart-box { height: 300px; }
.efficiency-table, .efficiency-development { width: auto; }
.efficiency-table tfoot th, .efficiency-table tfoot td { font-weight: 700; border-top: 2px solid #b9bec7; border-bottom: none; }
.efficiency-development { margin-top: 12px; }
.report-footer { padding: 4px 24px 24px; color: #555; font-size: 12px; }
@media (max-width: 1100px) {
  .report-main { grid-template-columns: minmax(0, 1fr); }
  .chart-grid { grid-template-columns: repeat(2, minmax(0, 1fr)); }
}
`;
