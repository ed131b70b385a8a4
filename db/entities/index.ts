export * from './region.entity';
export * from './year.entity';
export * from './indicator.entity';
export * from './service-area.entity';
export * from './fact.entity';
export * from './source-table.entity';
export * from './load.entity';
export * from './peer-group.entity';
export * from './municipality.entity';
export * from './curated.entity';
export * from './etl-lock.entity';
export * from './etl-run.entity';
export * from './indicator-source.entity';
export * from './reconciliation.entity';
export * from './municipality-change.entity';
export * from './refresh-request.entity';

import { RegionEntity } from './region.entity';
import { YearEntity } from './year.entity';
import { IndicatorEntity } from './indicator.entity';
import { ServiceAreaEntity, ServiceAreaGroupingEntity } from './service-area.entity';
import { FactEntity } from './fact.entity';
import { SourceTableEntity } from './source-table.entity';
import { LoadEntity } from './load.entity';
import { PeerGroupEntity, PeerGroupMemberEntity } from './peer-group.entity';
import { MunicipalityEntity } from './municipality.entity';
import { CuratedSourceEntity, DeflatorEntity, NeedIndexEntity } from './curated.entity';
import { EtlLockEntity } from './etl-lock.entity';
import { EtlRunEntity } from './etl-run.entity';
import { IndicatorSourceEntity } from './indicator-source.entity';
import { ReconciliationEntity } from './reconciliation.entity';
import { MunicipalityChangeEntity } from './municipality-change.entity';
import { RefreshRequestEntity } from './refresh-request.entity';

export const ENTITIES = [
  RegionEntity, YearEntity, IndicatorEntity, ServiceAreaEntity, ServiceAreaGroupingEntity, FactEntity,
  SourceTableEntity, LoadEntity, PeerGroupEntity, PeerGroupMemberEntity, MunicipalityEntity, NeedIndexEntity,
  DeflatorEntity, CuratedSourceEntity, EtlLockEntity, EtlRunEntity, IndicatorSourceEntity, ReconciliationEntity,
  MunicipalityChangeEntity, RefreshRequestEntity,
];
