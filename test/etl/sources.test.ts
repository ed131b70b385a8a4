import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../core/config';
import { createSources } from '../../etl/sources';
import type { PxWebClient } from '../../etl/pxweb/client';

const limitOf = (settings: Parameters<typeof createSources>[1]) => (createSources('live', settings).source as PxWebClient).rateLimit();

describe('SSB_CALLS_PER_MINUTE: the rate SSB clients allow themselves', () => {
  it('defaults to SSB\'s documented 30 calls a minute and reaches the statistics client', () => {
    const config = loadConfig({}, { dotenv: false });
    expect(config.ssbCallsPerMinute).to.equal(30);
    expect(limitOf(config)).to.deep.equal({ maxCalls: 30, windowMs: 60_000 });
    expect(limitOf({ ...config, ssbCallsPerMinute: 600 })).to.deep.equal({ maxCalls: 600, windowMs: 60_000 });
  });

  it('a value outside 1–1000 is refused, naming the variable, the value and what is allowed', () => {
    for (const value of ['0', '1001', 'many', '2.5']) {
      expect(() => loadConfig({ SSB_CALLS_PER_MINUTE: value }, { dotenv: false })).to.throw(ConfigError, `SSB_CALLS_PER_MINUTE "${value}" must be a whole number from 1 to 1000`);
    }
  });
});
