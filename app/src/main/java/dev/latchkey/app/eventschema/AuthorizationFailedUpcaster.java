package dev.latchkey.app.eventschema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * {@code AuthorizationFailed} revision 1 (stored with revision 1, or with none: it was written before events carried
 * revisions) to revision 2: its {@code error} became {@code reason}. Axon finds upcasters among the beans and runs
 * them on every read of the event store: aggregates, processors, replays and the audit log.
 */
@Component
@Order(1)
public class AuthorizationFailedUpcaster extends SingleEventUpcaster {

    /** The stored type name: a literal, so that renaming the class later cannot silently switch this off. */
    static final String TYPE = "dev.latchkey.domain.connection.AuthorizationFailed";

    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType(TYPE, "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        String revision = representation.getType().getRevision();
        return TYPE.equals(representation.getType().getName()) && (revision == null || revision.equals("1"));
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, AuthorizationFailedUpcaster::errorToReason);
    }

    static JsonNode errorToReason(JsonNode revision1) {
        ObjectNode revision2 = revision1.deepCopy();
        JsonNode error = revision2.remove("error");
        if (error != null && !revision2.has("reason")) {
            revision2.set("reason", error);
        }
        return revision2;
    }
}
