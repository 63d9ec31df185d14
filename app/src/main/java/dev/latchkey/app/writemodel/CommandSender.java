package dev.latchkey.app.writemodel;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;

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
}
