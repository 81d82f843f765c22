/**
 * Pure rules for a club's registry entry. No I/O: the use case asks, then acts.
 * Expected failures are values (`{ ok: false }`), the use case turns them into typed errors.
 */
export type ClubStatus = 'ACTIVE' | 'INACTIVE' | 'SUSPENDED';

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
