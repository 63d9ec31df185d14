package dev.latchkey.app.deadletter;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.axonframework.config.EventProcessingConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The sequences the projections parked in their dead-letter queues ({@code dead_letter_entry}), and retrying one.
 * What is answered about a sequence never quotes an event: its type, how many are parked, and the cause's type and
 * message, which {@code ReadModelConfiguration}'s enqueue policy writes without the payload.
 */
@Component
public class ParkedSequences {

    private static final Logger log = LoggerFactory.getLogger(ParkedSequences.class);
    private static final int MAX_LISTED = 1000;
    private static final int MAX_MESSAGE = 300;

    /** One parked sequence: the events of one connection (or application) that one projection has not applied. */
    public record ParkedSequence(
            String processingGroup,
            String sequenceId,
            String eventType,
            long count,
            String causeType,
            String message,
            Instant parkedSince) {}

    /** {@code applied}: nothing of the sequence is parked any more; {@code still-parked}: {@code parked} remain. */
    public record RetryOutcome(String sequenceId, String outcome, long parked) {}

    private final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;

    public ParkedSequences(JdbcTemplate jdbc, EventProcessingConfiguration processing) {
        this.jdbc = jdbc;
        this.processing = processing;
    }

    /** The oldest parked sequences first, at most 1000. */
    public List<ParkedSequence> list() {
        // the first letter of a sequence is the one that failed and carries the cause; the others wait behind it.
        // enqueued_at is text in Axon's one format (UTC, milliseconds), so its min is the earliest time (V60)
        return jdbc.query(
                """
                SELECT processing_group, sequence_identifier, count(*) AS parked, min(enqueued_at) AS since,
                       (array_agg(payload_type ORDER BY sequence_index))[1] AS event_type,
                       (array_agg(cause_type ORDER BY sequence_index))[1] AS cause_type,
                       (array_agg(cause_message ORDER BY sequence_index))[1] AS cause_message
                FROM dead_letter_entry
                GROUP BY processing_group, sequence_identifier
                ORDER BY since, processing_group, sequence_identifier
                LIMIT ?
                """,
                (rs, n) -> new ParkedSequence(
                        rs.getString("processing_group"),
                        rs.getString("sequence_identifier"),
                        simpleName(rs.getString("event_type")),
                        rs.getLong("parked"),
                        rs.getString("cause_type"),
                        shortened(rs.getString("cause_message")),
                        Instant.parse(rs.getString("since"))),
                MAX_LISTED);
    }

    /** Events parked per processing group. */
    public Map<String, Long> countsByProcessingGroup() {
        return jdbc
                .query(
                        "SELECT processing_group, count(*) FROM dead_letter_entry GROUP BY processing_group",
                        (rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Applies {@code sequenceId}'s parked events again, in order, in every projection that parked them; a sequence
     * that fails again stays parked (with what it had). Empty when nothing of that sequence is parked.
     */
    public Optional<RetryOutcome> retry(String sequenceId) {
        List<String> groups = jdbc.queryForList(
                "SELECT DISTINCT processing_group FROM dead_letter_entry WHERE sequence_identifier = ?",
                String.class,
                sequenceId);
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        for (String group : groups) {
            List<String> first = jdbc.queryForList(
                    "SELECT event_identifier FROM dead_letter_entry WHERE processing_group = ? AND sequence_identifier = ?"
                            + " ORDER BY sequence_index LIMIT 1",
                    String.class,
                    group,
                    sequenceId);
            processing.sequencedDeadLetterProcessor(group).ifPresent(processor -> {
                try {
                    // the filter sees the first letter of each sequence: pick this one's
                    processor.process(letter -> first.contains(letter.message().getIdentifier()));
                } catch (RuntimeException e) {
                    // the type only: a library's message may quote the event
                    log.warn(
                            "retrying {} in {} failed again: {}",
                            sequenceId,
                            group,
                            e.getClass().getName());
                }
            });
        }
        long parked = jdbc.queryForObject(
                "SELECT count(*) FROM dead_letter_entry WHERE sequence_identifier = ?", Long.class, sequenceId);
        return Optional.of(new RetryOutcome(sequenceId, parked == 0 ? "applied" : "still-parked", parked));
    }

    private static String simpleName(String type) {
        return type == null ? null : type.substring(type.lastIndexOf('.') + 1);
    }

    private static String shortened(String message) {
        return message == null || message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
    }
}
