-- Axon Framework's tables on PostgreSQL (JPA event storage engine, JPA token, saga and dead-letter stores).
-- Hibernate only validates them (ddl-auto=validate). Serialized payloads are bytea, never oid: large objects live
-- outside the row, survive its deletion and need grants of their own (see ByteaPostgreSQLDialect).

-- One value at a time (orm.xml maps the global index with allocation size 1): with blocks of 50 per node, events
-- are appended out of global-index order and a streaming processor can skip some for good (Axon issue 3374).
create sequence domain_event_entry_seq start with 1 increment by 1;

create table domain_event_entry (
    global_index         bigint       not null,
    event_identifier     varchar(255) not null,
    aggregate_identifier varchar(255) not null,
    sequence_number      bigint       not null,
    type                 varchar(255),
    time_stamp           varchar(255) not null,
    payload_type         varchar(255) not null,
    payload_revision     varchar(255),
    payload              bytea        not null,
    meta_data            bytea,
    constraint domain_event_entry_pkey primary key (global_index),
    constraint domain_event_entry_event_identifier_key unique (event_identifier),
    constraint domain_event_entry_aggregate_sequence_key unique (aggregate_identifier, sequence_number)
);

create table snapshot_event_entry (
    aggregate_identifier varchar(255) not null,
    sequence_number      bigint       not null,
    type                 varchar(255) not null,
    event_identifier     varchar(255) not null,
    time_stamp           varchar(255) not null,
    payload_type         varchar(255) not null,
    payload_revision     varchar(255),
    payload              bytea        not null,
    meta_data            bytea,
    constraint snapshot_event_entry_pkey primary key (aggregate_identifier, sequence_number, type),
    constraint snapshot_event_entry_event_identifier_key unique (event_identifier)
);

-- The positions of the streaming event processors, one row per processor segment; nodes claim segments here.
create table token_entry (
    processor_name varchar(255) not null,
    segment        integer      not null,
    token          bytea,
    token_type     varchar(255),
    timestamp      varchar(255) not null,
    owner          varchar(255),
    constraint token_entry_pkey primary key (processor_name, segment)
);

create table saga_entry (
    saga_id         varchar(255) not null,
    saga_type       varchar(255),
    revision        varchar(255),
    serialized_saga bytea,
    constraint saga_entry_pkey primary key (saga_id)
);

-- Hibernate's default for this id: a pooled sequence handing out blocks of 50 (no ordering is needed here).
create sequence association_value_entry_seq start with 1 increment by 50;

create table association_value_entry (
    id                bigint       not null,
    association_key   varchar(255) not null,
    association_value varchar(255),
    saga_id           varchar(255) not null,
    saga_type         varchar(255),
    constraint association_value_entry_pkey primary key (id)
);
create index association_value_entry_type_key_value_idx
    on association_value_entry (saga_type, association_key, association_value);
create index association_value_entry_saga_idx on association_value_entry (saga_id, saga_type);

create table dead_letter_entry (
    dead_letter_id       varchar(255)  not null,
    processing_group     varchar(255)  not null,
    sequence_identifier  varchar(255)  not null,
    sequence_index       bigint        not null,
    message_type         varchar(255)  not null,
    event_identifier     varchar(255)  not null,
    time_stamp           varchar(255)  not null,
    payload_type         varchar(255)  not null,
    payload_revision     varchar(255),
    payload              bytea         not null,
    meta_data            bytea,
    type                 varchar(255),
    aggregate_identifier varchar(255),
    sequence_number      bigint,
    token_type           varchar(255),
    token                bytea,
    enqueued_at          timestamptz   not null,
    last_touched         timestamptz,
    processing_started   timestamptz,
    cause_type           varchar(255),
    cause_message        varchar(1023),
    diagnostics          bytea,
    constraint dead_letter_entry_pkey primary key (dead_letter_id),
    constraint dead_letter_entry_sequence_key unique (processing_group, sequence_identifier, sequence_index)
);
create index dead_letter_entry_group_idx on dead_letter_entry (processing_group);
create index dead_letter_entry_group_sequence_idx on dead_letter_entry (processing_group, sequence_identifier);
