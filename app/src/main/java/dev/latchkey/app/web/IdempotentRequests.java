package dev.latchkey.app.web;

import static dev.latchkey.app.problem.ProblemResponses.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.app.authorization.AuthorizationSecrets;
import dev.latchkey.domain.connection.WorkspaceId;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.domain.secret.SealingContext;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.domain.secret.SecretSealer;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code Idempotency-Key}: the first request with a key runs and its answer is kept (sealed: it carries a browser
 * ticket) for a day; a repeat with the same body gets the same answer; a repeat with another body, or while the
 * first is still running, is refused. Kept in PostgreSQL, so it holds across nodes. A claim still without an answer
 * after {@link #CLAIM_TIMEOUT} (its node died) is taken over by a repeat of the same request.
 */
@Component
public class IdempotentRequests {

    static final Duration RETENTION = Duration.ofHours(24);

    /**
     * A claim still without an answer after this is taken to belong to a node that died mid-request: a repeat with
     * the same body may take it over. Longer than any request runs (provider calls time out well within it).
     */
    static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(60);

    private static final int MAX_KEY = 255;

    private final JdbcTemplate jdbc;
    private final SecretSealer sealer;
    private final ObjectMapper json;
    private final Clock clock;

    IdempotentRequests(JdbcTemplate jdbc, SecretSealer sealer, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.json = json;
        this.clock = clock;
    }

    <T> T run(WorkspaceId workspace, String caller, String key, Object request, Class<T> answerType, Supplier<T> work) {
        if (key == null) {
            return work.get();
        }
        if (key.isBlank() || key.length() > MAX_KEY) {
            throw RequestValidationException.of("Idempotency-Key", "must be 1 to " + MAX_KEY + " characters");
        }
        String fingerprint = AuthorizationSecrets.digest(write(request));
        SealingContext context = new SealingContext(
                "idempotency:" + workspace.value(),
                "workspace=" + workspace.value() + ";caller=" + caller + ";key=" + AuthorizationSecrets.digest(key));
        Timestamp claimedAt = Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS));
        int claimed = jdbc.update("""
                insert into idempotency_key (workspace_id, caller, idempotency_key, request_fingerprint, created_at)
                values (?, ?, ?, ?, ?) on conflict do nothing
                """, workspace.value(), caller, key, fingerprint, claimedAt);
        if (claimed == 0 && !takeOverAbandonedClaim(workspace, caller, key, fingerprint, claimedAt)) {
            return replay(workspace, caller, key, fingerprint, context, answerType);
        }
        T answer;
        try {
            answer = work.get();
        } catch (RuntimeException e) {
            // only our own claim: a node that took it over meanwhile keeps its own
            jdbc.update("""
                    delete from idempotency_key
                    where workspace_id = ? and caller = ? and idempotency_key = ? and created_at = ?
                        and response_key_id is null
                    """, workspace.value(), caller, key, claimedAt);
            throw e;
        }
        Sealed sealed = sealer.seal(Secret.of(write(answer)), context);
        // only into our own claim: after a takeover the answer kept is the taker's
        jdbc.update("""
                update idempotency_key set response_key_id = ?, response_ciphertext = ?
                where workspace_id = ? and caller = ? and idempotency_key = ? and created_at = ?
                """, sealed.keyId(), sealed.ciphertext(), workspace.value(), caller, key, claimedAt);
        return answer;
    }

    /** A claim without an answer for longer than {@link #CLAIM_TIMEOUT}, for the same request, becomes ours. */
    private boolean takeOverAbandonedClaim(
            WorkspaceId workspace, String caller, String key, String fingerprint, Timestamp claimedAt) {
        return jdbc.update(
                        """
                        update idempotency_key set created_at = ?
                        where workspace_id = ? and caller = ? and idempotency_key = ? and request_fingerprint = ?
                            and response_key_id is null and created_at < ?
                        """,
                        claimedAt,
                        workspace.value(),
                        caller,
                        key,
                        fingerprint,
                        Timestamp.from(claimedAt.toInstant().minus(CLAIM_TIMEOUT)))
                == 1;
    }

    private <T> T replay(
            WorkspaceId workspace,
            String caller,
            String key,
            String fingerprint,
            SealingContext context,
            Class<T> type) {
        List<String[]> rows = jdbc.query(
                """
                select request_fingerprint, response_key_id, response_ciphertext from idempotency_key
                where workspace_id = ? and caller = ? and idempotency_key = ?
                """,
                (rs, i) -> new String[] {
                    rs.getString("request_fingerprint"),
                    rs.getString("response_key_id"),
                    rs.getString("response_ciphertext")
                },
                workspace.value(),
                caller,
                key);
        if (rows.isEmpty()) {
            throw new ApiProblemException(problem(
                    HttpStatus.CONFLICT,
                    "idempotency-key-in-use",
                    "a request with this Idempotency-Key just failed; retry"));
        }
        String[] row = rows.get(0);
        if (!row[0].equals(fingerprint)) {
            throw new ApiProblemException(problem(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "idempotency-key-reused",
                    "this Idempotency-Key was used with a different request"));
        }
        if (row[1] == null) {
            throw new ApiProblemException(problem(
                    HttpStatus.CONFLICT,
                    "idempotency-key-in-use",
                    "a request with this Idempotency-Key is in progress"));
        }
        try {
            return json.readValue(
                    sealer.unseal(new Sealed(row[1], row[2]), context).reveal(), type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored idempotent answer is unreadable");
        }
    }

    /** Answers are kept for a day; drop the older ones every hour. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public int deleteExpired() {
        return jdbc.update(
                "delete from idempotency_key where created_at < ?",
                Timestamp.from(clock.instant().minus(RETENTION)));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint the request");
        }
    }
}
