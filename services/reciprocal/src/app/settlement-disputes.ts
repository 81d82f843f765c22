import { authorize } from '@clubland/authz';
import { ClubError, invalidInput, notFound } from '@clubland/errors';
import { checkAdjustment, checkDispute } from '../domain/settlement.ts';
import { createSettlementQueries, type DisputeRow, type LineRow } from '../store/settlement-queries.ts';
import type { ReciprocalDeps, UseCaseContext } from './deps.ts';
import { recordLedgerEntry } from './ledger-port.ts';

/**
 * Disputes: during the window after issue, either club of a statement contests a visit line with a
 * reason; the other club (or a network admin acting for it) resolves it with an adjustment line:
 * never an edit of the line. Both facts go to the ledger port in their transaction.
 */

export async function disputeStatementLine(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  clubId: string,
  input: { lineId: string; reason: string },
): Promise<DisputeRow> {
  authorize(context.principal, 'settlement:manage', clubId);
  const principal = context.principal;
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > 1000)
    throw invalidInput('reason', 'reason must be 1-1000 characters');
  const now = context.clock();
  return deps.db.withTenant(clubId, async (tx) => {
    const settlement = createSettlementQueries(tx);
    // Row-level security: a line of another pair's statement reads as missing.
    const line = await settlement.findLine(input.lineId);
    if (!line) throw notFound('settlement line', input.lineId);
    const statement = (await settlement.findStatementById(line.statementId))!;
    const check = checkDispute(line, statement.disputableUntil, now);
    if (!check.ok) throw new ClubError(check.code, check.message, { lineId: line.id });
    const dispute: DisputeRow = {
      id: context.newId(),
      statementId: statement.id,
      lineId: line.id,
      clubAId: line.clubAId,
      clubBId: line.clubBId,
      raisedByClubId: clubId,
      raisedBy: principal.userId,
      reason,
      status: 'OPEN',
      raisedAt: now,
      resolvedBy: null,
      resolvedAt: null,
      adjustmentLineId: null,
    };
    // The unique index on line_id decides between two clubs contesting one line at once.
    if (!(await settlement.insertDispute(dispute))) {
      throw new ClubError('settlement.line_disputed', 'this line is contested already', { lineId: line.id });
    }
    await recordLedgerEntry(tx, {
      id: context.newId(),
      entityKind: 'settlement',
      entityId: dispute.id,
      fact: 'settlement.line_disputed',
      clubId,
      counterpartyClubId: otherClub(line, clubId),
      payload: { disputeId: dispute.id, statementId: statement.id, lineId: line.id, reason },
      at: now,
    });
    return dispute;
  });
}

export async function resolveDispute(
  deps: ReciprocalDeps,
  context: UseCaseContext,
  clubId: string,
  input: { disputeId: string; adjustment: number; note: string },
): Promise<{ dispute: DisputeRow; adjustment: LineRow }> {
  authorize(context.principal, 'settlement:manage', clubId);
  const principal = context.principal;
  const note = input.note.trim();
  if (note.length === 0 || note.length > 1000) throw invalidInput('note', 'note must be 1-1000 characters');
  const now = context.clock();
  return deps.db.withTenant(clubId, async (tx) => {
    const settlement = createSettlementQueries(tx);
    // FOR UPDATE: two resolutions of one dispute serialise; the second finds it RESOLVED.
    const dispute = await settlement.findDispute(input.disputeId, { forUpdate: true });
    if (!dispute) throw notFound('settlement dispute', input.disputeId);
    if (dispute.status !== 'OPEN') {
      throw new ClubError('settlement.dispute_resolved', 'this dispute is resolved already', {
        disputeId: dispute.id,
      });
    }
    if (dispute.raisedByClubId === clubId) {
      throw new ClubError(
        'settlement.own_dispute',
        'the other club resolves a dispute, not the one that raised it',
      );
    }
    const line = (await settlement.findLine(dispute.lineId))!;
    const check = checkAdjustment(line.amount, input.adjustment);
    if (!check.ok) throw new ClubError(check.code, check.message, { field: 'adjustment' });
    // FOR UPDATE on the statement: adjustments of one statement take line numbers one at a time.
    await settlement.findStatementById(dispute.statementId, { forUpdate: true });
    const adjustment: LineRow = {
      id: context.newId(),
      statementId: dispute.statementId,
      clubAId: line.clubAId,
      clubBId: line.clubBId,
      lineNo: await settlement.nextLineNo(dispute.statementId),
      kind: 'ADJUSTMENT',
      visitId: null,
      agreementId: line.agreementId,
      visitDate: line.visitDate,
      payerClubId: line.payerClubId,
      payeeClubId: line.payeeClubId,
      amount: input.adjustment,
      currency: line.currency,
      adjustsLineId: line.id,
      note,
      createdAt: now,
    };
    await settlement.insertLines([adjustment]);
    const resolved = await settlement.resolveDispute(dispute.id, principal.userId, now, adjustment.id);
    await recordLedgerEntry(tx, {
      id: context.newId(),
      entityKind: 'settlement',
      entityId: dispute.id,
      fact: 'settlement.dispute_resolved',
      clubId,
      counterpartyClubId: dispute.raisedByClubId,
      payload: {
        disputeId: dispute.id,
        lineId: line.id,
        adjustmentLineId: adjustment.id,
        amount: input.adjustment,
      },
      at: now,
    });
    return { dispute: resolved, adjustment };
  });
}

function otherClub(line: { clubAId: string; clubBId: string }, clubId: string): string {
  return line.clubAId === clubId ? line.clubBId : line.clubAId;
}
