import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { isTemporalHealthy } from '../client/temporal-dev-server.ts';

describe('temporal dev server', () => {
  it('answers health checks at the provided address', async () => {
    expect(await isTemporalHealthy(inject('temporalAddress'))).toBe(true);
  });

  it('reports an unused port as unhealthy', async () => {
    expect(await isTemporalHealthy('127.0.0.1:1', 500)).toBe(false);
  });
});
