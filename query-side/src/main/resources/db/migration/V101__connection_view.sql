-- query-side: the connection view (processing group "connection-view"), one row per connection that is not
-- revoked. Rebuilt by replay. Tokens are kept only sealed (key id + ciphertext), never in plaintext.
CREATE TABLE connection_view (
    connection_id                 text        PRIMARY KEY,
    workspace_id                  text        NOT NULL,
    application_id                text        NOT NULL,
    provider_name                 text        NOT NULL,
    name                          text        NOT NULL,
    handle                        text,
    visibility                    text        NOT NULL CHECK (visibility IN ('user', 'workspace')),
    owner_user_workspace_id       text        NOT NULL,
    scopes                        text[]      NOT NULL,
    status                        text        NOT NULL CHECK (status IN ('pending', 'active', 'auth-failed')),
    auth_failed_at                timestamptz,
    auth_failed_reason            text,
    created_at                    timestamptz NOT NULL,
    updated_at                    timestamptz NOT NULL,
    access_token_key_id           text,
    access_token_ciphertext       text,
    access_token_expires_at       timestamptz,
    -- timestamptz keeps microseconds; the rest keeps the instant exactly as the aggregate holds it
    access_token_expires_at_nanos integer,
    refresh_token_key_id          text,
    refresh_token_ciphertext      text,
    token_type                    text,
    token_response_key_id         text,
    token_response_ciphertext     text,
    refresh_decided_at            bigint,
    refresh_lease_expires_at      timestamptz,
    refresh_retry_after           timestamptz,
    last_sequence                 bigint      NOT NULL,
    last_position                 bigint      NOT NULL
);

CREATE INDEX connection_view_by_application ON connection_view (workspace_id, application_id, created_at, connection_id);

CREATE INDEX connection_view_due_for_refresh ON connection_view (access_token_expires_at)
    WHERE status = 'active' AND refresh_token_ciphertext IS NOT NULL;

-- Revoked connections leave the view; their last sequence stays here, so a redelivered event cannot bring one back.
CREATE TABLE connection_view_revoked (
    connection_id text        PRIMARY KEY,
    last_sequence bigint      NOT NULL,
    last_position bigint      NOT NULL,
    revoked_at    timestamptz NOT NULL
);
