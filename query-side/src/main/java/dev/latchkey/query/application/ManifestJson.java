package dev.latchkey.query.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.latchkey.domain.application.Manifest;

/**
 * The manifest as stored in {@code application_view.manifest}. Its own mapper, so the settings of the HTTP layer's
 * mapper cannot change what is stored or how it is read back.
 */
final class ManifestJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ManifestJson() {}

    static String write(Manifest manifest) {
        try {
            return MAPPER.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a manifest could not be written as JSON", e);
        }
    }

    static Manifest read(String json) {
        try {
            return MAPPER.readValue(json, Manifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored manifest could not be read", e);
        }
    }
}
