import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('defaults to the embedded store in ./data on port 4000', () => {
    const config = loadConfig({});
    expect(config.eventStoreConnectionString).toBeNull();
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.port).toBe(4000);
    expect(config.instance).toBe('main');
  });

  it('selects EventStoreDB when a connection string is set', () => {
    const config = loadConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' });
    expect(config.eventStoreConnectionString).toBe('esdb://localhost:2113?tls=false');
  });

  it.each([
    [{ EVENTSTORE_CONNECTION_STRING: 'http://localhost:2113' }, /EVENTSTORE_CONNECTION_STRING/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ ORGCLONE_INSTANCE: '../escape' }, /ORGCLONE_INSTANCE/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
