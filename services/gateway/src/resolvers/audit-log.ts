import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { AuthService } from '@clubland/contract/auth/v1';
import type { Client } from '@connectrpc/connect';
import { metaOf } from '../caller.ts';
import type { QueryResolvers } from '../generated/graphql.ts';
import { auditEntryOf } from './data-export.ts';
import { pageInfoOf } from './members.ts';

/**
 * The security audit log: GraphQL in, AuthService.ListAuditEntries out. The auth service checks
 * audit:read (network admins everywhere, club admins at their club) with the caller's token and
 * validates the filter and cursor itself.
 */

type AuthClient = Client<typeof AuthService>;

export function auditLogResolvers(auth: AuthClient): { Query: Pick<QueryResolvers, 'auditLog'> } {
  return {
    Query: {
      async auditLog(_root, args, { caller }) {
        await caller.requirePrincipal();
        const filter = args.filter ?? {};
        const first = args.first ?? 20;
        const after = args.after ?? '';
        const page = await auth.listAuditEntries({
          meta: metaOf(caller),
          clubId: filter.clubId ?? '',
          actorId: filter.actorId ?? '',
          subjectId: filter.subjectId ?? '',
          action: filter.action ?? '',
          ...(filter.from ? { from: timestampFromDate(filter.from as Date) } : {}),
          ...(filter.to ? { to: timestampFromDate(filter.to as Date) } : {}),
          first,
          after,
        });
        return {
          nodes: page.entries.map(auditEntryOf),
          pageInfo: {
            ...pageInfoOf(
              after === '' ? 1 : 0,
              first,
              page.totalCount,
              page.hasNextPage,
              page.endCursor || null,
            ),
            hasPrevPage: after !== '',
          },
        };
      },
    },
  };
}
