import { Writable } from 'node:stream';

/** A log destination writing into memory, and the JSON lines written to it: for tests. */
export function captureLogLines(): { destination: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  return { destination, lines };
}
