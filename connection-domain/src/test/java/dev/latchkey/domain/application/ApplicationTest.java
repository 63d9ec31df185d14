package dev.latchkey.domain.application;

import static dev.latchkey.domain.application.ManifestFixtures.APP_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.secret.Sealed;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApplicationTest {

    static final ApplicationId ID = ApplicationId.of(APP_ID);
    static final Sealed CLIENT_ID = new Sealed("k1", "id-ciphertext");
    static final Sealed CLIENT_SECRET = new Sealed("k1", "secret-ciphertext");

    FixtureConfiguration<Application> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Application.class);
        fixture.registerInjectableResource(new ManifestValidator(new EndpointPolicy(false)));
    }

    @Test
    void installingAValidManifestInstallsTheApplication() {
        fixture.givenNoPriorActivity()
                .when(new InstallApplication(ID, ManifestFixtures.linear()))
                .expectEvents(new ApplicationInstalled(ID, ManifestFixtures.linear()));
    }

    @Test
    void installingAManifestWithSeveralErrorsReportsThemAll() {
        OAuthSettings bad = new OAuthSettings(
                "http://linear.app/oauth/authorize",
                null,
                null,
                List.of("read"),
                "UNDECLARED_ID",
                "LINEAR_CLIENT_SECRET",
                null,
                null,
                null,
                Map.of("redirect_uri", "https://evil.example.com"),
                null,
                null,
                null,
                null);
        Manifest manifest = ManifestFixtures.linear(bad);
        fixture.givenNoPriorActivity()
                .when(new InstallApplication(ID, manifest))
                .expectException(Matchers.predicate(e -> e instanceof ManifestRejectedException rejected
                        && rejected.errors().stream()
                                .map(FieldError::field)
                                .toList()
                                .containsAll(List.of(
                                        "connectionProviders[0].oauth.authorizationEndpoint",
                                        "connectionProviders[0].oauth.tokenEndpoint",
                                        "connectionProviders[0].oauth.clientIdVariable",
                                        "connectionProviders[0].oauth.authorizationParams.redirect_uri"))))
                .expectNoEvents();
    }

    @Test
    void reinstallingTheSameManifestChangesNothingAndADifferentOneUpdatesIt() {
        fixture.given(new ApplicationInstalled(ID, ManifestFixtures.linear()))
                .when(new InstallApplication(ID, ManifestFixtures.linear()))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        Manifest renamed = new Manifest(
                APP_ID,
                "Linear (new)",
                null,
                ManifestFixtures.linear().serverVariables(),
                List.of(),
                ManifestFixtures.linear().connectionProviders());
        fixture.given(new ApplicationInstalled(ID, ManifestFixtures.linear()))
                .when(new InstallApplication(ID, renamed))
                .expectEvents(new ManifestUpdated(ID, renamed, List.of()));
    }

    @Test
    void anUpdateThatDropsADeclaredVariableForgetsItsValue() {
        Manifest withoutVariables = new Manifest(APP_ID, "Linear", null, Map.of(), List.of(), List.of());
        fixture.given(
                        new ApplicationInstalled(ID, ManifestFixtures.linear()),
                        new ServerVariableSet(ID, "LINEAR_CLIENT_ID", CLIENT_ID))
                .when(new InstallApplication(ID, withoutVariables))
                .expectEvents(new ManifestUpdated(ID, withoutVariables, List.of("LINEAR_CLIENT_ID")));
    }

    @Test
    void settingADeclaredVariableRecordsItSealed() {
        fixture.given(new ApplicationInstalled(ID, ManifestFixtures.linear()))
                .when(new SetServerVariable(ID, "LINEAR_CLIENT_SECRET", CLIENT_SECRET))
                .expectEvents(new ServerVariableSet(ID, "LINEAR_CLIENT_SECRET", CLIENT_SECRET));
    }

    @Test
    void settingAnUndeclaredVariableIsRefused() {
        fixture.given(new ApplicationInstalled(ID, ManifestFixtures.linear()))
                .when(new SetServerVariable(ID, "GITHUB_CLIENT_ID", CLIENT_ID))
                .expectException(UnknownServerVariableException.class)
                .expectNoEvents();
    }

    @Test
    void unsettingAVariableThatIsSetRecordsItAndOneThatIsNotChangesNothing() {
        fixture.given(
                        new ApplicationInstalled(ID, ManifestFixtures.linear()),
                        new ServerVariableSet(ID, "LINEAR_CLIENT_ID", CLIENT_ID))
                .when(new UnsetServerVariable(ID, "LINEAR_CLIENT_ID"))
                .expectEvents(new ServerVariableUnset(ID, "LINEAR_CLIENT_ID"));
        fixture.given(new ApplicationInstalled(ID, ManifestFixtures.linear()))
                .when(new UnsetServerVariable(ID, "LINEAR_CLIENT_ID"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void uninstallingEndsTheApplicationAndLaterCommandsAreRefused() {
        fixture.given(new ApplicationInstalled(ID, ManifestFixtures.linear()))
                .when(new UninstallApplication(ID))
                .expectEvents(new ApplicationUninstalled(ID));
        fixture.given(new ApplicationInstalled(ID, ManifestFixtures.linear()), new ApplicationUninstalled(ID))
                .when(new SetServerVariable(ID, "LINEAR_CLIENT_ID", CLIENT_ID))
                .expectException(ApplicationNotInstalledException.class)
                .expectNoEvents();
    }

    @Test
    void aProviderIsReadyOnlyWhenBothOfItsRequiredVariablesAreSet() {
        Manifest manifest = ManifestFixtures.linear();
        ConnectionProviderDefinition linear = manifest.connectionProviders().get(0);
        assertThat(manifest.providerStatus(linear, Set.of())).isEqualTo(ProviderStatus.NEEDS_SERVER_ADMIN);
        assertThat(manifest.providerStatus(linear, Set.of("LINEAR_CLIENT_ID")))
                .isEqualTo(ProviderStatus.NEEDS_SERVER_ADMIN);
        assertThat(manifest.providerStatus(linear, Set.of("LINEAR_CLIENT_ID", "LINEAR_CLIENT_SECRET")))
                .isEqualTo(ProviderStatus.READY);
    }
}
