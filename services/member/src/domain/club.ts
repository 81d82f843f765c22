/**
 * Pure rules for a club's registry entry. No I/O: the use case asks, then acts.
 * Expected failures are values (`{ ok: false }`), the use case turns them into typed errors.
 */
export const CLUB_STATUSES = ['ACTIVE', 'INACTIVE', 'SUSPENDED'] as const;
export type ClubStatus = (typeof CLUB_STATUSES)[number];

export interface NewClub {
  name: string;
  slug: string;
  description: string;
  location: string;
  website: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; field: keyof NewClub; message: string };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LIMITS = { name: 200, slug: 63, description: 5000, location: 200, website: 2048 } as const;

/** The registry fields of an edit; unset fields keep their value. */
export type ClubPatch = Partial<NewClub>;

/** Checks the fields that are set, with the same rules as a new club. */
export function checkClubPatch(input: ClubPatch): Checked<ClubPatch> {
  const present = (Object.keys(input) as (keyof NewClub)[]).filter((field) => input[field] !== undefined);
  // Fill the absent fields with values that pass, check the whole, then keep only what was set.
  const filler: NewClub = { name: 'x', slug: 'xxx', description: '', location: '', website: '' };
  const checked = checkNewClub({ ...filler, ...definedOnly(input) });
  if (!checked.ok) return checked;
  return { ok: true, value: Object.fromEntries(present.map((field) => [field, checked.value[field]])) };
}

function definedOnly(input: ClubPatch): ClubPatch {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

export type StatusCheck =
  | { ok: true }
  | { ok: false; code: 'entity.conflict'; message: string }
  | { ok: false; code: 'request.invalid_input'; field: 'reason'; message: string };

/**
 * A club's status is the network's decision: any status may follow any other (a suspension is
 * lifted, a closed club reopens), but not itself, and never without a reason for the record.
 */
export function checkStatusChange(from: ClubStatus, to: ClubStatus, reason: string): StatusCheck {
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > 1000) {
    return {
      ok: false,
      code: 'request.invalid_input',
      field: 'reason',
      message: 'reason must be 1-1000 characters',
    };
  }
  if (from === to) return { ok: false, code: 'entity.conflict', message: `the club is already ${from}` };
  return { ok: true };
}

export function checkNewClub(input: NewClub): Checked<NewClub> {
  const club: NewClub = {
    name: input.name.trim(),
    slug: input.slug.trim(),
    description: input.description.trim(),
    location: input.location.trim(),
    website: input.website.trim(),
  };
  for (const field of Object.keys(LIMITS) as (keyof NewClub)[]) {
    if (club[field].length > LIMITS[field]) {
      return { ok: false, field, message: `${field} must be at most ${LIMITS[field]} characters` };
    }
  }
  if (club.name.length === 0) return { ok: false, field: 'name', message: 'name must not be empty' };
  if (club.slug.length < 3 || !SLUG.test(club.slug)) {
    return {
      ok: false,
      field: 'slug',
      message: 'slug must be 3-63 lower-case letters, digits and single hyphens, e.g. "the-reform-club"',
    };
  }
  if (club.website !== '' && !isHttpUrl(club.website)) {
    return { ok: false, field: 'website', message: 'website must be an http(s) URL' };
  }
  return { ok: true, value: club };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
