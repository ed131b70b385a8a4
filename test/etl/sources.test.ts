import { expect } from 'chai';
import os from 'node:os';
import { ConfigError, loadConfig, MAX_API_PROCESSES } from '../../core/config';
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

describe('API_PROCESSES and API_CACHES', () => {
  it('API_PROCESSES: 1 by default, a number from 1 to 32, or auto (one per core, capped at 32)', () => {
    expect(loadConfig({}, { dotenv: false }).apiProcesses).to.equal(1);
    expect(loadConfig({ API_PROCESSES: '4' }, { dotenv: false }).apiProcesses).to.equal(4);
    expect(loadConfig({ API_PROCESSES: 'auto' }, { dotenv: false }).apiProcesses).to.equal(Math.min(os.availableParallelism(), MAX_API_PROCESSES));
    for (const value of ['0', '33', 'two', '-1']) {
      expect(() => loadConfig({ API_PROCESSES: value }, { dotenv: false })).to.throw(ConfigError, `API_PROCESSES "${value}" must be a whole number from 1 to 32, or auto`);
    }
  });

  it('API_CACHES: on by default, off on purpose, anything else refused with what is allowed', () => {
    expect(loadConfig({}, { dotenv: false }).apiCaches).to.equal(true);
    expect(loadConfig({ API_CACHES: 'off' }, { dotenv: false }).apiCaches).to.equal(false);
    expect(() => loadConfig({ API_CACHES: 'no' }, { dotenv: false })).to.throw(ConfigError, 'API_CACHES "no" must be one of on, off');
  });
});
