package dev.latchkey.app.writemodel;

import java.sql.SQLException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.AxonTransientException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Sends commands with the actor's audit metadata. Two nodes deciding on one aggregate at once collide on its
 * sequence number in the event store; the loser decides again on the fresh state.
 */
@Component
public class CommandSender {

    static final int ATTEMPTS = 5;

    private final CommandGateway gateway;

    public CommandSender(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> R send(Object command, Actor actor) {
        for (int attempt = 1; ; attempt++) {
            try {
                return gateway.sendAndWait(
                        GenericCommandMessage.asCommandMessage(command).withMetaData(actor.metaData()));
            } catch (ConcurrencyException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Whether a command failed for want of the database rather than by a rule: no pooled connection in time, a
     * connection lost, a transaction that could not begin or commit, or a collision that outlasted {@link #ATTEMPTS}.
     * Sending it again later may succeed. The domain's refusals ({@code StaleOutcomeException}, …) are not.
     */
    public static boolean isDatabaseBlip(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException
                    || cause instanceof DataAccessException
                    || cause instanceof TransactionException
                    || cause instanceof EventStoreException
                    || cause instanceof AxonTransientException
                    || cause instanceof ConcurrencyException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
