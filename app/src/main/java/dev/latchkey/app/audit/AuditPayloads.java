package dev.latchkey.app.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.latchkey.domain.connection.CallbackAccepted;
import dev.latchkey.domain.connection.PendingAuthorization;
import dev.latchkey.domain.secret.Sealed;
import java.io.IOException;

/**
 * An event's payload as the audit log shows it: the event record written as JSON, with every {@link Sealed} value
 * shown as {@code {"sealed": true}} (neither ciphertext nor key id) and the digests of the OAuth state and of the
 * browser binding left out. Those digests are not secrets (SHA-256 of 256-bit random values, single use, expired
 * after ten minutes) but they serve no audit purpose and would let whoever holds a leaked state check it against the
 * log. A mapper of its own: neither the stored event format nor the REST settings shape it.
 */
final class AuditPayloads {

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .addModule(new SimpleModule("audit-payloads").addSerializer(Sealed.class, new SealedAsFlag()))
            .addMixIn(PendingAuthorization.class, WithoutDigests.class)
            .addMixIn(CallbackAccepted.class, WithoutDigests.class)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();

    JsonNode toJson(Object payload) {
        return mapper.valueToTree(payload);
    }

    @JsonIgnoreProperties({"stateDigest", "bindingDigest"})
    private abstract static class WithoutDigests {}

    private static final class SealedAsFlag extends StdSerializer<Sealed> {

        SealedAsFlag() {
            super(Sealed.class);
        }

        @Override
        public void serialize(Sealed value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeStartObject();
            generator.writeBooleanField("sealed", true);
            generator.writeEndObject();
        }
    }
}
