-- Endpoint secrets are sealed at rest (src/channels/webhook-secret-seal.ts): AES-256-GCM under a key
-- derived from the service's secrets, the endpoint's id bound in. A row holds a sealed secret
-- (sealed.v1.…) or, written before sealing or by a service given no secrets, the secret itself
-- (whsec_…); the service seals the latter at its next start when it has keys.
ALTER TABLE notification.webhook_endpoints DROP CONSTRAINT webhook_endpoints_secret_check;
ALTER TABLE notification.webhook_endpoints ADD CONSTRAINT webhook_endpoints_secret_check
  CHECK (secret LIKE 'whsec\_%' OR secret LIKE 'sealed.v1.%');
