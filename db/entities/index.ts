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

export const ENTITIES = [
  RegionEntity, YearEntity, IndicatorEntity, ServiceAreaEntity, ServiceAreaGroupingEntity, FactEntity,
  SourceTableEntity, LoadEntity, PeerGroupEntity, PeerGroupMemberEntity, MunicipalityEntity, NeedIndexEntity,
  DeflatorEntity, CuratedSourceEntity, EtlLockEntity,
];
