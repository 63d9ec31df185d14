-- Lifecycle webhooks (docs/webhooks.md). The event store is the outbox: the streaming processing group
-- "webhook-deliveries" turns events into webhook_delivery rows in the same transaction that moves its token, so a
-- delivery is written once and never lost; every node's dispatcher claims due rows (FOR UPDATE SKIP LOCKED, a lease
-- in claimed_until), sends them outside any transaction and records each attempt in webhook_attempt.

-- An application's endpoints, managed by a server admin. The signing secrets are sealed (each endpoint has its own
-- data key, owner webhook-endpoint:<id>); after a rotation the previous secret signs beside the new one until
-- previous_secret_until.
create table webhook_endpoint (
    id                         varchar(64)   primary key,
    application_id             varchar(255)  not null,
    url                        varchar(2048) not null,
    -- a JSON array of event types; null: every type, now and later
    event_types                jsonb,
    description                varchar(1000),
    enabled                    boolean       not null,
    -- why it was disabled: gone (the receiver answered 410), admin (PATCH enabled=false)
    disabled_reason            varchar(32),
    secret_key_id              varchar(64)   not null,
    secret_ciphertext          text          not null,
    previous_secret_key_id     varchar(64),
    previous_secret_ciphertext text,
    previous_secret_until      timestamptz,
    -- the application was uninstalled: the endpoint takes nothing new and is deleted once application.uninstalled
    -- is delivered (or failed)
    uninstalled_at             timestamptz,
    created_at                 timestamptz   not null,
    updated_at                 timestamptz   not null
);
create index webhook_endpoint_application on webhook_endpoint (application_id);

-- What the deliveries processor knows of each connection, as of the last event it applied: the fields of a body,
-- and the states whose entry is announced (created once, retrying, expiring, deleted once).
create table webhook_subject (
    connection_id              varchar(64)   primary key,
    workspace_id               varchar(255)  not null,
    application_id             varchar(255)  not null,
    provider_name              varchar(255)  not null,
    user_workspace_id          varchar(255),
    visibility                 varchar(16)   not null,
    status                     varchar(16)   not null,
    name                       varchar(255),
    handle                     varchar(512),
    was_active                 boolean       not null default false,
    retrying                   boolean       not null default false,
    deleted_announced          boolean       not null default false,
    refresh_token_expires_at   timestamptz,
    -- the refresh_token_expires_at whose nearing was announced (connection.expiring), so it is announced once
    expiring_announced_for     timestamptz,
    created_at                 timestamptz   not null
);
create index webhook_subject_application on webhook_subject (application_id);
create index webhook_subject_expiring on webhook_subject (refresh_token_expires_at)
    where status = 'active' and refresh_token_expires_at is not null;

create table webhook_delivery (
    -- creation order: per endpoint and connection, the order of the events
    seq                        bigserial     primary key,
    id                         varchar(64)   not null unique,
    -- the webhook-id header, the same on every attempt
    webhook_id                 varchar(64)   not null,
    endpoint_id                varchar(64)   not null references webhook_endpoint (id) on delete cascade,
    -- the event it announces (the command's correlation id for connection.updated, which one PATCH sends once):
    -- unique per endpoint, so an event applied twice (a segment briefly held by two nodes, a retried batch) writes
    -- nothing twice, not even as another type
    event_key                  varchar(255)  not null,
    event_type                 varchar(64)   not null,
    connection_id              varchar(64),
    -- deliveries with the same key go out in seq order; application.uninstalled (no connection) waits for all
    ordering_key               varchar(255)  not null,
    body                       text          not null,
    event_at                   timestamptz   not null,
    -- pending, delivered, failed
    status                     varchar(16)   not null,
    attempts                   integer       not null default 0,
    next_attempt_at            timestamptz,
    claimed_until              timestamptz,
    -- a redelivery of a finished delivery: one attempt, then delivered or failed again
    single_attempt             boolean       not null default false,
    created_at                 timestamptz   not null,
    updated_at                 timestamptz   not null,
    unique (endpoint_id, event_key)
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending';
create index webhook_delivery_order on webhook_delivery (endpoint_id, ordering_key, seq) where status = 'pending';
create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, seq);

create table webhook_attempt (
    delivery_seq               bigint        not null references webhook_delivery (seq) on delete cascade,
    attempt                    integer       not null,
    at                         timestamptz   not null,
    -- null when no answer came (timeout, refused address, connection failure)
    status_code                integer,
    -- a short classification (http-503, timeout, connect-failed, address-not-allowed), never a receiver's body
    error                      varchar(64),
    duration_ms                integer       not null,
    primary key (delivery_seq, attempt)
);
