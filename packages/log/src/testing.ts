import { Writable } from 'node:stream';

/**
 * A log destination writing into memory, and the JSON lines written to it: for tests. `texts`
 * holds them as written (JSON.parse would hide a key written twice).
 */
export function captureLogLines(): {
  destination: Writable;
  lines: Record<string, unknown>[];
  texts: string[];
} {
  const lines: Record<string, unknown>[] = [];
  const texts: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        texts.push(line);
        lines.push(JSON.parse(line));
      }
      done();
    },
  });
  return { destination, lines, texts };
}
