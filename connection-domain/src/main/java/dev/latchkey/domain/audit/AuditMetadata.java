package dev.latchkey.domain.audit;

/** Keys of the metadata every command and event carries, because audit consumers read them. */
public final class AuditMetadata {

    /** Who caused it: the {@code sub} of the caller's token, or {@code system:<process>}. */
    public static final String ACTOR = "actor";

    /** Axon's own correlation key: every event caused by one request shares it. */
    public static final String CORRELATION_ID = "correlationId";

    /** The workspace the message belongs to, when it belongs to one (audit reads are scoped by it). */
    public static final String WORKSPACE_ID = "workspaceId";

    private AuditMetadata() {}
}
