import { authorize, can, type Principal } from '@clubland/authz';
import { invalidInput, isUuid } from '@clubland/errors';
import { z } from 'zod';
import { type AuditEntryRow, type AuditFilter, createAuditQueries } from '../store/audit-queries.ts';
import { currentPrincipal, requireCaller } from './access.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';

export interface AuditLogRequest {
  /** Empty: every club the caller may read (a network admin), else the caller's home club. */
  clubId: string;
  actorId: string;
  subjectId: string;
  action: string;
  from: Date | null;
  to: Date | null;
  /** 1-100. */
  first: number;
  /** An end cursor of a previous page; empty for the first. */
  after: string;
}

export interface AuditPage {
  entries: AuditEntryRow[];
  endCursor: string;
  hasNextPage: boolean;
  totalCount: number;
}

const MAX_PAGE_SIZE = 100;
const ACTION = /^[a-z_]+(\.[a-z_]+)+$/;
const cursorSchema = z.object({ i: z.string().regex(/^[1-9]\d{0,17}$/) });

/**
 * The security audit log, newest first, one page at a time (keyset by entry id: entries written
 * during a walk never shift it). Needs audit:read where it reads: a network admin reads every
 * club's entries and the network-wide ones, a club admin their club's only; anyone else is
 * refused. Grants are today's (currentPrincipal), not those frozen into the token.
 */
export async function listAuditEntries(
  deps: AuthDeps,
  meta: RequestMeta,
  request: AuditLogRequest,
): Promise<AuditPage> {
  const caller = await requireCaller(deps, meta);
  const checked = checkRequest(request);
  return deps.db.transaction(async (tx) => {
    const principal = await currentPrincipal(tx, caller);
    const filter: AuditFilter = { ...checked.filter, clubId: scopeOf(principal, checked.filter.clubId) };
    const { rows, total } = await createAuditQueries(tx).page(filter, checked.beforeId, checked.pageSize + 1);
    const shown = rows.slice(0, checked.pageSize);
    const last = shown.at(-1);
    return {
      entries: shown,
      endCursor: last ? encodeCursor(last.id) : request.after,
      hasNextPage: rows.length > checked.pageSize,
      totalCount: total,
    };
  });
}

/** The club to read (null: all of them), once the caller is known to hold audit:read there. */
function scopeOf(principal: Principal, clubId: string | null): string | null {
  if (clubId !== null) {
    authorize(principal, 'audit:read', clubId);
    return clubId;
  }
  if (can(principal, 'audit:read', null)) return null;
  authorize(principal, 'audit:read', principal.homeClubId);
  return principal.homeClubId;
}

function checkRequest(request: AuditLogRequest): {
  filter: AuditFilter;
  beforeId: string | null;
  pageSize: number;
} {
  const pageSize = request.first;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw invalidInput('first', `first must be 1-${MAX_PAGE_SIZE}`);
  if (request.action !== '' && (request.action.length > 100 || !ACTION.test(request.action)))
    throw invalidInput('action', 'action must be an action name such as role.granted');
  checkTime(request.from, 'from');
  checkTime(request.to, 'to');
  if (request.from && request.to && request.from.getTime() >= request.to.getTime())
    throw invalidInput('to', 'to must be after from');
  return {
    filter: {
      clubId: optionalId(request.clubId, 'clubId'),
      actorId: optionalId(request.actorId, 'actorId'),
      subjectId: optionalId(request.subjectId, 'subjectId'),
      event: request.action === '' ? null : request.action,
      from: request.from,
      to: request.to,
    },
    beforeId: request.after === '' ? null : decodeCursor(request.after),
    pageSize,
  };
}

/** Within what PostgreSQL stores and people mean: years 1-9999. */
function checkTime(value: Date | null, field: string): void {
  if (value === null) return;
  const year = value.getUTCFullYear();
  if (Number.isNaN(value.getTime()) || year < 1 || year > 9999)
    throw invalidInput(field, `${field} must be an instant between the years 1 and 9999`);
}

function optionalId(value: string, field: string): string | null {
  if (value === '') return null;
  if (!isUuid(value)) throw invalidInput(field, `${field} must be an id (UUID)`);
  return value.toLowerCase();
}

function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ i: id })).toString('base64url');
}

function decodeCursor(text: string): string {
  try {
    if (text.length <= 200) {
      return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))).i;
    }
  } catch {
    // falls through to the one error below
  }
  throw invalidInput('after', 'after must be an endCursor from a previous page of the audit log');
}
