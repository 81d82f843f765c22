import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError, type EmailMessage } from '../src/channels/channel.ts';
import { createSmtpEmailSender, type SmtpEmailSender } from '../src/channels/smtp-email-sender.ts';

/**
 * The email channel end to end: nodemailer speaking SMTP to a real SMTP server (`smtp-server`,
 * nodemailer's own receiving side) started here, each received message parsed back with mailparser.
 */
interface Sink {
  url: string;
  received: { envelopeTo: string[]; raw: string; mail: ParsedMail }[];
  connections: number;
  close(): Promise<void>;
}

async function startSink(overrides: Partial<SMTPServerOptions> = {}): Promise<Sink> {
  const sink: Omit<Sink, 'url' | 'close'> = { received: [], connections: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      sink.connections++;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        sink.received.push({
          envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
          mail: await simpleParser(raw),
        });
        callback();
      });
    },
    ...overrides,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(sink, {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

const message: EmailMessage = {
  messageId: '01938b7e-0000-7000-8000-000000000001',
  to: 'ada@example.com',
  subject: 'Dinner on Friday — the Athenaeum',
  text: 'Dear Ada,\nThe dining room opens at 19:00.\nUnsubscribe: https://clubland.example/u/t1',
  html: '<p>Dear Ada,</p><p>The dining room opens at <b>19:00</b>.</p><a href="https://clubland.example/u/t1">Unsubscribe</a>',
  unsubscribeUrl: 'https://clubland.example/u/t1',
  headers: { 'X-Clubland-Category': 'events' },
};

describe('SMTP email channel', () => {
  let sink: Sink;
  const senders: SmtpEmailSender[] = [];
  const senderFor = (url: string, options: { maxConnections?: number; timeoutMs?: number } = {}) => {
    const sender = createSmtpEmailSender({
      url,
      from: '"The Athenaeum" <no-reply@athenaeum.example>',
      ...options,
    });
    senders.push(sender);
    return sender;
  };

  beforeAll(async () => {
    sink = await startSink();
  });
  afterEach(() => {
    for (const sender of senders.splice(0)) sender.close();
    sink.received.length = 0;
  });
  afterAll(() => sink.close());

  it('delivers a text and an HTML part with our Message-ID and the one-click unsubscribe headers', async () => {
    const result = await senderFor(sink.url).send(message);

    expect(result.providerMessageId).toBe(`<${message.messageId}@athenaeum.example>`);
    expect(sink.received).toHaveLength(1);
    const { envelopeTo, mail, raw } = sink.received[0]!;
    expect(envelopeTo).toEqual(['ada@example.com']);
    expect(mail.from?.value).toEqual([{ address: 'no-reply@athenaeum.example', name: 'The Athenaeum' }]);
    expect(mail.subject).toBe(message.subject);
    expect(mail.messageId).toBe(`<${message.messageId}@athenaeum.example>`);
    expect(mail.text?.trim()).toBe(message.text);
    expect(mail.html).toContain('<b>19:00</b>');
    expect(mail.html).toContain('href="https://clubland.example/u/t1"');
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/im);
    expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8/im);
    expect(raw).toMatch(/^Content-Type: text\/html; charset=utf-8/im);
    expect(raw).toMatch(/^List-Unsubscribe: <https:\/\/clubland\.example\/u\/t1>\r?$/im);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/im);
    expect(mail.headers.get('x-clubland-category')).toBe('events');
  });

  it('gives a mail client a List-Unsubscribe link it can POST the one-click request to', async () => {
    const posts: { url: string; body: string; type: string | undefined }[] = [];
    const site: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        posts.push({ url: request.url ?? '', body, type: request.headers['content-type'] });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const link = `http://127.0.0.1:${(site.address() as AddressInfo).port}/unsubscribe/token-1`;
      await senderFor(sink.url).send({ ...message, unsubscribeUrl: link });

      // What Gmail does on "Unsubscribe" (RFC 8058): POST the List-Unsubscribe-Post body to the header's URL.
      const raw = sink.received[0]!.raw;
      const url = /^List-Unsubscribe: <([^>]+)>/im.exec(raw)?.[1];
      const body = /^List-Unsubscribe-Post: (.+?)\r?$/im.exec(raw)?.[1];
      expect(url).toBe(link);
      const answer = await fetch(url!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(answer.status).toBe(200);
      expect(posts).toEqual([
        {
          url: '/unsubscribe/token-1',
          body: 'List-Unsubscribe=One-Click',
          type: 'application/x-www-form-urlencoded',
        },
      ]);
    } finally {
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
  });

  it('sends no unsubscribe headers for a message without an unsubscribe link (a password reset)', async () => {
    const { unsubscribeUrl: _, ...transactional } = message;
    await senderFor(sink.url).send(transactional);
    expect(sink.received[0]!.raw).not.toMatch(/^List-Unsubscribe/im);
  });

  it('sends a fan-out over a few pooled connections, every message arriving once', async () => {
    const sender = senderFor(sink.url, { maxConnections: 3 });
    const before = sink.connections;
    await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        sender.send({ ...message, messageId: `m-${n}`, to: `member${n}@example.com` }),
      ),
    );
    expect(sink.received).toHaveLength(60);
    expect(new Set(sink.received.map((received) => received.envelopeTo[0])).size).toBe(60);
    expect(sink.connections - before).toBeLessThanOrEqual(3);
  });
});

