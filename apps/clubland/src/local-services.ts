import { join } from 'node:path';
import type { AppConfig } from '@clubland/config';
import { AuthService } from '@clubland/contract/auth/v1';
import { BookingService } from '@clubland/contract/club/v1/bookings';
import { ClubEventService } from '@clubland/contract/club/v1/events';
import { FacilityService } from '@clubland/contract/club/v1/facilities';
import { GovernanceService } from '@clubland/contract/governance/v1';
import { PolicyService } from '@clubland/contract/governance/v1/policies';
import { ClubRegistryService } from '@clubland/contract/member/v1';
import { ClubDirectoryService } from '@clubland/contract/member/v1/directory';
import { MemberService } from '@clubland/contract/member/v1/members';
import { NotificationService } from '@clubland/contract/notification/v1';
import { AgreementService } from '@clubland/contract/reciprocal/v1/agreements';
import { LetterService } from '@clubland/contract/reciprocal/v1/letters';
import { SettlementService } from '@clubland/contract/reciprocal/v1/settlement';
import { VisitService } from '@clubland/contract/reciprocal/v1/visits';
import type { Logger } from '@clubland/log';
import { createFileNotifier } from '@clubland/notify';
import { createRpcClient } from '@clubland/rpc';
import { openMigratedDb } from './database.ts';
import { startServicesInProcess } from './in-process.ts';
import { openBus, openCache } from './infrastructure.ts';
import { createNotifierTap } from './notifier-tap.ts';
import { createShutdown } from './shutdown.ts';

/**
 * The notification, analytics, member, auth, ledger, reciprocal, club and governance services in this process, for one-off commands (`clubland seed`,
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
    const { auth, transports } = await startServicesInProcess(config, log, shutdown, {
      db,
      bus,
      cache,
      mail,
    });

    return {
      db,
      auth,
      mail,
      clients: {
        clubRegistry: createRpcClient(ClubRegistryService, transports.member),
        directory: createRpcClient(ClubDirectoryService, transports.member),
        members: createRpcClient(MemberService, transports.member),
        auth: createRpcClient(AuthService, transports.auth),
        agreements: createRpcClient(AgreementService, transports.reciprocal),
        letters: createRpcClient(LetterService, transports.reciprocal),
        visits: createRpcClient(VisitService, transports.reciprocal),
        settlement: createRpcClient(SettlementService, transports.reciprocal),
        facilities: createRpcClient(FacilityService, transports.club),
        bookings: createRpcClient(BookingService, transports.club),
        clubEvents: createRpcClient(ClubEventService, transports.club),
        notifications: createRpcClient(NotificationService, transports.notification),
        governance: createRpcClient(GovernanceService, transports.governance),
        policies: createRpcClient(PolicyService, transports.governance),
      },
      /** Flushes the outboxes and closes everything, in reverse order of opening. */
      close: () => shutdown.closeAll(),
    };
  } catch (error) {
    await shutdown.closeAll();
    throw error;
  }
}
