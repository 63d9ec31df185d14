package dev.latchkey.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.domain.ControlCharacters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * API.md's text rule for every JSON body of every {@code /v1} controller, in one place: no string (and no object key)
 * holds a control character, except tab and newline in a {@code reason} or {@code description}. Every such field is
 * named in one 400, by its JSON path ({@code connectionProviders[0].oauth.scopes[1]}), before the body is bound.
 * Lengths stay with each field's own rule.
 */
@ControllerAdvice(basePackageClasses = RequestBodyText.class)
class RequestBodyText extends RequestBodyAdviceAdapter {

    private final ObjectMapper json;

    RequestBodyText(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType)
            throws IOException {
        byte[] body = input.getBody().readAllBytes(); // RequestEdge bounded it already
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (IOException e) {
            tree = null; // not JSON: binding will say so
        }
        if (tree != null) {
            List<Map<String, String>> errors = new ArrayList<>();
            check(tree, "", "", errors);
            if (!errors.isEmpty()) {
                throw new RequestValidationException(errors);
            }
        }
        HttpHeaders headers = input.getHeaders();
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    private static void check(JsonNode node, String path, String name, List<Map<String, String>> errors) {
        if (node.isTextual()) {
            boolean multiline = ControlCharacters.isMultilineField(name);
            if (multiline ? ControlCharacters.inMultiline(node.textValue()) : ControlCharacters.in(node.textValue())) {
                errors.add(Map.of(
                        "field",
                        path,
                        "message",
                        multiline ? ControlCharacters.REFUSED_MULTILINE : ControlCharacters.REFUSED));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "[" + i + "]", name, errors);
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (ControlCharacters.in(field.getKey())) {
                    errors.add(Map.of("field", at, "message", "the name " + ControlCharacters.REFUSED));
                } else {
                    check(field.getValue(), at, field.getKey(), errors);
                }
            }
        }
    }
}
