-- query-side: pending OAuth states (SHA-256 digests, never the state itself) and the connection each belongs to.
-- Maintained by the SUBSCRIBING processing group "authorization-states", in the command's own transaction.
CREATE TABLE authorization_state (
    state_digest  text        PRIMARY KEY,
    connection_id text        NOT NULL,
    expires_at    timestamptz NOT NULL
);

CREATE INDEX authorization_state_by_connection ON authorization_state (connection_id);
CREATE INDEX authorization_state_by_expiry ON authorization_state (expires_at);
