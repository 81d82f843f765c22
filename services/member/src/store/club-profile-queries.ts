import type { Queryable } from '@clubland/db';
import type { ClubStatus } from '../domain/club.ts';
import type { ClubProfilePatch, ClubSettings, OpeningHours } from '../domain/club-profile.ts';
import type { Address } from '../domain/member.ts';

export interface ClubProfileRow {
  id: string;
  name: string;
  slug: string;
  description: string;
  location: string;
  website: string;
  status: ClubStatus;
  address: Address | null;
  latitude: number | null;
  longitude: number | null;
  contactEmail: string;
  contactPhone: string;
  logoUrl: string;
  amenities: string[];
  operatingHours: OpeningHours[];
  images: string[];
  settings: ClubSettings;
  timezone: string;
  currency: string;
  isFeatured: boolean;
  averageRating: number;
  reviewCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ClubSearchRow extends ClubProfileRow {
  distanceKm: number | null;
  relevance: number;
}

export interface ClubCriteria {
  status: ClubStatus | null;
  text: string;
  isFeatured: boolean | null;
  city: string;
  country: string;
  /** Lower-case; a club must offer all of them. */
  amenities: string[];
  near: { latitude: number; longitude: number } | null;
  /** Kilometres; 0 means no limit. */
  radiusKm: number;
  limit: number;
  offset: number;
}

const PROFILE_COLUMNS = `c.id, c.name, c.slug, c.description, c.location, c.website, c.status, c.address,
  c.latitude, c.longitude, c.contact_email AS "contactEmail", c.contact_phone AS "contactPhone",
  c.logo_url AS "logoUrl", c.amenities, c.operating_hours AS "operatingHours", c.images, c.settings,
  c.timezone, c.currency, c.is_featured AS "isFeatured",
  coalesce(r.average, 0)::float8 AS "averageRating", coalesce(r.total, 0)::int AS "reviewCount",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;
const REVIEW_SUMMARY = `LEFT JOIN LATERAL (
    SELECT avg(rating) AS average, count(*) AS total FROM member.club_reviews WHERE club_id = c.id
  ) r ON true`;
const HAYSTACK = `(c.name || ' ' || c.description || ' ' || c.location || ' ' || coalesce(c.address->>'city', '') || ' ' || coalesce(c.address->>'country', ''))`;

const PATCH_COLUMNS: Record<keyof ClubProfilePatch, { column: string; json?: true }> = {
  description: { column: 'description' },
  location: { column: 'location' },
  website: { column: 'website' },
  address: { column: 'address', json: true },
  latitude: { column: 'latitude' },
  longitude: { column: 'longitude' },
  contactEmail: { column: 'contact_email' },
  contactPhone: { column: 'contact_phone' },
  logoUrl: { column: 'logo_url' },
  amenities: { column: 'amenities', json: true },
  operatingHours: { column: 'operating_hours', json: true },
  images: { column: 'images', json: true },
  settings: { column: 'settings', json: true },
  timezone: { column: 'timezone' },
  currency: { column: 'currency' },
  isFeatured: { column: 'is_featured' },
};

/** The directory's queries on member.clubs (network data, no tenant needed). */
export function createClubProfileQueries(db: Queryable) {
  return {
    async findByIds(ids: readonly string[]): Promise<ClubProfileRow[]> {
      if (ids.length === 0) return [];
      const { rows } = await db.query<ClubProfileRow>(
        `SELECT ${PROFILE_COLUMNS} FROM member.clubs c ${REVIEW_SUMMARY} WHERE c.id = ANY($1::uuid[])`,
        [ids],
      );
      return rows;
    },

    async update(id: string, patch: ClubProfilePatch, now: Date): Promise<boolean> {
      const params: unknown[] = [id, now];
      const sets = ['updated_at = $2'];
      for (const [field, value] of Object.entries(patch) as [keyof ClubProfilePatch, unknown][]) {
        if (value === undefined) continue;
        const target = PATCH_COLUMNS[field];
        params.push(target.json ? JSON.stringify(value) : value);
        sets.push(`${target.column} = $${params.length}${target.json ? '::jsonb' : ''}`);
      }
      const { rowCount } = await db.query(`UPDATE member.clubs SET ${sets.join(', ')} WHERE id = $1`, params);
      return rowCount > 0;
    },

    /** Clubs matching the criteria, one page of them, and how many match in all. */
    async search(criteria: ClubCriteria): Promise<{ rows: ClubSearchRow[]; total: number }> {
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      const where: string[] = ['true'];
      let relevance = '0::float8';
      if (criteria.status) where.push(`c.status = ${param(criteria.status)}`);
      if (criteria.isFeatured !== null) where.push(`c.is_featured = ${param(criteria.isFeatured)}`);
      if (criteria.city) where.push(`lower(c.address->>'city') = lower(${param(criteria.city)})`);
      if (criteria.country) where.push(`lower(c.address->>'country') = lower(${param(criteria.country)})`);
      if (criteria.amenities.length > 0)
        where.push(`c.amenities @> ${param(JSON.stringify(criteria.amenities))}::jsonb`);
      if (criteria.text !== '') {
        const like = param(`%${criteria.text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
        const query = param(criteria.text);
        const vector = `to_tsvector('simple', ${HAYSTACK})`;
        where.push(`(${HAYSTACK} ILIKE ${like} OR ${vector} @@ plainto_tsquery('simple', ${query}))`);
        // A name match outranks a match in the description or place.
        relevance = `(ts_rank(${vector}, plainto_tsquery('simple', ${query})) + CASE WHEN c.name ILIKE ${like} THEN 1 ELSE 0 END)::float8`;
      }
      let distance = 'NULL::float8';
      if (criteria.near) {
        const lat = param(criteria.near.latitude);
        const lon = param(criteria.near.longitude);
        // Haversine on a sphere of the Earth's mean radius; least(1, ...) guards asin against rounding.
        distance = `(6371.0088 * 2 * asin(least(1, sqrt(
          power(sin(radians(c.latitude - ${lat}::float8) / 2), 2)
          + cos(radians(${lat}::float8)) * cos(radians(c.latitude))
            * power(sin(radians(c.longitude - ${lon}::float8) / 2), 2)))))`;
        if (criteria.radiusKm > 0)
          where.push(`c.latitude IS NOT NULL AND ${distance} <= ${param(criteria.radiusKm)}`);
      }
      const order = criteria.near
        ? `"distanceKm" ASC NULLS LAST, relevance DESC, c.name, c.id`
        : `relevance DESC, c.is_featured DESC, c.name, c.id`;
      const whereSql = where.join(' AND ');
      const countParams = [...params];
      // LIMIT and OFFSET stay parameters here, unlike limitSql's pages: the filters combine into
      // ~200 statement shapes (times six limits would crowd out the statement names), and text
      // search and distance are planned best for their actual values anyway.
      const { rows } = await db.query<ClubSearchRow>(
        `SELECT ${PROFILE_COLUMNS}, ${distance} AS "distanceKm", ${relevance} AS relevance
         FROM member.clubs c ${REVIEW_SUMMARY}
         WHERE ${whereSql}
         ORDER BY ${order} LIMIT ${param(criteria.limit)} OFFSET ${param(criteria.offset)}`,
        params,
      );
      const counted = await db.query<{ n: number }>(
        // The distance stays in the select list so every parameter of the page query is used here too.
        `SELECT count(*)::int AS n FROM (SELECT ${distance} AS d FROM member.clubs c WHERE ${whereSql}) matched`,
        countParams,
      );
      return { rows, total: counted.rows[0]?.n ?? 0 };
    },
  };
}
