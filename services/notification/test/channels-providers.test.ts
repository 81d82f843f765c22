import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../src/channels/channel.ts';
import { createFcmPushSender } from '../src/channels/fcm-push-sender.ts';
import { createTwilioSmsSender } from '../src/channels/twilio-sms-sender.ts';

/**
 * The SMS and push providers against local HTTP servers started here that answer as Twilio's
 * Messages API and FCM's HTTP v1 API do (fakes of services we cannot run, labelled as such): each
 * request is recorded, each answer scripted.
 */
interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Answer = (request: Recorded, response: ServerResponse) => void;

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startFakeProvider(answer: Answer) {
  const requests: Recorded[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const recorded = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      };
      requests.push(recorded);
      answer(recorded, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const handle = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('Twilio-style SMS provider (fake Twilio server)', () => {
  const sms = {
    messageId: 'n-1',
    to: '+447700900123',
    body: 'Your table for 2 at 19:30 is confirmed — Athenaeum',
  };

  it('POSTs the form to the account’s Messages.json with basic auth and returns the message SID', async () => {
    const twilio = await startFakeProvider((_request, response) =>
      json(response, 201, { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' }),
    );
    const sender = createTwilioSmsSender({
      url: `${twilio.url}/`,
      accountSid: 'AC42',
      authToken: 's3cret',
      from: '+15005550006',
    });

    expect(await sender.send(sms)).toEqual({ providerMessageId: 'SM0123456789abcdef0123456789abcdef' });
    const [request] = twilio.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/2010-04-01/Accounts/AC42/Messages.json' });
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from('AC42:s3cret').toString('base64')}`);
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request!.body))).toEqual({
      To: '+447700900123',
      From: '+15005550006',
      Body: sms.body,
    });
  });

  it('sends through a messaging service when From is one', async () => {
    const twilio = await startFakeProvider((_request, response) => json(response, 201, { sid: 'SM1' }));
    const service = `MG${'a1'.repeat(16)}`;
    await createTwilioSmsSender({ url: twilio.url, accountSid: 'AC42', authToken: 't', from: service }).send(
      sms,
    );
    const form = new URLSearchParams(twilio.requests[0]!.body);
    expect(form.get('MessagingServiceSid')).toBe(service);
    expect(form.has('From')).toBe(false);
  });

  it('reports a refused number as not retryable, with Twilio’s code and words', async () => {
    const twilio = await startFakeProvider((_request, response) =>
      json(response, 400, {
        code: 21211,
        message: "The 'To' number +44 is not a valid phone number.",
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      }),
    );
    const sender = createTwilioSmsSender({
      url: twilio.url,
      accountSid: 'AC42',
      authToken: 't',
      from: '+15005550006',
    });
    const error = await failureOf(sender.send({ ...sms, to: '+44' }));
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toContain('not a valid phone number. (21211)');
  });

  it('reports rate limiting, server errors, timeouts and refused connections as retryable', async () => {
    // The fake answers each request with the status its To names, so what it answers does not hang
    // on how many requests reached it before (a client may open a new connection and send again).
    const twilio = await startFakeProvider((request, response) => {
      const to = new URLSearchParams(request.body).get('To');
      if (to === 'slow') return; // never answers
      const status = Number(to);
      if (status >= 400) json(response, status, { code: 20429, message: 'Too Many Requests' });
      else json(response, 400, { code: 21211, message: `unexpected To ${String(to)}` });
    });
    const options = { url: twilio.url, accountSid: 'AC42', authToken: 't', from: '+15005550006' };
    const sender = createTwilioSmsSender(options);
    for (const status of [429, 500, 503]) {
      expect(await failureOf(sender.send({ ...sms, to: String(status) }))).toMatchObject({
        retryable: true,
        status,
      });
    }
    // A short deadline only for the server that never answers: on a busy machine a quick one must
    // not run out of time first.
    const impatient = createTwilioSmsSender({ ...options, timeoutMs: 300 });
    const slow = await failureOf(impatient.send({ ...sms, to: 'slow' }));
    expect(slow).toMatchObject({ retryable: true, status: undefined });
    expect(slow.message).toContain('no answer in 300 ms');

    const gone = await startFakeProvider(() => undefined);
    const goneUrl = gone.url;
    await gone.close();
    const refused = await failureOf(
      createTwilioSmsSender({ url: goneUrl, accountSid: 'AC42', authToken: 't', from: '+1' }).send(sms),
    );
    expect(refused).toMatchObject({ retryable: true });
    expect(refused.message).toContain('ECONNREFUSED');
  });
});

describe('FCM-style push provider (fake FCM server)', () => {
  const push = {
    messageId: 'n-2',
    deviceToken: 'device-token-1',
    title: 'Court 3 is yours',
    body: 'Saturday 10:00–11:00',
    data: { bookingId: 'b-1' },
  };

  it('POSTs the message to the project’s messages:send with a bearer token and returns its name', async () => {
    const fcm = await startFakeProvider((_request, response) =>
      json(response, 200, { name: 'projects/clubland-app/messages/0:1500415314455276%31bd1c96' }),
    );
    const sender = createFcmPushSender({
      url: fcm.url,
      projectId: 'clubland-app',
      accessToken: 'ya29.token',
    });

    expect(await sender.send(push)).toEqual({
      providerMessageId: 'projects/clubland-app/messages/0:1500415314455276%31bd1c96',
    });
    const [request] = fcm.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/projects/clubland-app/messages:send' });
    expect(request!.headers.authorization).toBe('Bearer ya29.token');
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request!.body)).toEqual({
      message: {
        token: 'device-token-1',
        notification: { title: 'Court 3 is yours', body: 'Saturday 10:00–11:00' },
        data: { bookingId: 'b-1', messageId: 'n-2' },
      },
    });
  });

  it('asks a token function for a current token on every send', async () => {
    const fcm = await startFakeProvider((_request, response) =>
      json(response, 200, { name: 'projects/p/messages/1' }),
    );
    let minted = 0;
    const sender = createFcmPushSender({
      url: fcm.url,
      projectId: 'p',
      accessToken: async () => `token-${++minted}`,
    });
    await sender.send(push);
    await sender.send(push);
    expect(fcm.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('reports a dead device token (404 UNREGISTERED) as not retryable and an unavailable FCM as retryable', async () => {
    const answers = {
      dead: {
        status: 404,
        body: {
          error: {
            code: 404,
            message: 'Requested entity was not found.',
            status: 'NOT_FOUND',
            details: [
              { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' },
            ],
          },
        },
      },
      unavailable: {
        status: 503,
        body: {
          error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' },
        },
      },
    };
    // Answered by the device token, not by the order requests arrive in.
    const fcm = await startFakeProvider((request, response) => {
      const token = (JSON.parse(request.body) as { message: { token: string } }).message.token;
      const answer = answers[token as keyof typeof answers] ?? {
        status: 400,
        body: { error: { code: 400 } },
      };
      json(response, answer.status, answer.body);
    });
    const sender = createFcmPushSender({ url: fcm.url, projectId: 'p', accessToken: 't' });

    const dead = await failureOf(sender.send({ ...push, deviceToken: 'dead' }));
    expect(dead).toMatchObject({ retryable: false, status: 404 });
    expect(dead.message).toContain('(UNREGISTERED)');
    const unavailable = await failureOf(sender.send({ ...push, deviceToken: 'unavailable' }));
    expect(unavailable).toMatchObject({ retryable: true, status: 503 });
    expect(unavailable.message).toContain('(UNAVAILABLE)');
  });
});
