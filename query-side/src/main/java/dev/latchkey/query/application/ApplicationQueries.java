package dev.latchkey.query.application;

import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.Manifest;
import dev.latchkey.domain.application.ServerVariableDeclaration;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.query.projection.SqlInstants;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads {@code application_view}. A provider's status is worked out on read, by {@link Manifest#providerStatus},
 * from the manifest and the variables set: it cannot disagree with them.
 */
public class ApplicationQueries {

    private final JdbcTemplate jdbc;

    public ApplicationQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Which of these applications are installed now, in one query and without reading their manifests (a list of
     * connections asks this on every read).
     */
    public Set<ApplicationId> installed(Collection<ApplicationId> applications) {
        if (applications.isEmpty()) {
            return Set.of();
        }
        Set<ApplicationId> installed = new HashSet<>();
        jdbc.query(
                "SELECT application_id FROM application_view WHERE installed AND application_id = ANY (?)",
                ps -> ps.setArray(
                        1,
                        ps.getConnection()
                                .createArrayOf(
                                        "text",
                                        applications.stream()
                                                .map(ApplicationId::value)
                                                .toArray())),
                rs -> {
                    installed.add(ApplicationId.of(rs.getString(1)));
                });
        return installed;
    }

    @QueryHandler
    public Optional<ApplicationRow> handle(GetApplication query) {
        String id = query.applicationId().value();
        List<Stored> stored = jdbc.query(
                """
                SELECT display_name, manifest::text AS manifest, installed, installed_at, updated_at
                FROM application_view WHERE application_id = ?
                """,
                (rs, n) -> new Stored(
                        rs.getString("display_name"),
                        ManifestJson.read(rs.getString("manifest")),
                        rs.getBoolean("installed"),
                        SqlInstants.get(rs, "installed_at"),
                        SqlInstants.get(rs, "updated_at")),
                id);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Sealed> values = new HashMap<>();
        jdbc.query(
                "SELECT name, key_id, ciphertext FROM application_variable WHERE application_id = ?",
                rs -> {
                    values.put(rs.getString("name"), new Sealed(rs.getString("key_id"), rs.getString("ciphertext")));
                },
                id);
        return Optional.of(stored.get(0).toRow(query.applicationId(), values));
    }

    private record Stored(
            String displayName, Manifest manifest, boolean installed, Instant installedAt, Instant updatedAt) {

        ApplicationRow toRow(ApplicationId id, Map<String, Sealed> values) {
            Map<String, ServerVariableView> variables = new HashMap<>();
            manifest.serverVariables()
                    .forEach((name, declaration) -> variables.put(name, view(declaration, values.containsKey(name))));
            List<ProviderView> providers = manifest.connectionProviders().stream()
                    .map(provider -> status(provider, values))
                    .toList();
            ApplicationView view = new ApplicationView(
                    id, displayName, manifest, installed, variables, providers, installedAt, updatedAt);
            return new ApplicationRow(view, new ServerVariableValues(values));
        }

        private ProviderView status(ConnectionProviderDefinition provider, Map<String, Sealed> values) {
            return new ProviderView(provider.providerName(), manifest.providerStatus(provider, values.keySet()));
        }

        private static ServerVariableView view(ServerVariableDeclaration declaration, boolean isSet) {
            return new ServerVariableView(
                    declaration.description(), declaration.isSecret(), declaration.isRequired(), isSet);
        }
    }
}
