import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appConfigSchema, loadConfig } from '@clubland/config';
import { createLogger } from '@clubland/log';
import { readOutbox } from '@clubland/notify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSettingsFrom } from '../src/auth-wiring.ts';
import { openLocalServices } from '../src/local-services.ts';

/**
 * The links in emails point at the gateway that sent them (issue 28, item 7): the README's second
 * instance (`CLUBLAND_DATA_DIR=.clubland/second GATEWAY_PORT=8081 npm start`) mails links to
 * itself, not to the first instance on 8080. Embedded services, as `npm start` opens them.
 */
describe('the links in emails', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clubland-links-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('follow GATEWAY_PORT when PUBLIC_URL is unset', async () => {
    const config = loadConfig(appConfigSchema, { CLUBLAND_DATA_DIR: dataDir, GATEWAY_PORT: '8081' });
    const local = await openLocalServices(config, createLogger({ service: 'clubland', level: 'silent' }));
    try {
      const admin = { email: 'operator@clubland.test', password: 'stewardship of the reciprocal network' };
      await local.auth.bootstrapNetworkAdmin(admin);
      const meta = (accessToken = '') => ({ accessToken, ip: '', userAgent: 'mail-links test' });
      const { accessToken } = await local.clients.auth.login({ meta: meta(), ...admin });
      await local.clients.auth.requestEmailVerification({ meta: meta(accessToken) });
    } finally {
      await local.close();
    }
    const [mail] = await readOutbox(join(dataDir, 'outbox', 'mail'));
    expect(mail?.template).toBe('auth.verify-email');
    expect(String(mail?.data.link)).toMatch(/^http:\/\/localhost:8081\/verify-email\?token=[\w-]+$/);
    expect(mail?.text).toContain(String(mail?.data.link));
  }, 300_000);

  it('use PUBLIC_URL when it is set, whatever the port', () => {
    const config = loadConfig(appConfigSchema, {
      GATEWAY_PORT: '8081',
      PUBLIC_URL: 'https://clubs.example.org',
    });
    expect(authSettingsFrom(config).publicUrl).toBe('https://clubs.example.org');
    expect(authSettingsFrom(loadConfig(appConfigSchema, {})).publicUrl).toBe('http://localhost:8080');
  });
});
