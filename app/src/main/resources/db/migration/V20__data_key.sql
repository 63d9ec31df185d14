-- Envelope encryption: one data key per key owner (a connection, an application's server variables, a workspace's
-- idempotent answers), AES-256, stored only wrapped (AES-GCM) by the master key named in master_key_id. Sealed
-- values name their data key ("dk:<uuid>"). Outside the event store, so a key can be re-wrapped (master key
-- rotation) or destroyed (crypto-shredding: wrapped_key and master_key_id set to null, the row kept as a tombstone
-- so that nothing is sealed for that owner again).
create table data_key (
    id              varchar(64)  primary key,
    key_owner       varchar(512) not null unique,
    master_key_id   varchar(64),
    wrapped_key     bytea,
    created_at      timestamptz  not null,
    rewrapped_at    timestamptz,
    shredded_at     timestamptz,
    constraint data_key_live_or_shredded check (
        (shredded_at is null and master_key_id is not null and wrapped_key is not null)
        or (shredded_at is not null and master_key_id is null and wrapped_key is null))
);
