import { InitialStarSchema1764150000000 } from './1764150000000-initial-star-schema';
import { RunsResolutionReconciliation1764900000000 } from './1764900000000-runs-resolution-reconciliation';
import { ForeignKeysRefreshRequests1765100000000 } from './1765100000000-foreign-keys-refresh-requests';
import { FactReadIndex1765600000000 } from './1765600000000-fact-read-index';

/** Every migration, in order. New schema changes are new files here — never `synchronize` outside tests. */
export const MIGRATIONS = [InitialStarSchema1764150000000, RunsResolutionReconciliation1764900000000, ForeignKeysRefreshRequests1765100000000, FactReadIndex1765600000000];
