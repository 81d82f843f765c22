import { createAnalyticsService } from '@clubland/analytics-service';
import { createAuthService, createClubDirectory } from '@clubland/auth-service';
import type { Bus } from '@clubland/bus';
import type { Cache } from '@clubland/cache';
import { createBookingPeople, createClubService, createEventMembers } from '@clubland/club-service';
import { type AppConfig, refuseDevelopmentSecrets } from '@clubland/config';
import { AuthService } from '@clubland/contract/auth/v1';
import { ClubRegistryService } from '@clubland/contract/member/v1';
import { ClubDirectoryService } from '@clubland/contract/member/v1/directory';
import { MemberService } from '@clubland/contract/member/v1/members';
import { MailService } from '@clubland/contract/notification/v1/mail';
import type { Db } from '@clubland/db';
import { createGovernanceService } from '@clubland/governance-service';
import { createLedgerService, type LedgerServiceOptions, ledgerTarget } from '@clubland/ledger-service';
import { type Logger, serviceLogger } from '@clubland/log';
import { createAccountDirectory, createMemberService, lateAccountsClient } from '@clubland/member-service';
import {
  createClubBrands,
  createMemberContacts,
  notifierOverMailService,
} from '@clubland/notification-service';
import {
  createClubFacts,
  createMemberDirectory,
  createReciprocalService,
  createVisitorDirectory,
} from '@clubland/reciprocal-service';
import { createInMemoryTransport, createRpcClient } from '@clubland/rpc';
import type { Client, Transport } from '@connectrpc/connect';
import { authSettingsFrom } from './auth-wiring.ts';
import { notificationServiceFrom } from './notification-wiring.ts';
import type { NotifierTap } from './notifier-tap.ts';
import type { Shutdown } from './shutdown.ts';

/** Each service's in-memory transport: what the gateway and one-off commands build clients on. */
export interface InProcessTransports {
  member: Transport;
  auth: Transport;
  reciprocal: Transport;
  ledger: Transport;
  club: Transport;
  notification: Transport;
  governance: Transport;
  analytics: Transport;
}

/**
 * The seven services in this process on one database, bus and cache, each asking the others through
 * in-memory transports (the same handlers and interceptors as gRPC, no bytes): what `clubland
 * start` runs all-in-one and what one-off commands (`clubland seed`, `clubland admin create`) open.
 * Each service's closer goes to `shutdown`, which runs them in reverse.
 *
 * The notification and analytics services start first: on the in-process bus a consumer hears only
 * what is published after it subscribes (analytics would miss the demo's first members), and closing
 * last they still hear what the others' outboxes flush as they stop. Their questions to the member
 * service (clubs' names, members' contacts, clubs' time zones) are asked only when a text is made
 * or a report read, by then the member service is up.
 */
export async function startServicesInProcess(
  config: AppConfig,
  log: Logger,
  shutdown: Shutdown,
  parts: { db: Db; bus: Bus; cache: Cache; mail: NotifierTap },
) {
  const { db, bus, cache, mail } = parts;
  // Bound once the member service exists (below).
  let memberClients: {
    registry: Client<typeof ClubRegistryService>;
    members: Client<typeof MemberService>;
    directory: Client<typeof ClubDirectoryService>;
  };
  const notification = await notificationServiceFrom(config, {
    db,
    bus,
    log: serviceLogger(log, 'notification'),
    mail: mail.notifier,
    observeMail: mail.observe,
    clubs: createClubBrands({ getClub: (request) => memberClients.registry.getClub(request) }),
    contacts: createMemberContacts({
      getMemberContact: (request) => memberClients.members.getMemberContact(request),
    }),
  });
  await notification.start();
  shutdown.add('notification', () => notification.stop());
  const notificationTransport = createInMemoryTransport(notification.register, log);

  const analytics = await createAnalyticsService({
    db,
    bus,
    log: serviceLogger(log, 'analytics'),
    clubDirectory: { getClubProfiles: (request) => memberClients.directory.getClubProfiles(request) },
  });
  await analytics.start();
  shutdown.add('analytics', () => analytics.stop());

  // The member service asks the auth service about accounts, which asks it about clubs: the
  // member service comes first, its accounts client bound once the auth service exists.
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
  memberClients = {
    registry: createRpcClient(ClubRegistryService, memberTransport),
    members: createRpcClient(MemberService, memberTransport),
    directory: createRpcClient(ClubDirectoryService, memberTransport),
  };

  const auth = await createAuthService({
    db,
    bus,
    cache,
    log: serviceLogger(log, 'auth'),
    // Its verification, reset and invitation mails go through the notification service (MailService).
    notifier: notifierOverMailService(createRpcClient(MailService, notificationTransport)),
    clubs: createClubDirectory(memberClients.registry),
    settings: authSettingsFrom(config),
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
  await auth.start();
  shutdown.add('auth', () => auth.stop());
  const authTransport = createInMemoryTransport(auth.register, log);
  accounts.bind(createRpcClient(AuthService, authTransport));

  // Before the reciprocal service, so its first ledger request finds its consumer.
  const ledger = await createLedgerService(ledgerOptions(config, db, bus, serviceLogger(log, 'ledger')));
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

  const governance = await createGovernanceService({
    db,
    bus,
    log: serviceLogger(log, 'governance'),
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    members: createRpcClient(MemberService, memberTransport),
    clubDirectory: createRpcClient(ClubDirectoryService, memberTransport),
    scheduleIntervalMs: config.GOVERNANCE_SCHEDULE_INTERVAL_MS,
  });
  await governance.start();
  shutdown.add('governance', () => governance.stop());

  const transports: InProcessTransports = {
    member: memberTransport,
    auth: authTransport,
    reciprocal: createInMemoryTransport(reciprocal.register, log),
    ledger: createInMemoryTransport(ledger.register, log),
    club: createInMemoryTransport(club.register, log),
    notification: notificationTransport,
    governance: createInMemoryTransport(governance.register, log),
    analytics: createInMemoryTransport(analytics.register, log),
  };
  return { auth, transports };
}

/** The ledger service's options from configuration; production refuses the development key. */
export function ledgerOptions(config: AppConfig, db: Db, bus: Bus, log: Logger): LedgerServiceOptions {
  refuseDevelopmentSecrets(config);
  return {
    db,
    bus,
    log,
    keyEncryptionKey: config.LEDGER_KEY_ENCRYPTION_KEY,
    maxBlockEntries: config.LEDGER_BLOCK_MAX_ENTRIES,
    blockIntervalMs: config.LEDGER_BLOCK_INTERVAL_MS,
    outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    ...ledgerTarget(config),
  };
}
