-- The uninstall process: one row per connection of an uninstalled application, written by the streaming
-- processing group "uninstall-process" when it applies ApplicationUninstalled (idempotent: a connection belongs to
-- at most one uninstall). Every node's worker claims due rows (FOR UPDATE SKIP LOCKED, a lease in claimed_until),
-- revokes at the provider outside any transaction, and records the attempt here.
create table pending_revocation (
    connection_id      varchar(64)  primary key,
    workspace_id       varchar(255) not null,
    application_id     varchar(255) not null,
    provider_name      varchar(255) not null,
    -- the ApplicationUninstalled's sequence number: the OAuth client is the one the application had just before it
    uninstall_sequence bigint       not null,
    requested_by       varchar(255) not null,
    attempts           integer      not null default 0,
    due_at             timestamptz  not null,
    claimed_until      timestamptz,
    -- revoked, unsupported, failed (retrying, or given up), already-revoked
    last_outcome       varchar(32),
    created_at         timestamptz  not null,
    done_at            timestamptz
);
create index pending_revocation_due on pending_revocation (due_at) where done_at is null;
