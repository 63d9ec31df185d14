package dev.latchkey.app.eventstore;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;

/** A test event handler in a processing group of its own: what a projection would see. */
@ProcessingGroup(EventProbe.PROCESSING_GROUP)
public class EventProbe {

    public static final String PROCESSING_GROUP = "latchkey-test-probe";

    private final List<EventMessage<?>> seen = new CopyOnWriteArrayList<>();

    @EventHandler
    void on(Object event, EventMessage<?> message) {
        seen.add(message);
    }

    public List<EventMessage<?>> seen() {
        return List.copyOf(seen);
    }
}
