-- A person's notifications: what their app lists (in-app, read or unread) and what each other
-- channel carries. Club-scoped (the template is appended by notificationMigrations() in
-- src/index.ts): a club's transaction sees only that club's rows; the person's own reads run in a
-- network transaction filtered by user_id, since one person hears from several clubs.

CREATE TABLE notification.notifications (
  id uuid PRIMARY KEY,
  -- The club it comes from; null for an account's own notice that belongs to no club.
  club_id uuid,
  -- The account it is for: the only one who may read it.
  user_id uuid NOT NULL,
  -- What it is about: the domain event type that caused it (booking.status_changed), or announcement.
  type text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
  -- Preference category (bookings, events, visits, membership, agreements, account, announcements).
  category text NOT NULL CHECK (length(category) BETWEEN 1 AND 50),
  -- The contract's NotificationChannel: the first it goes by; `channels` lists every one.
  channel text NOT NULL CHECK (channel IN ('IN_APP', 'EMAIL', 'SMS', 'PUSH', 'WEBHOOK')),
  channels text[] NOT NULL CHECK (cardinality(channels) >= 1),
  priority text NOT NULL CHECK (priority IN ('LOW', 'NORMAL', 'HIGH', 'CRITICAL')),
  -- PENDING until due (scheduled, quiet hours), DELIVERED once in the inbox (or SENT by another
  -- channel), FAILED when no channel could carry it, READ once the person read it.
  status text NOT NULL CHECK (status IN ('PENDING', 'SENT', 'DELIVERED', 'FAILED', 'READ')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  template_id uuid,
  template_data jsonb,
  -- The domain event that caused it: a redelivered event finds the row and adds none.
  source_event_id uuid,
  -- The staff member who sent it by hand; null for notices caused by events.
  sent_by uuid,
  -- When it becomes due (a scheduled send, or the end of the person's quiet hours); null: at once.
  scheduled_for timestamptz,
  -- After this it is neither shown nor sent.
  expires_at timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Exactly once to the person: one notification per (source event, recipient), by the database.
CREATE UNIQUE INDEX notifications_once_per_event ON notification.notifications (source_event_id, user_id)
  WHERE source_event_id IS NOT NULL;
-- The inbox, newest first.
CREATE INDEX notifications_inbox ON notification.notifications (user_id, created_at DESC, id DESC);
-- The unread badge.
CREATE INDEX notifications_unread ON notification.notifications (user_id)
  WHERE read_at IS NULL AND status IN ('SENT', 'DELIVERED');
-- What the release loop looks for: in-app notices whose time has come.
CREATE INDEX notifications_due ON notification.notifications (scheduled_for) WHERE status = 'PENDING';
CREATE INDEX notifications_club ON notification.notifications (club_id, created_at DESC);
