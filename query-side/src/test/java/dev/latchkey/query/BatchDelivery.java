package dev.latchkey.query;

import java.util.List;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

/**
 * Hands events to an event handler the way a pooled streaming processor does: one batching unit of work per batch,
 * inside one transaction, through Axon's annotation support (parameter resolution included).
 */
public final class BatchDelivery {

    private final AnnotationEventHandlerAdapter handler;

    public BatchDelivery(Object eventHandler) {
        this.handler = new AnnotationEventHandlerAdapter(eventHandler);
    }

    public void deliver(EventMessage<?>... batch) {
        deliver(List.of(batch));
    }

    public void deliver(List<? extends EventMessage<?>> batch) {
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(List.copyOf(batch));
        unitOfWork.attachTransaction(TestDatabase.axonTransactions());
        ResultMessage<?> result = unitOfWork.executeWithResult(
                () -> handler.handle(unitOfWork.getMessage()), RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            throw new BatchFailed(result.exceptionResult());
        }
    }

    /** Each event in a batch of its own. */
    public void deliverOneByOne(List<? extends EventMessage<?>> events) {
        events.forEach(this::deliver);
    }

    public void reset() {
        handler.prepareReset();
    }

    public static final class BatchFailed extends RuntimeException {
        BatchFailed(Throwable cause) {
            super(cause);
        }
    }
}
