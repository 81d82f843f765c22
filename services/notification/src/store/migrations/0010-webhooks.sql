-- Webhooks to club endpoints (src/channels/webhooks.ts): where each club's own systems hear of its
-- notifications, every message signed as Standard Webhooks specifies, retried with backoff, and
-- given up on into a dead-letter list an admin may retry from.
--
-- Row-level security is in this file (club scope): inside withTenant(club) a transaction sees and
-- writes that club's rows only; a network transaction (no tenant: the dispatcher, which sends every
-- club's due messages) sees them all. Do not also list these tables for the tenant template.

CREATE TABLE notification.webhook_endpoints (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  -- Where we POST. https only, unless the service was configured to allow http (development).
  url text NOT NULL CHECK (length(url) <= 2048 AND url ~ '^https?://'),
  description text CHECK (length(description) <= 500),
  -- The Standard Webhooks secret (whsec_ + base64 of 32 random bytes) that signs every call; shown to
  -- the club once, at registration. Readable by this service's role only, and only for this club's
  -- transactions or the dispatcher's.
  secret text NOT NULL CHECK (secret LIKE 'whsec_%'),
  -- The event types (`member.created`, ...) this endpoint wants; empty: every type.
  event_types text[] NOT NULL DEFAULT '{}',
  -- A disabled endpoint gets no new messages, and its queued ones wait.
  enabled boolean NOT NULL DEFAULT true,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  -- The target of the messages' (club_id, endpoint_id) key: a message's club is its endpoint's.
  UNIQUE (club_id, id)
);
CREATE INDEX webhook_endpoints_by_club ON notification.webhook_endpoints (club_id, created_at);

-- One event for one endpoint: the unit that is signed, sent, retried and dead-lettered.
CREATE TABLE notification.webhook_messages (
  -- The webhook-id header: the same on every attempt, so the receiver de-duplicates by it.
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  endpoint_id uuid NOT NULL,
  event_type text NOT NULL CHECK (length(event_type) BETWEEN 1 AND 200),
  -- The domain event this message tells of: one message per event and endpoint, however often the
  -- bus delivers the event (unique below, scoped by club as every unique key here).
  source_event_id uuid NOT NULL,
  -- The JSON body exactly as signed and sent, the same bytes on every attempt.
  body text NOT NULL,
  -- PENDING: queued or waiting for a retry; DELIVERED: the endpoint answered 2xx; DEAD: every
  -- attempt failed, listed as a dead letter until an admin retries it (back to PENDING).
  status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
  -- Attempts since it was queued or last retried by an admin: the retry schedule counts these.
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- Attempts in all: numbers the rows of webhook_attempts, and fences a late result (see the dispatcher).
  total_attempts integer NOT NULL DEFAULT 0 CHECK (total_attempts >= attempts),
  -- While PENDING: when the next attempt is due (also the lease of a dispatcher sending it now).
  next_attempt_at timestamptz,
  -- The last failure, in words a club admin can act on (an HTTP status, "no answer in 15000 ms").
  last_error text,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz,
  dead_at timestamptz,
  CHECK ((status = 'PENDING') = (next_attempt_at IS NOT NULL)),
  CHECK ((status = 'DEAD') = (dead_at IS NOT NULL)),
  FOREIGN KEY (club_id, endpoint_id) REFERENCES notification.webhook_endpoints (club_id, id),
  UNIQUE (club_id, endpoint_id, source_event_id)
);
-- The dispatcher's query: due messages, oldest due first.
CREATE INDEX webhook_messages_due ON notification.webhook_messages (next_attempt_at) WHERE status = 'PENDING';
-- The dead-letter list of a club, newest first.
CREATE INDEX webhook_dead_letters ON notification.webhook_messages (club_id, dead_at DESC) WHERE status = 'DEAD';

-- Every attempt, for the admin who asks "what did our endpoint answer".
CREATE TABLE notification.webhook_attempts (
  message_id uuid NOT NULL REFERENCES notification.webhook_messages (id),
  club_id uuid NOT NULL,
  -- 1-based, across admin retries (the message's total_attempts when it was made).
  attempt integer NOT NULL CHECK (attempt >= 1),
  attempted_at timestamptz NOT NULL,
  -- The HTTP status the endpoint answered; null when it did not answer (refused, timed out).
  status_code integer,
  error text,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  PRIMARY KEY (message_id, attempt)
);

ALTER TABLE notification.webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification.webhook_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY club_scope ON notification.webhook_endpoints
  USING (nullif(current_setting('app.tenant_id', true), '')::uuid IS NULL
    OR club_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (nullif(current_setting('app.tenant_id', true), '')::uuid IS NULL
    OR club_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE notification.webhook_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification.webhook_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY club_scope ON notification.webhook_messages
  USING (nullif(current_setting('app.tenant_id', true), '')::uuid IS NULL
    OR club_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (nullif(current_setting('app.tenant_id', true), '')::uuid IS NULL
    OR club_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE notification.webhook_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification.webhook_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY club_scope ON notification.webhook_attempts
  USING (nullif(current_setting('app.tenant_id', true), '')::uuid IS NULL
    OR club_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (nullif(current_setting('app.tenant_id', true), '')::uuid IS NULL
    OR club_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
