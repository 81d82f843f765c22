/**
 * An SMTP sink in a process of its own (as a real mail server would be, so its CPU is not the
 * measured process's): accepts every message, and tells its parent (IPC) its port, then once
 * `expected` distinct recipients have been accepted. Run by `forkSmtpSink`; `node bench/lib/smtp-sink.ts <expected>`.
 */
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

type SinkReport = { port: number } | { done: number; messages: number; recipients: number };

/** Starts the sink process; `allAccepted` resolves with the parent's performance.now() at the report. */
export async function forkSmtpSink(expected: number) {
  const child = fork(new URL(import.meta.url), [String(expected)], { stdio: 'inherit' });
  let counts = { messages: 0, recipients: 0 };
  let resolveDone: (at: number) => void = () => undefined;
  const allAccepted = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (report: SinkReport) => {
      if ('port' in report) resolve(report.port);
      else {
        counts = { messages: report.messages, recipients: report.recipients };
        resolveDone(performance.now());
      }
    });
  });
  return {
    port,
    allAccepted,
    counts: () => counts,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
    },
  };
}

if (process.send && process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const expected = Number(process.argv[2]);
  const recipients = new Set<string>();
  let messages = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1_000_000,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        messages += 1;
        for (const rcpt of session.envelope.rcptTo) recipients.add(rcpt.address);
        callback();
        if (recipients.size === expected)
          process.send!({ done: Date.now(), messages, recipients: recipients.size });
      });
    },
  });
  server.listen(0, '127.0.0.1', () => {
    process.send!({ port: (server.server.address() as AddressInfo).port });
  });
}
