package dev.latchkey.app.crypto;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/** The {@code data_key} table: wrapped data keys, one per key owner, and the tombstones of shredded ones. */
class DataKeyStore {

    private static final String COLUMNS = "id, key_owner, master_key_id, wrapped_key";

    private final JdbcTemplate jdbc;

    DataKeyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<StoredDataKey> byId(String id) {
        return jdbc.query("select " + COLUMNS + " from data_key where id = ?", DataKeyStore::row, id).stream()
                .findFirst();
    }

    /** The rows of these ids, by id, in one query. */
    Map<String, StoredDataKey> byIds(Collection<String> ids) {
        Map<String, StoredDataKey> rows = new HashMap<>();
        jdbc.query(
                connection -> {
                    PreparedStatement select =
                            connection.prepareStatement("select " + COLUMNS + " from data_key where id = any(?)");
                    select.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
                    return select;
                },
                (RowCallbackHandler) rs -> {
                    StoredDataKey key = row(rs, 0);
                    rows.put(key.id(), key);
                });
        return rows;
    }

    Optional<StoredDataKey> byOwner(String owner) {
        return jdbc.query("select " + COLUMNS + " from data_key where key_owner = ?", DataKeyStore::row, owner).stream()
                .findFirst();
    }

    /** Stores the key unless its owner already has one (another node may have been first); read it back after. */
    void insertIfAbsent(StoredDataKey key) {
        jdbc.update("""
                insert into data_key (id, key_owner, master_key_id, wrapped_key, created_at)
                values (?, ?, ?, ?, now()) on conflict (key_owner) do nothing
                """, key.id(), key.owner(), key.masterKeyId(), key.wrappedKey());
    }

    /**
     * Destroys the owner's data key, keeping its row as a tombstone (a tombstone is written when the owner never had a
     * key, so none is created for it later).
     *
     * @param tombstoneId the id of the tombstone when the owner has no row yet
     * @return the id of the shredded key
     */
    String shred(String owner, String tombstoneId) {
        return jdbc.queryForObject("""
                insert into data_key (id, key_owner, created_at, shredded_at) values (?, ?, now(), now())
                on conflict (key_owner) do update
                    set master_key_id = null, wrapped_key = null,
                        shredded_at = coalesce(data_key.shredded_at, excluded.shredded_at)
                returning id
                """, String.class, tombstoneId, owner);
    }

    /** Live keys wrapped by another master key than {@code masterKeyId}, in id order after {@code afterId}. */
    List<StoredDataKey> wrappedByOtherThan(String masterKeyId, String afterId, int limit) {
        return jdbc.query(
                "select " + COLUMNS + " from data_key where wrapped_key is not null and master_key_id <> ? and id > ?"
                        + " order by id limit ?",
                DataKeyStore::row,
                masterKeyId,
                afterId,
                limit);
    }

    /**
     * Replaces the wrapping of a key, only if it is still the one read (not shredded or re-wrapped meanwhile).
     *
     * @return whether it was replaced
     */
    boolean rewrap(StoredDataKey read, String masterKeyId, byte[] wrappedKey) {
        return jdbc.update("""
                        update data_key set master_key_id = ?, wrapped_key = ?, rewrapped_at = now()
                        where id = ? and master_key_id = ? and wrapped_key = ?
                        """, masterKeyId, wrappedKey, read.id(), read.masterKeyId(), read.wrappedKey()) == 1;
    }

    /** How many live data keys each master key wraps. */
    Map<String, Long> liveKeysByMasterKey() {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query(
                "select master_key_id, count(*) from data_key where wrapped_key is not null"
                        + " group by master_key_id order by master_key_id",
                (RowCallbackHandler) rs -> counts.put(rs.getString(1), rs.getLong(2)));
        return counts;
    }

    long shreddedKeys() {
        Long count = jdbc.queryForObject("select count(*) from data_key where wrapped_key is null", Long.class);
        return count == null ? 0 : count;
    }

    private static StoredDataKey row(ResultSet rs, int rowNum) throws SQLException {
        return new StoredDataKey(
                rs.getString("id"),
                rs.getString("key_owner"),
                rs.getString("master_key_id"),
                rs.getBytes("wrapped_key"));
    }
}
