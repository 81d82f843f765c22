-- Each person's choices: which channels, quiet hours in their time zone, a daily digest, and the
-- categories they turned off per channel. No row: the defaults (in-app and email on).

CREATE TABLE notification.preferences (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL UNIQUE,
  -- The person's home club when known (for the contract's NotificationPreference.clubId).
  club_id uuid,
  email_enabled boolean NOT NULL DEFAULT true,
  sms_enabled boolean NOT NULL DEFAULT false,
  push_enabled boolean NOT NULL DEFAULT true,
  in_app_enabled boolean NOT NULL DEFAULT true,
  quiet_hours_enabled boolean NOT NULL DEFAULT false,
  -- HH:MM in `timezone`; both set or both null.
  quiet_hours_start text CHECK (quiet_hours_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  quiet_hours_end text CHECK (quiet_hours_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  digest_enabled boolean NOT NULL DEFAULT false,
  digest_frequency text CHECK (digest_frequency IN ('DAILY', 'WEEKLY')),
  -- IANA time zone of the person, for quiet hours and the digest.
  timezone text NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
  -- Categories turned off, per channel: {"EMAIL": ["bookings"], "SMS": ["events"]}.
  muted_categories jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((quiet_hours_start IS NULL) = (quiet_hours_end IS NULL))
);
