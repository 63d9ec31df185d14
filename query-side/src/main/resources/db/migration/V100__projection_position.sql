-- query-side: the highest global event position each streaming projection has applied, written in the same
-- transaction as the projection's own rows, so a caller can wait for its command's events (read-your-writes).
CREATE TABLE projection_position (
    name       text        PRIMARY KEY,
    position   bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
