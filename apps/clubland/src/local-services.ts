import { join } from 'node:path';
import { createAuthService, createClubDirectory } from '@clubland/auth-service';
import { createBookingPeople, createClubService, createEventMembers } from '@clubland/club-service';
import { type AppConfig, refuseDevelopmentSecrets } from '@clubland/config';
import { AuthService } from '@clubland/contract/auth/v1';
import { BookingService } from '@clubland/contract/club/v1/bookings';
import { ClubEventService } from '@clubland/contract/club/v1/events';
import { FacilityService } from '@clubland/contract/club/v1/facilities';
import { ClubRegistryService } from '@clubland/contract/member/v1';
import { ClubDirectoryService } from '@clubland/contract/member/v1/directory';
import { MemberService } from '@clubland/contract/member/v1/members';
import { NotificationService } from '@clubland/contract/notification/v1';
import { MailService } from '@clubland/contract/notification/v1/mail';
import { AgreementService } from '@clubland/contract/reciprocal/v1/agreements';
import { LetterService } from '@clubland/contract/reciprocal/v1/letters';
import { SettlementService } from '@clubland/contract/reciprocal/v1/settlement';
import { VisitService } from '@clubland/contract/reciprocal/v1/visits';
import { createLedgerService, ledgerTarget } from '@clubland/ledger-service';
import { type Logger, serviceLogger } from '@clubland/log';
import { createAccountDirectory, createMemberService, lateAccountsClient } from '@clubland/member-service';
import {
  createClubBrands,
  createMemberContacts,
  notifierOverMailService,
} from '@clubland/notification-service';
import { createFileNotifier } from '@clubland/notify';
import {
  createClubFacts,
  createMemberDirectory,
  createReciprocalService,
  createVisitorDirectory,
} from '@clubland/reciprocal-service';
import { createInMemoryTransport, createRpcClient } from '@clubland/rpc';
import { authSettingsFrom } from './auth-wiring.ts';
import { openMigratedDb } from './database.ts';
import { openBus, openCache } from './infrastructure.ts';
import { notificationServiceFrom } from './notification-wiring.ts';
import { createNotifierTap } from './notifier-tap.ts';
import { createShutdown } from './shutdown.ts';

/**
 * The notification, member, auth, ledger, reciprocal and club services in this process, for one-off commands (`clubland seed`,
 * `clubland admin create`): the same adapters `start` would choose, in-memory transports, and
 * RPC clients over them. No port is opened. On PGlite a running `clubland start` on the same data
 * directory holds its lock (data-dir-lock.ts): the command stops at once, naming it.
 */
export async function openLocalServices(config: AppConfig, log: Logger) {
  const shutdown = createShutdown(log, config.SHUTDOWN_TIMEOUT_MS);
  try {
    const db = await openMigratedDb(config, log);
    shutdown.add('database', () => db.close());
    const bus = await openBus(config, log);
    shutdown.add('bus', () => bus.close());
    const cache = await openCache(config, log);
    shutdown.add('cache', () => cache.close());

    const mail = createNotifierTap(
      createFileNotifier({ dir: join(config.CLUBLAND_DATA_DIR, 'outbox', 'mail') }),
    );
    // First, so it hears the events of everything below (the in-process bus gives a consumer only
    // what is published after it subscribes), and closes last.
    const notification = await notificationServiceFrom(config, {
      db,
      bus,
      log: serviceLogger(log, 'notification'),
      mail: mail.notifier,
      observeMail: mail.observe,
      // The member service starts after it (below); its club registry is asked only when a text is made.
      clubs: createClubBrands({ getClub: (request) => clubRegistry.getClub(request) }),
      contacts: createMemberContacts({ getMemberContact: (request) => members.getMemberContact(request) }),
    });
    await notification.start();
    shutdown.add('notification', () => notification.stop());

    // Bound once the auth service exists (it needs the member service's club registry first).
    const accounts = lateAccountsClient();
    const member = await createMemberService({
      db,
      bus,
      log: serviceLogger(log, 'member'),
      accounts: createAccountDirectory(accounts),
      outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    });
    await member.start();
    shutdown.add('member', () => member.stop());
    const memberTransport = createInMemoryTransport(member.register, log);
    const clubRegistry = createRpcClient(ClubRegistryService, memberTransport);
    const members = createRpcClient(MemberService, memberTransport);

    const auth = await createAuthService({
      db,
      bus,
      cache,
      log: serviceLogger(log, 'auth'),
      // Its verification, reset and invitation mails go through the notification service (MailService).
      notifier: notifierOverMailService(
        createRpcClient(MailService, createInMemoryTransport(notification.register, log)),
      ),
      clubs: createClubDirectory(clubRegistry),
      settings: authSettingsFrom(config),
      outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    });
    await auth.start();
    shutdown.add('auth', () => auth.stop());
    const authTransport = createInMemoryTransport(auth.register, log);
    accounts.bind(createRpcClient(AuthService, authTransport));

    // Before the reciprocal service, so its ledger requests find their consumer.
    refuseDevelopmentSecrets(config);
    const ledger = await createLedgerService({
      db,
      bus,
      log: serviceLogger(log, 'ledger'),
      keyEncryptionKey: config.LEDGER_KEY_ENCRYPTION_KEY,
      maxBlockEntries: config.LEDGER_BLOCK_MAX_ENTRIES,
      blockIntervalMs: config.LEDGER_BLOCK_INTERVAL_MS,
      outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
      ...ledgerTarget(config),
    });
    await ledger.start();
    shutdown.add('ledger', () => ledger.stop());

    const reciprocal = await createReciprocalService({
      db,
      bus,
      log: serviceLogger(log, 'reciprocal'),
      clubs: createClubFacts(createRpcClient(ClubDirectoryService, memberTransport)),
      members: createMemberDirectory(createRpcClient(MemberService, memberTransport)),
      notifier: mail.notifier,
      visitors: createVisitorDirectory(createRpcClient(MemberService, memberTransport)),
      outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    });
    await reciprocal.start();
    shutdown.add('reciprocal', () => reciprocal.stop());
    const reciprocalTransport = createInMemoryTransport(reciprocal.register, log);

    const club = await createClubService({
      db,
      bus,
      log: serviceLogger(log, 'club'),
      outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
      eventMembers: createEventMembers(createRpcClient(MemberService, memberTransport)),
      clubDirectory: createRpcClient(ClubDirectoryService, memberTransport),
      bookers: createBookingPeople(createRpcClient(MemberService, memberTransport)),
    });
    await club.start();
    shutdown.add('club', () => club.stop());
    const clubTransport = createInMemoryTransport(club.register, log);

    return {
      db,
      auth,
      mail,
      clients: {
        clubRegistry,
        directory: createRpcClient(ClubDirectoryService, memberTransport),
        members: createRpcClient(MemberService, memberTransport),
        auth: createRpcClient(AuthService, authTransport),
        agreements: createRpcClient(AgreementService, reciprocalTransport),
        letters: createRpcClient(LetterService, reciprocalTransport),
        visits: createRpcClient(VisitService, reciprocalTransport),
        settlement: createRpcClient(SettlementService, reciprocalTransport),
        facilities: createRpcClient(FacilityService, clubTransport),
        bookings: createRpcClient(BookingService, clubTransport),
        clubEvents: createRpcClient(ClubEventService, clubTransport),
        notifications: createRpcClient(
          NotificationService,
          createInMemoryTransport(notification.register, log),
        ),
      },
      /** Flushes the outboxes and closes everything, in reverse order of opening. */
      close: () => shutdown.closeAll(),
    };
  } catch (error) {
    await shutdown.closeAll();
    throw error;
  }
}
