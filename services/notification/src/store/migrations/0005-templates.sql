-- A club's own templates, per channel (and, for notices caused by events, per event type and
-- locale). Tenant-owned: only the club's own transaction sees or writes them.

CREATE TABLE notification.templates (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  channel text NOT NULL CHECK (channel IN ('IN_APP', 'EMAIL', 'SMS', 'PUSH', 'WEBHOOK')),
  -- The domain event type it renders (booking.status_changed); null: used by hand only.
  event_type text,
  locale text NOT NULL DEFAULT 'en' CHECK (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  -- ICU MessageFormat text, and the HTML variant for email.
  body_template text NOT NULL CHECK (length(body_template) BETWEEN 1 AND 10000),
  html_template text CHECK (length(html_template) <= 50000),
  variables text[] NOT NULL DEFAULT '{}',
  is_active boolean NOT NULL DEFAULT true,
  created_by uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- Scoped by club (unique checks ignore row-level security).
  UNIQUE (club_id, name, channel, locale)
);
CREATE INDEX templates_event ON notification.templates (club_id, event_type, locale) WHERE is_active;
