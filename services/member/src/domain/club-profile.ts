import { z } from 'zod';
import { type Address, addressSchema, type Checked } from './member.ts';

/** Pure rules for a club's directory profile and its reviews. */

export interface ClubSettings {
  allowReciprocal: boolean;
  requireApproval: boolean;
  /** 0: no limit. */
  maxVisitsPerMonth: number;
  reciprocalFee: number;
}

export interface OpeningHours {
  day: string;
  opens: string;
  closes: string;
}

export const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => value === '' || /^https?:\/\/[^\s]+$/.test(value), 'must be an http(s) URL');

const profilePatchSchema = z
  .object({
    description: z.string().trim().max(5000),
    location: z.string().trim().max(200),
    website: httpUrl,
    address: addressSchema,
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    contactEmail: z.union([
      z.literal(''),
      z.string().trim().max(254).pipe(z.email('must be an email address')),
    ]),
    contactPhone: z.string().trim().max(40),
    logoUrl: httpUrl,
    // Stored lower-case so amenity filters match whatever case the client sends.
    amenities: z.array(z.string().trim().toLowerCase().min(1).max(60)).max(100),
    operatingHours: z
      .array(z.object({ day: z.string().trim().toUpperCase().pipe(z.enum(DAYS)), opens: hhmm, closes: hhmm }))
      .max(21),
    images: z.array(httpUrl).max(50),
    settings: z.object({
      allowReciprocal: z.boolean(),
      requireApproval: z.boolean(),
      maxVisitsPerMonth: z.number().int().min(0).max(1000),
      reciprocalFee: z.number().min(0).max(1_000_000),
    }),
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/London'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code, e.g. GBP'),
    isFeatured: z.boolean(),
  })
  .partial()
  .refine((patch) => (patch.latitude === undefined) === (patch.longitude === undefined), {
    message: 'latitude and longitude go together',
    path: ['latitude'],
  });

export type ClubProfilePatchInput = z.input<typeof profilePatchSchema>;
export type ClubProfilePatch = z.output<typeof profilePatchSchema> & { address?: Address };

export function checkClubProfilePatch(input: ClubProfilePatchInput): Checked<ClubProfilePatch> {
  const result = profilePatchSchema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || 'input';
  return { ok: false, field, message: `${field} ${issue.message}` };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The author a review shows once its writer's member data was erased, in every club: the rating and
 * the comment stay (the club's record of what was said), the name the writer chose does not.
 */
export const ERASED_AUTHOR = 'Former member';

export interface NewReview {
  rating: number;
  comment: string;
  author: string;
}

export function checkReview(input: NewReview): Checked<NewReview> {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) {
    return { ok: false, field: 'rating', message: 'rating must be a whole number from 1 to 5' };
  }
  const comment = input.comment.trim();
  if (comment.length > 2000)
    return { ok: false, field: 'comment', message: 'comment must be at most 2000 characters' };
  const author = input.author.trim();
  if (author.length > 100)
    return { ok: false, field: 'author', message: 'author must be at most 100 characters' };
  return { ok: true, value: { rating: input.rating, comment, author } };
}
