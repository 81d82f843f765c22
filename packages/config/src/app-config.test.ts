import { describe, expect, it } from 'vitest';
import { appConfigSchema, configDocs, renderConfigTable } from './app-config.ts';
import { loadConfig } from './load-config.ts';

describe('app config', () => {
  it('documents exactly the variables the schema reads', () => {
    expect(configDocs.map((d) => d.name).sort()).toEqual(Object.keys(appConfigSchema.shape).sort());
  });

  it('documents the defaults the schema applies', () => {
    const config: Record<string, unknown> = loadConfig(appConfigSchema, {});
    for (const doc of configDocs) {
      const applied = config[doc.name];
      expect(applied === undefined ? null : String(applied), doc.name).toBe(doc.default);
    }
  });

  it('reads the distributed mode from its URLs', () => {
    const config = loadConfig(appConfigSchema, {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app:pw@db:5432/clubland',
      NATS_URL: 'nats://nats:4222',
      REDIS_URL: 'redis://cache:6379',
      MEMBER_SERVICE_URL: 'http://member:50051',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
      DATABASE_POOL_SIZE: '20',
    });
    expect(config).toMatchObject({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app:pw@db:5432/clubland',
      NATS_URL: 'nats://nats:4222',
      REDIS_URL: 'redis://cache:6379',
      MEMBER_SERVICE_URL: 'http://member:50051',
      DATABASE_POOL_SIZE: 20,
    });
  });

  it('renders a README table row per variable', () => {
    const table = renderConfigTable();
    expect(table.split('\n')).toHaveLength(configDocs.length + 2);
    expect(table).toContain('| `DATABASE_URL` | (unset) | PostgreSQL');
    expect(table).toContain('| `GATEWAY_PORT` | `8080` |');
  });
});
