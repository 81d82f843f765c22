export {
  createFileNotifier,
  type FileNotifierOptions,
  readOutbox,
  type StoredMessage,
} from './file-notifier.ts';
export type { NotificationMessage, Notifier } from './notifier.ts';
