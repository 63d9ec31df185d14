-- Axon's JDBC components (JdbcEventStorageEngine, JdbcTokenStore, JdbcSequencedDeadLetterQueue) replace its JPA ones
-- on the tables of V1; Hibernate no longer validates or writes them. Existing rows stay as they are, but for the
-- dead letters' times below. Numbered below the query side's V100+, so it runs out of order on a database migrated
-- before it existed (spring.flyway.out-of-order in application.yml).

-- The JDBC engine inserts events without a global index: the column draws it from the same sequence, one value per
-- row, in the insert itself and so inside the appending transaction, as Hibernate's orm.xml mapping did before it.
-- SettledHorizon reads what this sequence last handed out.
alter table domain_event_entry alter column global_index set default nextval('domain_event_entry_seq');

-- The JDBC dead-letter queue writes, compares and orders its times as text in Axon's one format (UTC, milliseconds,
-- 'Z': 2026-12-07T11:43:33.123Z), which sorts as time does; a timestamptz column refuses the text it binds.
-- Letters parked before keep their times, rewritten in that format.
alter table dead_letter_entry
    alter column enqueued_at type varchar(255)
        using to_char(enqueued_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    alter column last_touched type varchar(255)
        using to_char(last_touched at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    alter column processing_started type varchar(255)
        using to_char(processing_started at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
