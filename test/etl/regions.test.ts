import { expect } from 'chai';
import { parseRegionLabel, regionKind } from '../../core/municipalities/regions';

describe('region codes and SSB labels', () => {
  it('reads the validity SSB writes into a label', () => {
    expect(parseRegionLabel('0219', 'Bærum (-2019)')).to.deep.include({ name: 'Bærum', validFrom: null, validTo: 2019, kind: 'municipality' });
    expect(parseRegionLabel('3024', 'Bærum (2020-2023)')).to.deep.include({ name: 'Bærum', validFrom: 2020, validTo: 2023 });
    expect(parseRegionLabel('3201', 'Bærum')).to.deep.include({ name: 'Bærum', validFrom: null, validTo: null });
    expect(parseRegionLabel('5501', 'Tromsø - Romsa - Tromssa')).to.deep.include({ name: 'Tromsø - Romsa - Tromssa', validTo: null });
  });

  it('tells the kind of a region from its code', () => {
    expect(['3201', 'EAK', 'EAKUO', 'EKG12', 'EKA32', '32', 'X1'].map(regionKind))
      .to.deep.equal(['municipality', 'country', 'country_excl_oslo', 'kostra_group', 'county', 'county', null]);
  });
});
