import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { NotificationMessage, Notifier } from './notifier.ts';

export interface FileNotifierOptions {
  /** The outbox folder, e.g. `<CLUBLAND_DATA_DIR>/outbox/mail`; created on first send. */
  dir: string;
  clock?: () => Date;
  newId?: () => string;
}

/** A message as the file adapter stored it. */
export interface StoredMessage extends NotificationMessage {
  id: string;
  /** ISO-8601 instant. */
  sentAt: string;
}

/**
 * The default adapter of the all-in-one mode: each message becomes one JSON file in `dir`, named
 * `<time>-<id>.json` so a listing is in sending order. Written to a temporary name and renamed,
 * so a reader (a developer, a test) never sees half a message.
 */
export function createFileNotifier(options: FileNotifierOptions): Notifier {
  const clock = options.clock ?? (() => new Date());
  // UUIDv7 ids grow within a process, so two messages of the same millisecond still list in sending order.
  const newId = options.newId ?? uuidv7;
  return {
    async send(message) {
      const id = newId();
      const sentAt = clock().toISOString();
      const stored: StoredMessage = { id, sentAt, ...message };
      // ':' is not allowed in Windows file names; '-' keeps the names sortable.
      const name = `${sentAt.replaceAll(':', '-')}-${id}.json`;
      await mkdir(options.dir, { recursive: true });
      const temporary = join(options.dir, `.${name}.tmp`);
      await writeFile(temporary, `${JSON.stringify(stored, null, 2)}\n`, { flag: 'wx' });
      await rename(temporary, join(options.dir, name));
    },
  };
}

/** Every message in the outbox folder, oldest first; none when the folder does not exist yet. */
export async function readOutbox(dir: string): Promise<StoredMessage[]> {
  let files: string[];
  try {
    files = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const names = files.filter((file) => file.endsWith('.json') && !file.startsWith('.')).sort();
  return Promise.all(
    names.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as StoredMessage),
  );
}
