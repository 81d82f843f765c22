import { z } from 'zod';

/**
 * Pure rules for a member's record: what a well-formed member is. No I/O. Expected failures are
 * values naming the field; the use case turns them into BAD_USER_INPUT.
 */

/** The contract's MemberStatus. INACTIVE is where a membership ends (terminated, resigned). */
export const MEMBER_STATUSES = ['PENDING', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'INACTIVE'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** The contract types membershipType as a string; these are the values clubs use. */
export const MEMBERSHIP_TYPES = [
  'REGULAR',
  'PREMIUM',
  'VIP',
  'CORPORATE',
  'STUDENT',
  'SENIOR',
  'FAMILY',
  'HONORARY',
] as const;
export type MembershipType = (typeof MEMBERSHIP_TYPES)[number];

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
const required = (max: number) => text(max).min(1, 'must not be empty');
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()./-]{3,40}$/, 'must be a phone number, e.g. +44 20 7930 9374');
const email = z.string().trim().max(254).pipe(z.email('must be an email address'));
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'must be a real date');

export const addressSchema = z.object({
  street: required(200),
  city: required(100),
  state: text(100),
  postalCode: text(20),
  country: required(100),
});
export type Address = z.output<typeof addressSchema>;

export const emergencyContactSchema = z.object({
  name: required(200),
  relationship: required(100),
  phone,
  email: z.union([z.literal(''), email]),
});
export type EmergencyContact = z.output<typeof emergencyContactSchema>;

const tags = z.array(required(100)).max(50, 'at most 50 entries');
export const preferencesPatchSchema = z.object({
  receiveNewsletter: z.boolean().optional(),
  receivePromotions: z.boolean().optional(),
  allowDataSharing: z.boolean().optional(),
  preferredLanguage: z
    .string()
    .regex(/^([a-z]{2,3}(-[A-Za-z0-9]{2,8})*)?$/, 'must be a language tag, e.g. en-GB')
    .optional(),
  dietaryRestrictions: tags.optional(),
  interests: tags.optional(),
});
export type PreferencesPatch = z.output<typeof preferencesPatchSchema>;
export type MemberPreferences = Required<PreferencesPatch>;

/** Privacy by default: nothing is shared or sent until the member says so. */
export const DEFAULT_PREFERENCES: MemberPreferences = {
  receiveNewsletter: false,
  receivePromotions: false,
  allowDataSharing: false,
  preferredLanguage: '',
  dietaryRestrictions: [],
  interests: [],
};

export function mergePreferences(
  base: MemberPreferences,
  patch: PreferencesPatch | undefined,
): MemberPreferences {
  if (!patch) return base;
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  return { ...base, ...defined };
}

const profileFields = {
  firstName: required(100),
  lastName: required(100),
  email,
  // '' clears the optional fields on update.
  phone: z.union([z.literal(''), phone]),
  dateOfBirth: z.union([z.literal(''), isoDate]),
  address: addressSchema,
  emergencyContact: emergencyContactSchema,
  membershipType: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.enum(MEMBERSHIP_TYPES, { error: `must be one of ${MEMBERSHIP_TYPES.join(', ')}` })),
  expiresAt: z.date(),
  preferences: preferencesPatchSchema,
  notes: text(5000),
};

const newMemberSchema = z.object({
  memberNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9./_-]{0,39}$/, 'must be 1-40 letters, digits, . / _ or -'),
  ...profileFields,
  phone: profileFields.phone.optional(),
  dateOfBirth: profileFields.dateOfBirth.optional(),
  address: profileFields.address.optional(),
  emergencyContact: profileFields.emergencyContact.optional(),
  expiresAt: profileFields.expiresAt.optional(),
  preferences: profileFields.preferences.optional(),
  notes: profileFields.notes.optional(),
});
export type NewMemberInput = z.input<typeof newMemberSchema>;
export type NewMember = z.output<typeof newMemberSchema>;

const memberPatchSchema = z.object(profileFields).partial();
export type MemberPatchInput = z.input<typeof memberPatchSchema>;
export type MemberPatch = z.output<typeof memberPatchSchema>;

export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

function check<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || 'input';
  return { ok: false, field, message: `${field} ${issue.message}` };
}

export function checkNewMember(input: NewMemberInput, today: Date): Checked<NewMember> {
  const checked = check(newMemberSchema, input);
  return checked.ok ? checkDates(checked, checked.value, today) : checked;
}

export function checkMemberPatch(input: MemberPatchInput, today: Date): Checked<MemberPatch> {
  const checked = check(memberPatchSchema, input);
  return checked.ok ? checkDates(checked, checked.value, today) : checked;
}

function checkDates<T>(
  checked: Checked<T>,
  value: { dateOfBirth?: string | undefined },
  today: Date,
): Checked<T> {
  if (value.dateOfBirth && value.dateOfBirth > today.toISOString().slice(0, 10)) {
    return { ok: false, field: 'dateOfBirth', message: 'dateOfBirth must not be in the future' };
  }
  return checked;
}

/** The ledger identity a member keeps for life, erasure included. */
export function ledgerIdentityOf(memberId: string): string {
  return `did:clubland:member:${memberId}`;
}
