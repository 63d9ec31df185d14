package dev.latchkey.query.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.latchkey.domain.application.ApplicationEvent;
import dev.latchkey.domain.application.ApplicationId;
import dev.latchkey.domain.application.ApplicationInstalled;
import dev.latchkey.domain.application.ApplicationUninstalled;
import dev.latchkey.domain.application.ClientAuthentication;
import dev.latchkey.domain.application.ConnectionProviderDefinition;
import dev.latchkey.domain.application.Manifest;
import dev.latchkey.domain.application.ManifestUpdated;
import dev.latchkey.domain.application.OAuthSettings;
import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.application.ProviderStatus;
import dev.latchkey.domain.application.ServerVariableDeclaration;
import dev.latchkey.domain.application.ServerVariableSet;
import dev.latchkey.domain.application.ServerVariableUnset;
import dev.latchkey.domain.application.TokenRequestContentType;
import dev.latchkey.domain.secret.Sealed;
import dev.latchkey.query.BatchDelivery;
import dev.latchkey.query.EventLog;
import dev.latchkey.query.TestDatabase;
import dev.latchkey.query.projection.ProjectionPositions;
import java.lang.reflect.Method;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApplicationViewProjectionTest {

    private static final ApplicationId APP = ApplicationId.of("b6f1c0de-0000-4000-8000-000000000001");
    private static final ProviderName LINEAR = ProviderName.of("linear");
    private static final Sealed CLIENT_ID = new Sealed("master-1", "CIPHERTEXT-OF-client-id");
    private static final Sealed CLIENT_SECRET = new Sealed("master-1", "CIPHERTEXT-OF-client-secret");

    private final ProjectionPositions positions = new ProjectionPositions(TestDatabase.jdbc());
    private final BatchDelivery processor =
            new BatchDelivery(new ApplicationViewProjection(TestDatabase.jdbc(), positions));
    private final ApplicationQueries queries = new ApplicationQueries(TestDatabase.jdbc());
    private final EventLog log = new EventLog();

    @BeforeEach
    void emptyTables() {
        TestDatabase.clear();
    }

    @Test
    void installedApplicationShowsItsManifestAndProvidersNeedingTheServerAdmin() {
        TrackedEventMessage<?> installed = log.next(new ApplicationInstalled(APP, manifest("Linear")));

        processor.deliver(installed);

        ApplicationView view = view();
        assertThat(view.applicationId()).isEqualTo(APP);
        assertThat(view.displayName()).isEqualTo("Linear");
        assertThat(view.manifest()).isEqualTo(manifest("Linear"));
        assertThat(view.installed()).isTrue();
        assertThat(view.installedAt()).isEqualTo(installed.getTimestamp().truncatedTo(ChronoUnit.MICROS));
        assertThat(view.serverVariables())
                .containsEntry("LINEAR_CLIENT_ID", new ServerVariableView("The client id", false, true, false))
                .containsEntry("LINEAR_CLIENT_SECRET", new ServerVariableView("The client secret", true, true, false));
        assertThat(view.connectionProviders())
                .containsExactly(new ProviderView(LINEAR, ProviderStatus.NEEDS_SERVER_ADMIN));
    }

    @Test
    void providerIsReadyOnceBothOfItsVariablesAreSet() {
        processor.deliver(
                log.next(new ApplicationInstalled(APP, manifest("Linear"))),
                log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_ID", CLIENT_ID)));

        assertThat(view().providerStatus(LINEAR)).contains(ProviderStatus.NEEDS_SERVER_ADMIN);
        assertThat(view().serverVariables().get("LINEAR_CLIENT_ID").isSet()).isTrue();

        processor.deliver(log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_SECRET", CLIENT_SECRET)));

        assertThat(view().providerStatus(LINEAR)).contains(ProviderStatus.READY);
        assertThat(view().serverVariables().values()).allMatch(ServerVariableView::isSet);
    }

    @Test
    void unsettingAVariableTakesTheProviderBackToNeedingTheServerAdmin() {
        processor.deliver(
                log.next(new ApplicationInstalled(APP, manifest("Linear"))),
                log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_ID", CLIENT_ID)),
                log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_SECRET", CLIENT_SECRET)));

        processor.deliver(log.next(new ServerVariableUnset(APP, "LINEAR_CLIENT_SECRET")));

        assertThat(view().providerStatus(LINEAR)).contains(ProviderStatus.NEEDS_SERVER_ADMIN);
        assertThat(row().values().value("LINEAR_CLIENT_SECRET")).isEmpty();
    }

    @Test
    void variableValuesStaySealedAndApartFromTheView() throws Exception {
        processor.deliver(
                log.next(new ApplicationInstalled(APP, manifest("Linear"))),
                log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_SECRET", CLIENT_SECRET)));

        ApplicationRow row = row();

        assertThat(row.values().value("LINEAR_CLIENT_SECRET")).contains(CLIENT_SECRET);
        assertThat(row.toString()).doesNotContain("CIPHERTEXT");
        assertThat(row.application().toString()).doesNotContain("CIPHERTEXT");
        assertThat(JsonMapper.builder().addModule(new JavaTimeModule()).build().writeValueAsString(row))
                .contains("\"isSet\":true")
                .doesNotContain("CIPHERTEXT");
    }

    @Test
    void manifestUpdateForgetsTheValuesOfDroppedVariables() {
        Manifest withoutSecret = new Manifest(
                APP.value(),
                "Linear 2",
                "Connect Linear.",
                Map.of("LINEAR_CLIENT_ID", new ServerVariableDeclaration("The client id", false, true)),
                List.of(),
                List.of(provider("LINEAR_CLIENT_ID", "LINEAR_CLIENT_ID")));
        processor.deliver(
                log.next(new ApplicationInstalled(APP, manifest("Linear"))),
                log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_ID", CLIENT_ID)),
                log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_SECRET", CLIENT_SECRET)));

        processor.deliver(log.next(new ManifestUpdated(APP, withoutSecret, List.of("LINEAR_CLIENT_SECRET"))));

        ApplicationRow row = row();
        assertThat(row.application().displayName()).isEqualTo("Linear 2");
        assertThat(row.application().manifest()).isEqualTo(withoutSecret);
        assertThat(row.values().names()).containsExactly("LINEAR_CLIENT_ID");
        assertThat(row.application().providerStatus(LINEAR)).contains(ProviderStatus.READY);
    }

    @Test
    void uninstalledApplicationIsMarkedSoAndForgetsItsValues() {
        processor.deliver(
                log.next(new ApplicationInstalled(APP, manifest("Linear"))),
                log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_ID", CLIENT_ID)));

        processor.deliver(log.next(new ApplicationUninstalled(APP)));

        assertThat(view().installed()).isFalse();
        assertThat(row().values().names()).isEmpty();
    }

    @Test
    void installedAnswersOnlyTheApplicationsInstalledNow() {
        ApplicationId other = ApplicationId.of("app-other");
        processor.deliver(
                log.next(new ApplicationInstalled(APP, manifest("Linear"))),
                log.next(new ApplicationInstalled(other, manifest("Other"))));
        processor.deliver(log.next(new ApplicationUninstalled(other)));

        assertThat(queries.installed(List.of(APP, other, ApplicationId.of("never-installed"))))
                .containsExactly(APP);
        assertThat(queries.installed(List.of())).isEmpty();
    }

    @Test
    void applicationInstalledAgainStartsWithoutValues() {
        processor.deliver(
                log.next(new ApplicationInstalled(APP, manifest("Linear"))),
                log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_ID", CLIENT_ID)),
                log.next(new ApplicationUninstalled(APP)),
                log.next(new ApplicationInstalled(APP, manifest("Linear again"))));

        assertThat(view().installed()).isTrue();
        assertThat(view().displayName()).isEqualTo("Linear again");
        assertThat(view().serverVariables().values()).noneMatch(ServerVariableView::isSet);
    }

    @Test
    void redeliveredEventsChangeNothing() {
        TrackedEventMessage<?> install = log.next(new ApplicationInstalled(APP, manifest("Linear")));
        TrackedEventMessage<?> set = log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_ID", CLIENT_ID));
        TrackedEventMessage<?> unset = log.next(new ServerVariableUnset(APP, "LINEAR_CLIENT_ID"));
        TrackedEventMessage<?> setAgain = log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_ID", CLIENT_SECRET));
        processor.deliver(install, set, unset, setAgain);
        ApplicationRow before = row();

        processor.deliver(install, set, unset);
        processor.deliver(unset);

        assertThat(row()).isEqualTo(before);
        assertThat(row().values().value("LINEAR_CLIENT_ID")).contains(CLIENT_SECRET);
    }

    @Test
    void neverInstalledApplicationIsNotFound() {
        assertThat(queries.handle(new GetApplication(ApplicationId.of("nope")))).isEmpty();
    }

    @Test
    void resetEmptiesTheViewAndForgetsItsPosition() {
        processor.deliver(
                log.next(new ApplicationInstalled(APP, manifest("Linear"))),
                log.next(new ServerVariableSet(APP, "LINEAR_CLIENT_ID", CLIENT_ID)));
        assertThat(positions.position(ApplicationViewProjection.PROCESSING_GROUP))
                .hasValue(log.lastPosition());

        processor.reset();

        assertThat(queries.handle(new GetApplication(APP))).isEmpty();
        assertThat(positions.position(ApplicationViewProjection.PROCESSING_GROUP))
                .isEmpty();
    }

    @Test
    void everyApplicationEventHasAHandler() {
        List<Class<?>> handled = new ArrayList<>();
        for (Method method : ApplicationViewProjection.class.getMethods()) {
            if (method.isAnnotationPresent(EventHandler.class)) {
                handled.add(method.getParameterTypes()[0]);
            }
        }
        assertThat(handled).containsExactlyInAnyOrder(ApplicationEvent.class.getPermittedSubclasses());
    }

    private ApplicationRow row() {
        return queries.handle(new GetApplication(APP)).orElseThrow();
    }

    private ApplicationView view() {
        return row().application();
    }

    static Manifest manifest(String displayName) {
        return new Manifest(
                APP.value(),
                displayName,
                "Connect Linear.",
                Map.of(
                        "LINEAR_CLIENT_ID", new ServerVariableDeclaration("The client id", false, true),
                        "LINEAR_CLIENT_SECRET", new ServerVariableDeclaration("The client secret", true, true)),
                List.of("https://crm.example.com/settings/apps"),
                List.of(provider("LINEAR_CLIENT_ID", "LINEAR_CLIENT_SECRET")));
    }

    private static ConnectionProviderDefinition provider(String clientIdVariable, String clientSecretVariable) {
        return new ConnectionProviderDefinition(
                "9c7d0000-0000-4000-8000-000000000002",
                "linear",
                "Linear",
                "IconBrandLinear",
                "oauth",
                new OAuthSettings(
                        "https://linear.app/oauth/authorize",
                        "https://api.linear.app/oauth/token",
                        "https://api.linear.app/oauth/revoke",
                        List.of("read", "write"),
                        clientIdVariable,
                        clientSecretVariable,
                        TokenRequestContentType.FORM_URLENCODED,
                        ClientAuthentication.CLIENT_SECRET_POST,
                        false,
                        Map.of("prompt", "consent"),
                        "https://api.linear.app/me",
                        "/email",
                        null,
                        null));
    }
}
