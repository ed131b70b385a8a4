/**
 * The ETL's one entry point for the rest of the product: what the API process needs to keep the warehouse loaded
 * (first load, nightly refresh) and to start a refresh on request. Everything else under etl/ is internal.
 */
export { Refresher, type RefreshEvent, type RefreshObserver, type RefreshSettings, type RefreshStart } from './refresher';
export { childProcessRunner, type RefreshRunner } from './refresh-runner';
export { startMaintenance, type Maintenance, type MaintenanceOptions } from './maintenance';
export { RefreshRequester, type RefreshControl } from './refresh-requests';
export type { EtlRunResult } from './pipeline';
