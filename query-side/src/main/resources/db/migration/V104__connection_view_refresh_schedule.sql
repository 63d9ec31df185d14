-- query-side: what a connection's refreshes look like from outside (API.md "Connections: more on each one"), and
-- the refresh schedule. next_refresh_at is when the scheduler looks at the row next: its access token's expiry less
-- the refresh-ahead and a jitter, or later while a refresh holds the lease or the provider is backed off; null when
-- it is never refreshed by time. The scheduler reads only the rows due, through the partial index.
ALTER TABLE connection_view
    ADD COLUMN tokens_recorded_at       bigint,
    ADD COLUMN last_refreshed_at        timestamptz,
    ADD COLUMN refresh_token_expires_at timestamptz,
    ADD COLUMN refresh_by               timestamptz,
    ADD COLUMN consecutive_failures     integer NOT NULL DEFAULT 0,
    ADD COLUMN last_failure_at          timestamptz,
    ADD COLUMN last_failure_reason      text,
    ADD COLUMN next_refresh_at          timestamptz;

CREATE INDEX connection_view_refresh_schedule ON connection_view (next_refresh_at, connection_id)
    WHERE next_refresh_at IS NOT NULL;

DROP INDEX connection_view_due_for_refresh;
