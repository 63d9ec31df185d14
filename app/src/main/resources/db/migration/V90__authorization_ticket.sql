-- Single-use browser tickets behind POST /v1/connections' authorizeUrl (5 minutes). The provider URL carries the
-- OAuth state and the binding value is the browser cookie: both are kept sealed, the ticket only as a digest.
create table authorization_ticket (
    ticket_digest             char(64)     primary key,
    connection_id             varchar(64)  not null,
    workspace_id              varchar(255) not null,
    provider_url_key_id       varchar(255) not null,
    provider_url_ciphertext   text         not null,
    binding_key_id            varchar(255) not null,
    binding_ciphertext        text         not null,
    expires_at                timestamptz  not null,
    redeemed_at               timestamptz
);
create index authorization_ticket_expires_at on authorization_ticket (expires_at);

-- Idempotency-Key of POST /v1/connections: one row per (workspace, caller, key); the answer is kept sealed
-- because it carries a browser ticket.
create table idempotency_key (
    workspace_id          varchar(255) not null,
    caller                varchar(255) not null,
    idempotency_key       varchar(255) not null,
    request_fingerprint   char(64)     not null,
    connection_id         varchar(64),
    response_key_id       varchar(255),
    response_ciphertext   text,
    created_at            timestamptz  not null,
    primary key (workspace_id, caller, idempotency_key)
);
create index idempotency_key_created_at on idempotency_key (created_at);
