package dev.latchkey.domain.connection;

import org.axonframework.serialization.Revision;

/**
 * The provider's callback carried a valid, unused, unexpired state from the browser that started the flow. The
 * state is now used; the code exchange happens next, outside any transaction.
 */
@Revision("1")
public record CallbackAccepted(ConnectionId connectionId, String stateDigest) implements ConnectionEvent {}
