import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appConfigSchema, loadConfig } from '@clubland/config';
import { createLogger } from '@clubland/log';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalServices } from '../src/local-services.ts';

/**
 * With SMTP_URL set, the services `clubland` wires send email over SMTP (issue 33, items 2 and 5):
 * the auth service's verification mail goes through the notification service's email channel
 * (MailService) to a real SMTP server started here, and nothing lands in the outbox folder.
 * Embedded services, as `npm start` opens them; without SMTP_URL, mail-links.test.ts shows the
 * outbox files the first-run instructions read.
 */
describe('notification channels from configuration', () => {
  let dataDir: string;
  let server: SMTPServer;
  let smtpUrl: string;
  const received: { to: string[]; mail: ParsedMail }[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'clubland-smtp-'));
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          received.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            mail: await simpleParser(Buffer.concat(chunks)),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("sends the auth service's verification mail over SMTP_URL through the notification service", async () => {
    const config = loadConfig(appConfigSchema, {
      CLUBLAND_DATA_DIR: dataDir,
      SMTP_URL: smtpUrl,
      EMAIL_FROM: 'Clubland Test <no-reply@clubland.test>',
      PUBLIC_URL: 'https://clubs.example.org',
    });
    const local = await openLocalServices(config, createLogger({ service: 'clubland', level: 'silent' }));
    try {
      const admin = { email: 'operator@clubland.test', password: 'stewardship of the reciprocal network' };
      await local.auth.bootstrapNetworkAdmin(admin);
      const meta = (accessToken = '') => ({ accessToken, ip: '', userAgent: 'notification-channels test' });
      const { accessToken } = await local.clients.auth.login({ meta: meta(), ...admin });
      await local.clients.auth.requestEmailVerification({ meta: meta(accessToken) });
    } finally {
      await local.close();
    }
    expect(received).toHaveLength(1);
    const [{ to, mail }] = received as [(typeof received)[number]];
    expect(to).toEqual(['operator@clubland.test']);
    expect(mail.from?.text).toBe('"Clubland Test" <no-reply@clubland.test>');
    expect(mail.headers.get('x-clubland-template')).toBe('auth.verify-email');
    expect(mail.text).toMatch(/https:\/\/clubs\.example\.org\/verify-email\?token=[\w-]+/);
    expect(mail.html).toContain('https://clubs.example.org/verify-email?token=');
    // Nothing went to the outbox folder: SMTP replaced it.
    const outbox = join(dataDir, 'outbox', 'mail');
    expect(existsSync(outbox) ? readdirSync(outbox) : []).toEqual([]);
  }, 300_000);

  it('refuses a provider configured by halves, naming what is missing', async () => {
    const config = loadConfig(appConfigSchema, {
      CLUBLAND_DATA_DIR: mkdtempSync(join(tmpdir(), 'clubland-sms-')),
      SMS_PROVIDER_URL: 'https://sms.example.org',
      SMS_ACCOUNT_SID: 'AC123',
    });
    try {
      await expect(
        openLocalServices(config, createLogger({ service: 'clubland', level: 'silent' })),
      ).rejects.toThrow(/SMS_AUTH_TOKEN, SMS_FROM/);
    } finally {
      rmSync(config.CLUBLAND_DATA_DIR, { recursive: true, force: true });
    }
  }, 300_000);
});
