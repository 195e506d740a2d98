import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopbackHost, isProductionLike, loadServiceConfig } from '../src/config.ts';

/** Finding 8 of the security review (issue 14): a reachable process never runs with development defaults. */

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017' };
const NO_ARGS = ['node', 'service.ts'];

describe('isProductionLike', () => {
  it('is false for a development or test start on loopback (npm start, npm test)', () => {
    expect(isProductionLike({}, NO_ARGS)).toBe(false);
    for (const HOST of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '']) {
      expect(isProductionLike({ HOST }, NO_ARGS), HOST).toBe(false);
      expect(isProductionLike({ HOST, NODE_ENV: 'test' }, NO_ARGS), HOST).toBe(false);
    }
  });

  it('is true with NODE_ENV=production, a non-loopback HOST, or --production', () => {
    expect(isProductionLike({ NODE_ENV: 'production' }, NO_ARGS)).toBe(true);
    for (const HOST of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com', '128.0.0.1', '::2']) {
      expect(isProductionLike({ HOST }, NO_ARGS), HOST).toBe(true);
    }
    expect(isProductionLike({ HOST: '127.0.0.1' }, [...NO_ARGS, '--production'])).toBe(true);
  });

  it('names loopback addresses only', () => {
    expect(isLoopbackHost('127.255.255.254')).toBe(true);
    expect(isLoopbackHost('1.127.0.0')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});

describe('loadServiceConfig refuses a production-like start without NODE_ENV=production', () => {
  it('HOST=0.0.0.0 without NODE_ENV → ConfigError asking for NODE_ENV=production', () => {
    expect(() => loadServiceConfig('catalog', 4001, { ...base, HOST: '0.0.0.0' }, NO_ARGS)).toThrow(ConfigError);
    expect(() => loadServiceConfig('catalog', 4001, { ...base, HOST: '0.0.0.0' }, NO_ARGS)).toThrow(/set NODE_ENV=production/);
    expect(() => loadServiceConfig('catalog', 4001, { ...base, HOST: '0.0.0.0', NODE_ENV: 'development' }, NO_ARGS)).toThrow(/set NODE_ENV=production/);
    expect(() => loadServiceConfig('catalog', 4001, { ...base, HOST: '10.1.2.3', NODE_ENV: 'test' }, NO_ARGS)).toThrow(/set NODE_ENV=production/);
  });

  it('--production without NODE_ENV=production → ConfigError', () => {
    expect(() => loadServiceConfig('catalog', 4001, base, [...NO_ARGS, '--production'])).toThrow(ConfigError);
    expect(() => loadServiceConfig('catalog', 4001, base, [...NO_ARGS, '--production'])).toThrow(/set NODE_ENV=production/);
  });

  it('NODE_ENV=production on any host starts (the router context keys are checked where they are resolved: trust.test.ts)', () => {
    const c = loadServiceConfig('catalog', 4001, { ...base, NODE_ENV: 'production', HOST: '0.0.0.0' }, [...NO_ARGS, '--production']);
    expect(c).toMatchObject({ nodeEnv: 'production', host: '0.0.0.0' });
  });

  it('127.0.0.1 development (npm start) and test start as before', () => {
    expect(loadServiceConfig('catalog', 4001, base, NO_ARGS)).toMatchObject({ nodeEnv: 'development', host: '127.0.0.1' });
    expect(loadServiceConfig('catalog', 4001, { ...base, HOST: '127.0.0.1', NODE_ENV: 'test' }, NO_ARGS)).toMatchObject({ nodeEnv: 'test' });
    // without argv: the process's own (vitest's, no --production)
    expect(loadServiceConfig('catalog', 4001, base).nodeEnv).toBe('development');
  });
});
