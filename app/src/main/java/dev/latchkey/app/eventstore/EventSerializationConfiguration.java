package dev.latchkey.app.eventstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * How Axon writes events, snapshots, tokens and sagas: JSON from an {@link ObjectMapper} of Axon's own. The mapper
 * is deliberately not a bean, so neither Spring's REST settings ({@code spring.jackson.*}, customizers) nor a module
 * someone registers for the HTTP API can change the format of what is already stored.
 */
@Configuration(proxyBeanMethods = false)
public class EventSerializationConfiguration {

    /** The mapper of the stored format. Dates are ISO-8601 strings; unknown fields are tolerated by the serializer. */
    static ObjectMapper storedFormatMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .build();
    }

    private static Serializer jacksonSerializer() {
        return JacksonSerializer.builder()
                .objectMapper(storedFormatMapper())
                .lenientDeserialization()
                .build();
    }

    @Bean
    @Primary
    public Serializer serializer() {
        return jacksonSerializer();
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer() {
        return jacksonSerializer();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        return jacksonSerializer();
    }
}
