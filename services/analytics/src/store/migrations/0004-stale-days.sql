-- The (club, UTC day) pairs whose visit rollups the facts consumer has changed the facts of since
-- they were last recounted. The consumer marks them in the transaction that changes the facts; the
-- rollup job (src/app/follow-facts.ts, every ANALYTICS_ROLLUP_INTERVAL_MS) recounts each once and
-- clears it, so a front desk's burst of check-ins costs one recount of its day a second, not one a
-- batch (each recount reads the whole day: a busy day's cost grew with every check-in, and took the
-- front desk's CPU with it). The figures drawn from the rollups trail the facts by that interval.
CREATE TABLE analytics.stale_days (
  club_id uuid NOT NULL,
  day date NOT NULL,
  PRIMARY KEY (club_id, day)
);
