import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthService as AuthServiceObject } from '@clubland/auth-service';
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
import { VisitService } from '@clubland/contract/reciprocal/v1/visits';
import type { Logger } from '@clubland/log';
import { createRpcClient } from '@clubland/rpc';
import type { Transport } from '@connectrpc/connect';
import { bootstrapCredentials } from '../bootstrap-admin.ts';
import type { NotifierTap } from '../notifier-tap.ts';
import { type DemoSeedResult, seedDemoNetwork } from './seed-demo.ts';

/**
 * Whether `clubland start` may seed the demo network: only on the embedded database (never with
 * DATABASE_URL: a real installation gets nothing it did not ask for), never in production (its
 * accounts share a published password), only when its data directory holds no database yet (so
 * nothing is ever seeded twice), and unless CLUBLAND_DEMO=false or --no-demo. Asked before the
 * database is opened, which creates it.
 */
export function shouldSeedDemoAtStart(config: AppConfig, isDemoAllowed: boolean): boolean {
  if (config.NODE_ENV === 'production') return false;
  if (config.DATABASE_URL || !config.CLUBLAND_DEMO || !isDemoAllowed) return false;
  return !existsSync(join(config.CLUBLAND_DATA_DIR, 'PG_VERSION'));
}

/** Seeds the demo network over the in-process transports, as the operator's bootstrap admin when there is one. */
export async function seedDemoAtFirstStart(options: {
  config: AppConfig;
  log: Logger;
  auth: Pick<AuthServiceObject, 'bootstrapNetworkAdmin'>;
  mail: NotifierTap;
  transports: {
    member: Transport;
    auth: Transport;
    reciprocal: Transport;
    club: Transport;
    notification: Transport;
    governance: Transport;
  };
}): Promise<DemoSeedResult> {
  const startedAt = Date.now();
  const { member, auth, reciprocal, club, notification, governance } = options.transports;
  const result = await seedDemoNetwork({
    clients: {
      clubRegistry: createRpcClient(ClubRegistryService, member),
      directory: createRpcClient(ClubDirectoryService, member),
      members: createRpcClient(MemberService, member),
      auth: createRpcClient(AuthService, auth),
      agreements: createRpcClient(AgreementService, reciprocal),
      letters: createRpcClient(LetterService, reciprocal),
      visits: createRpcClient(VisitService, reciprocal),
      facilities: createRpcClient(FacilityService, club),
      bookings: createRpcClient(BookingService, club),
      clubEvents: createRpcClient(ClubEventService, club),
      notifications: createRpcClient(NotificationService, notification),
      governance: createRpcClient(GovernanceService, governance),
      policies: createRpcClient(PolicyService, governance),
    },
    bootstrapNetworkAdmin: (input) => options.auth.bootstrapNetworkAdmin(input),
    mail: options.mail,
    log: options.log.child({ part: 'demo' }),
    admin: bootstrapCredentials(options.config),
  });
  options.log.info({ ...result.created, ms: Date.now() - startedAt }, 'demo network seeded on first start');
  return result;
}
