import { isUuid } from '@clubland/errors';
import type { Checked } from './checked.ts';
import { normaliseEmail } from './email.ts';
import { checkPassword } from './password-policy.ts';

/** What a new account asks for; the use case adds ids, time and the hash. */
export interface Registration {
  email: string;
  password: string;
  username: string | null;
  clubId: string;
  firstName: string;
  lastName: string;
}

export type RegistrationField = keyof Registration;

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{2,29}$/;
export const MAX_NAME_LENGTH = 100;

/** Checks and cleans a registration; the first wrong field wins, in the order a form shows them. */
export function checkRegistration(input: Registration): Checked<Registration, RegistrationField> {
  const email = normaliseEmail(input.email);
  if (!email.ok) return { ok: false, field: 'email', message: email.message };

  const password = checkPassword(input.password, { email: email.value });
  if (!password.ok) return { ok: false, field: 'password', message: password.message };

  const username = checkUsername(input.username);
  if (!username.ok) return username;

  const firstName = checkName(input.firstName, 'firstName');
  if (!firstName.ok) return firstName;
  const lastName = checkName(input.lastName, 'lastName');
  if (!lastName.ok) return lastName;

  if (!isUuid(input.clubId))
    return { ok: false, field: 'clubId', message: 'clubId must be a club id (UUID)' };

  return {
    ok: true,
    value: {
      email: email.value,
      password: input.password,
      username: username.value,
      clubId: input.clubId.toLowerCase(),
      firstName: firstName.value,
      lastName: lastName.value,
    },
  };
}

/** Optional: empty means none. 3-30 letters, digits, '.', '_' or '-', starting with a letter or digit. */
export function checkUsername(raw: string | null): Checked<string | null, 'username'> {
  const username = raw?.trim() ?? '';
  if (username === '') return { ok: true, value: null };
  if (!USERNAME.test(username)) {
    return {
      ok: false,
      field: 'username',
      message: 'username must be 3-30 letters, digits, ".", "_" or "-", starting with a letter or digit',
    };
  }
  return { ok: true, value: username };
}

export function checkName<F extends string>(raw: string, field: F): Checked<string, F> {
  const name = raw.trim().normalize('NFC');
  if (name.length === 0) return { ok: false, field, message: `${field} must not be empty` };
  if (name.length > MAX_NAME_LENGTH) {
    return { ok: false, field, message: `${field} must be at most ${MAX_NAME_LENGTH} characters` };
  }
  if (/\p{Cc}/u.test(name))
    return { ok: false, field, message: `${field} must not contain control characters` };
  return { ok: true, value: name };
}
