import { authorize, can, type Principal } from '@clubland/authz';
import { assertClubId } from '@clubland/db';
import { invalidInput, notFound } from '@clubland/errors';
import { createTemplateQueries, type TemplateRow } from '../store/template-queries.ts';
import { CHANNELS, type Channel, type NotificationDeps, type UseCaseContext } from './deps.ts';
import { idOf, type PageInput, pageOf, signedIn } from './inbox.ts';

/**
 * A club's own templates: read and written by its staff (notification:send), inside the club's
 * tenant transaction, so row-level security keeps every club to its own.
 */

export interface TemplateInput {
  name?: string | undefined;
  channel?: string | undefined;
  bodyTemplate?: string | undefined;
  htmlTemplate?: string | null | undefined;
  variables?: string[] | undefined;
  isActive?: boolean | undefined;
}

/** The club a template call acts in: the one named, else the caller's first club where they may send. */
function clubOf(principal: Principal, requested: string): string {
  if (requested !== '') {
    const clubId = assertClubId(requested);
    authorize(principal, 'notification:send', clubId);
    return clubId;
  }
  const clubs = [principal.homeClubId, ...principal.grants.map((grant) => grant.clubId)];
  const clubId = clubs.find((club): club is string => !!club && can(principal, 'notification:send', club));
  authorize(principal, 'notification:send', clubId ?? principal.homeClubId ?? null);
  return clubId!;
}

/** Clubs where the caller may manage templates: a template named by id alone is looked for there. */
function clubsOf(principal: Principal): string[] {
  const clubs = new Set<string>();
  for (const club of [principal.homeClubId, ...principal.grants.map((grant) => grant.clubId)])
    if (club && can(principal, 'notification:send', club)) clubs.add(club);
  return [...clubs];
}

function checked(row: TemplateRow): TemplateRow {
  row.name = row.name.trim();
  if (row.name.length < 1 || row.name.length > 100)
    throw invalidInput('name', 'name must be 1-100 characters');
  if (!(CHANNELS as readonly string[]).includes(row.channel))
    throw invalidInput('channel', `channel must be one of ${CHANNELS.join(', ')}`);
  if (row.bodyTemplate.length < 1 || row.bodyTemplate.length > 10_000)
    throw invalidInput('bodyTemplate', 'bodyTemplate must be 1-10000 characters');
  if (row.htmlTemplate !== null && row.htmlTemplate.length > 50_000)
    throw invalidInput('htmlTemplate', 'htmlTemplate must be at most 50000 characters');
  if (row.variables.length > 100 || row.variables.some((name) => !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)))
    throw invalidInput('variables', 'variables must be names (letters, digits, _), at most 100');
  return row;
}

export async function createTemplate(
  deps: NotificationDeps,
  context: UseCaseContext,
  clubId: string,
  input: TemplateInput,
): Promise<TemplateRow> {
  const principal = signedIn(context.principal);
  const club = clubOf(principal, clubId);
  const now = context.clock();
  const row = checked({
    id: context.newId(),
    clubId: club,
    name: input.name ?? '',
    channel: (input.channel ?? '') as Channel,
    eventType: null,
    locale: 'en',
    bodyTemplate: input.bodyTemplate ?? '',
    htmlTemplate: input.htmlTemplate ?? null,
    variables: input.variables ?? [],
    isActive: true,
    createdBy: principal.userId,
    createdAt: now,
    updatedAt: now,
  });
  return deps.db.withTenant(club, (tx) => createTemplateQueries(tx).insert(row));
}

async function findTemplate(
  deps: NotificationDeps,
  principal: Principal,
  id: string,
): Promise<{ clubId: string; row: TemplateRow } | null> {
  for (const clubId of clubsOf(principal)) {
    const row = await deps.db.readAtOnce(clubId, (tx) => createTemplateQueries(tx).find(id));
    if (row) return { clubId, row };
  }
  return null;
}

export async function getTemplate(
  deps: NotificationDeps,
  context: UseCaseContext,
  id: string,
): Promise<TemplateRow> {
  const principal = signedIn(context.principal);
  const found = await findTemplate(deps, principal, idOf(id));
  if (!found) throw notFound('notificationTemplate', id);
  return found.row;
}

export async function updateTemplate(
  deps: NotificationDeps,
  context: UseCaseContext,
  id: string,
  input: TemplateInput,
): Promise<TemplateRow> {
  const principal = signedIn(context.principal);
  const found = await findTemplate(deps, principal, idOf(id));
  if (!found) throw notFound('notificationTemplate', id);
  return deps.db.withTenant(found.clubId, async (tx) => {
    const templates = createTemplateQueries(tx);
    const current = await templates.find(found.row.id, true);
    if (!current) throw notFound('notificationTemplate', id);
    const next = checked({
      ...current,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.bodyTemplate !== undefined ? { bodyTemplate: input.bodyTemplate } : {}),
      ...(input.htmlTemplate !== undefined ? { htmlTemplate: input.htmlTemplate } : {}),
      ...(input.variables !== undefined ? { variables: input.variables } : {}),
      ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
      updatedAt: context.clock(),
    });
    return templates.update(next);
  });
}

export async function deleteTemplate(
  deps: NotificationDeps,
  context: UseCaseContext,
  id: string,
): Promise<boolean> {
  const principal = signedIn(context.principal);
  const found = await findTemplate(deps, principal, idOf(id));
  if (!found) throw notFound('notificationTemplate', id);
  return deps.db.withTenant(found.clubId, (tx) => createTemplateQueries(tx).delete(found.row.id));
}

export async function listTemplates(
  deps: NotificationDeps,
  context: UseCaseContext,
  input: PageInput & { clubId: string; channel: string },
): Promise<{ rows: TemplateRow[]; total: number; page: number; pageSize: number }> {
  const principal = signedIn(context.principal);
  const club = clubOf(principal, input.clubId);
  const { page, pageSize } = pageOf(input);
  if (input.channel !== '' && !(CHANNELS as readonly string[]).includes(input.channel))
    throw invalidInput('channel', `channel must be one of ${CHANNELS.join(', ')}`);
  const channel = input.channel === '' ? null : (input.channel as Channel);
  const result = await deps.db.withTenant(club, (tx) =>
    createTemplateQueries(tx).page(channel, pageSize, (page - 1) * pageSize),
  );
  return { ...result, page, pageSize };
}
