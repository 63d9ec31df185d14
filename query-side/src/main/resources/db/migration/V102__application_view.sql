-- query-side: the application view (processing group "application-view"). Rebuilt by replay.
CREATE TABLE application_view (
    application_id text        PRIMARY KEY,
    display_name   text        NOT NULL,
    manifest       jsonb       NOT NULL,
    installed      boolean     NOT NULL,
    installed_at   timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    last_sequence  bigint      NOT NULL,
    last_position  bigint      NOT NULL
);

-- The server variables that have a value; values stay sealed.
CREATE TABLE application_variable (
    application_id text        NOT NULL REFERENCES application_view (application_id) ON DELETE CASCADE,
    name           text        NOT NULL,
    key_id         text        NOT NULL,
    ciphertext     text        NOT NULL,
    set_at         timestamptz NOT NULL,
    PRIMARY KEY (application_id, name)
);
