-- One row per notification and channel other than in-app: its delivery status, attempts and the
-- provider's id. The delivery loop claims due rows (FOR UPDATE SKIP LOCKED, so several instances
-- share the work), sends through the channel's port and records the outcome.

CREATE TABLE notification.deliveries (
  id uuid PRIMARY KEY,
  notification_id uuid NOT NULL REFERENCES notification.notifications (id) ON DELETE CASCADE,
  club_id uuid,
  user_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'PUSH', 'WEBHOOK')),
  -- PENDING: waiting for its time or its next attempt; SENT: the provider accepted it;
  -- DELIVERED: the provider confirmed it; FAILED: given up (not retryable, or out of attempts).
  status text NOT NULL CHECK (status IN ('PENDING', 'SENT', 'DELIVERED', 'FAILED')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When it may be tried next; a claimed row is pushed out by the claim's lease, so a crashed
  -- sender's row comes back rather than being lost.
  next_attempt_at timestamptz NOT NULL,
  -- The last failure as the sender described it (no secrets, no message text).
  last_error text,
  provider_message_id text,
  sent_at timestamptz,
  failed_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (notification_id, channel)
);

CREATE INDEX deliveries_due ON notification.deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX deliveries_failed ON notification.deliveries (club_id, failed_at DESC) WHERE status = 'FAILED';
