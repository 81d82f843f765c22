import type { NotificationMessage } from '@clubland/notify';

/** The auth service's emails. Plain text only until the notification service brings templates. */

export function verificationEmail(options: {
  to: string;
  firstName: string;
  link: string;
  expiresAt: Date;
}): NotificationMessage {
  return {
    to: options.to,
    channel: 'email',
    template: 'auth.verify-email',
    subject: 'Confirm your Clubland email address',
    text: [
      `Hello ${options.firstName || 'there'},`,
      '',
      'Please confirm your email address by opening this link:',
      options.link,
      '',
      `The link works once and expires at ${options.expiresAt.toISOString()}.`,
      'If you did not create a Clubland account, ignore this message.',
    ].join('\n'),
    data: { link: options.link, expiresAt: options.expiresAt.toISOString() },
  };
}

export function passwordResetEmail(options: {
  to: string;
  firstName: string;
  link: string;
  expiresAt: Date;
}): NotificationMessage {
  return {
    to: options.to,
    channel: 'email',
    template: 'auth.reset-password',
    subject: 'Reset your Clubland password',
    text: [
      `Hello ${options.firstName || 'there'},`,
      '',
      'Someone (we hope you) asked to reset your password. Open this link to choose a new one:',
      options.link,
      '',
      `The link works once and expires at ${options.expiresAt.toISOString()}.`,
      'If you did not ask for this, ignore this message: your password stays as it is.',
    ].join('\n'),
    data: { link: options.link, expiresAt: options.expiresAt.toISOString() },
  };
}

export function clubInvitationEmail(options: {
  to: string;
  clubName: string;
  role: string;
  link: string;
  expiresAt: Date;
}): NotificationMessage {
  const role = { CLUB_ADMIN: 'an administrator', STAFF: 'a member of staff', MEMBER: 'a member' }[
    options.role
  ];
  return {
    to: options.to,
    channel: 'email',
    template: 'auth.club-invitation',
    subject: `You are invited to ${options.clubName} on Clubland`,
    text: [
      'Hello,',
      '',
      `You are invited to join ${options.clubName} on Clubland as ${role ?? options.role}.`,
      'Open this link to accept (you choose a password, or sign in with the one you have):',
      options.link,
      '',
      `The link works once and expires at ${options.expiresAt.toISOString()}.`,
      'If you did not expect this, ignore this message.',
    ].join('\n'),
    data: {
      link: options.link,
      expiresAt: options.expiresAt.toISOString(),
      clubName: options.clubName,
      role: options.role,
    },
  };
}

/** `${publicUrl}/<path>?token=…`, tolerant of a trailing slash in the configured URL. */
export function linkTo(publicUrl: string, path: string, token: string): string {
  const url = new URL(path, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`);
  url.searchParams.set('token', token);
  return url.toString();
}