describe('SMTP email channel failures', () => {
  it('reports a permanent refusal (5xx) as not retryable and a transient one (4xx) as retryable', async () => {
    const sink = await startSink({
      onRcptTo(address, _session, callback) {
        const refusal = (code: number, text: string) =>
          Object.assign(new Error(text), { responseCode: code });
        if (address.address.startsWith('gone@')) return callback(refusal(550, 'No such user'));
        if (address.address.startsWith('busy@')) return callback(refusal(451, 'Try again later'));
        return callback();
      },
    });
    const sender = createSmtpEmailSender({ url: sink.url, from: 'no-reply@athenaeum.example' });
    try {
      const gone = await sender.send({ ...message, to: 'gone@example.com' }).catch((error: unknown) => error);
      expect(gone).toBeInstanceOf(DeliveryError);
      expect(gone).toMatchObject({ retryable: false, status: 550 });
      const busy = await sender.send({ ...message, to: 'busy@example.com' }).catch((error: unknown) => error);
      expect(busy).toMatchObject({ retryable: true, status: 451 });
      expect(sink.received).toHaveLength(0);
      // The pool is still usable after refusals.
      await sender.send(message);
      expect(sink.received).toHaveLength(1);
    } finally {
      sender.close();
      await sink.close();
    }
  });

  it('upgrades to TLS with STARTTLS and signs in with the credentials of SMTP_URL', async () => {
    const sessions: { user: string | undefined; secure: boolean }[] = [];
    // STARTTLS left on (smtp-server's own self-signed certificate), and AUTH refused before it.
    const sink = await startSink({
      disabledCommands: [],
      allowInsecureAuth: false,
      authOptional: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 's3cret p@ss')
          return callback(null, { user: 'mailer' });
        return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onMailFrom(_address, session, callback) {
        sessions.push({ user: session.user as string | undefined, secure: session.secure });
        callback();
      },
    });
    // The certificate is self-signed: trusted here through the URL's query, as nodemailer reads it.
    const at = (credentials: string) =>
      `${sink.url.replace('smtp://', `smtp://${credentials}@`)}?tls.rejectUnauthorized=false`;
    const sender = createSmtpEmailSender({
      url: at(`mailer:${encodeURIComponent('s3cret p@ss')}`),
      from: 'no-reply@athenaeum.example',
    });
    const intruder = createSmtpEmailSender({ url: at('mailer:guess'), from: 'no-reply@athenaeum.example' });
    try {
      await sender.send(message);
      expect(sessions).toEqual([{ user: 'mailer', secure: true }]);
      expect(sink.received).toHaveLength(1);
      const refused = await intruder.send(message).catch((error: unknown) => error);
      expect(refused).toMatchObject({ retryable: false, status: 535 });
      expect(sink.received).toHaveLength(1);
    } finally {
      sender.close();
      intruder.close();
      await sink.close();
    }
  });

  it('reports a server that is not there as retryable', async () => {
    const sink = await startSink();
    const url = sink.url;
    await sink.close();
    const sender = createSmtpEmailSender({ url, from: 'no-reply@athenaeum.example', timeoutMs: 2_000 });
    try {
      const error = await sender.send(message).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ retryable: true });
    } finally {
      sender.close();
    }
  });

  it('refuses a header injection in the subject instead of sending a forged header', async () => {
    const sink = await startSink();
    const sender = createSmtpEmailSender({ url: sink.url, from: 'no-reply@athenaeum.example' });
    try {
      await sender.send({ ...message, subject: 'Hello\r\nBcc: everyone@example.com' }).catch(() => undefined);
      for (const { raw, envelopeTo } of sink.received) {
        expect(raw).not.toMatch(/^Bcc:/im);
        expect(envelopeTo).toEqual(['ada@example.com']);
      }
    } finally {
      sender.close();
      await sink.close();
    }
  });
});
