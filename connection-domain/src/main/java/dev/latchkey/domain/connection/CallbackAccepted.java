package dev.latchkey.domain.connection;

/**
 * The provider's callback carried a valid, unused, unexpired state from the browser that started the flow. The
 * state is now used; the code exchange happens next, outside any transaction.
 */
public record CallbackAccepted(ConnectionId connectionId, String stateDigest) implements ConnectionEvent {}
