import { describe, expect, it } from 'vitest';
import { startBanner } from '../src/demo/banner.ts';
import { DEMO_PASSWORD } from '../src/demo/demo-network.ts';

const where = { baseUrl: 'http://localhost:8080', graphiql: true };

describe('startBanner', () => {
  it('prints the full demo banner after the first start seeded the network', () => {
    const banner = startBanner({ ...where, demo: 'seeded', isProduction: false });
    expect(banner).toContain('GraphQL:     http://localhost:8080/graphql');
    expect(banner).toContain('Try it:');
    expect(banner).toContain(`/ ${DEMO_PASSWORD}`);
  });

  it('prints a shorter one on a restart with the demo network: the URLs and the logins', () => {
    const banner = startBanner({ ...where, demo: 'present', isProduction: false });
    expect(banner).toContain('seeded earlier');
    expect(banner).toContain('GraphiQL:    http://localhost:8080/graphiql');
    expect(banner).toMatch(/member:\s+\S+@\S+ \/ /);
    expect(banner).toMatch(/club admin:\s+\S+@\S+ \/ /);
    expect(banner).toMatch(/front desk:\s+dorothy\.parker@\S+ \/ .*The Knickerbocker Union/);
    expect(banner).not.toContain('Try it:');
  });

  it('prints the URLs alone without a demo network, and no GraphiQL line where it is off', () => {
    const banner = startBanner({ ...where, graphiql: false, demo: 'absent', isProduction: false });
    expect(banner).toContain('GraphQL:     http://localhost:8080/graphql');
    expect(banner).not.toContain('GraphiQL');
    expect(banner).not.toContain(DEMO_PASSWORD);
  });

  it('prints nothing in production, whatever the database holds', () => {
    for (const demo of ['seeded', 'present', 'absent'] as const) {
      expect(startBanner({ ...where, demo, isProduction: true })).toBeUndefined();
    }
  });
});
