-- Fills the columns V104 added for the rows that were in connection_view before it, from the event store, so an
-- upgraded node goes on refreshing them (the scheduler reads next_refresh_at only) without a replay. A replay of
-- the view writes the same columns from the events, with the configured refresh-ahead and the jitter.
UPDATE connection_view v
   SET tokens_recorded_at = t.sequence_number,
       last_refreshed_at  = t.time_stamp::timestamptz
  FROM (SELECT DISTINCT ON (aggregate_identifier) aggregate_identifier, sequence_number, time_stamp
          FROM domain_event_entry
         WHERE payload_type IN ('dev.latchkey.domain.connection.ConnectionEstablished',
                                'dev.latchkey.domain.connection.TokensRefreshed')
         ORDER BY aggregate_identifier, sequence_number DESC) t
 WHERE t.aggregate_identifier = v.connection_id
   AND v.access_token_ciphertext IS NOT NULL;

UPDATE connection_view
   SET next_refresh_at = greatest(access_token_expires_at - interval '60 seconds',
                                  refresh_retry_after, refresh_lease_expires_at)
 WHERE status = 'active'
   AND access_token_ciphertext IS NOT NULL
   AND refresh_token_ciphertext IS NOT NULL
   AND access_token_expires_at IS NOT NULL;
