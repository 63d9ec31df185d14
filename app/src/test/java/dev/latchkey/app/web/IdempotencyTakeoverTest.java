package dev.latchkey.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.app.LatchkeySpringTest;
import dev.latchkey.domain.connection.WorkspaceId;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** An Idempotency-Key claimed by a node that died mid-request is not in use for a day: after the claim timeout it is taken over. */
class IdempotencyTakeoverTest extends LatchkeySpringTest {

    @Autowired
    IdempotentRequests idempotency;

    @Autowired
    JdbcTemplate jdbc;

    final WorkspaceId workspace = WorkspaceId.of("ws-" + UUID.randomUUID());
    final Map<String, String> request = Map.of("providerName", "acme");

    record Answer(String value) {}

    @Test
    void aClaimWithoutAnswerIsInUseUntilTheClaimTimeoutThenTakenOverByTheSameRequest() {
        AtomicReference<ApiProblemException> whileRunning = new AtomicReference<>();
        AtomicReference<ApiProblemException> otherBody = new AtomicReference<>();
        AtomicReference<Answer> takenOver = new AtomicReference<>();

        // the first node stalls holding the claim (as one that died would): meanwhile, repeats come along
        idempotency.run(workspace, "user:alice", "key-1", request, Answer.class, () -> {
            try {
                idempotency.run(workspace, "user:alice", "key-1", request, Answer.class, () -> new Answer("twice"));
            } catch (ApiProblemException e) {
                whileRunning.set(e);
            }
            jdbc.update(
                    "update idempotency_key set created_at = created_at - interval '61 seconds' "
                            + "where workspace_id = ? and idempotency_key = 'key-1'",
                    workspace.value());
            try {
                idempotency.run(
                        workspace, "user:alice", "key-1", Map.of("other", "body"), Answer.class, () -> new Answer("x"));
            } catch (ApiProblemException e) {
                otherBody.set(e);
            }
            takenOver.set(idempotency.run(
                    workspace, "user:alice", "key-1", request, Answer.class, () -> new Answer("taken over")));
            return new Answer("first, too late");
        });

        assertThat(whileRunning.get()).isNotNull();
        assertThat(whileRunning.get().getMessage() + problemType(whileRunning.get()))
                .contains("idempotency-key-in-use");
        assertThat(problemType(otherBody.get())).contains("idempotency-key-reused");
        assertThat(takenOver.get()).isEqualTo(new Answer("taken over"));
        // the node that lost its claim does not overwrite the answer kept for the key
        assertThat(idempotency.run(workspace, "user:alice", "key-1", request, Answer.class, () -> new Answer("again")))
                .isEqualTo(new Answer("taken over"));
    }

    private static String problemType(ApiProblemException e) {
        return String.valueOf(e.problem().getType());
    }
}
