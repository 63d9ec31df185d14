package dev.latchkey.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.latchkey.app.readmodel.BackwardsArrow;
import dev.latchkey.app.security.DevTokenCommand;
import org.junit.jupiter.api.Test;

/**
 * The imports between modules point one way (DESIGN.md): app → everything; the domain → Axon only. Inside {@code app}
 * they point one way too: HTTP (web, browser) → services (connection, application) → flows (decide, exchange, record)
 * → infrastructure. The benchmarks in {@code bench/} (compiled with the app's tests) use no HTTP layer class.
 */
@AnalyzeClasses(packages = "dev.latchkey", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

    static final String HTTP = "HTTP";
    static final String SECURITY = "Security";
    static final String PROBLEMS = "Problems";
    static final String SERVICES = "Services";
    static final String FLOWS = "Flows";
    static final String INFRASTRUCTURE = "Infrastructure";

    static final String[] HTTP_PACKAGES = {"dev.latchkey.app.web..", "dev.latchkey.app.browser.."};
    static final String[] SERVICE_PACKAGES = {
        "dev.latchkey.app.connection..", "dev.latchkey.app.application..", "dev.latchkey.app.webhook.."
    };
    static final String[] INFRASTRUCTURE_PACKAGES = {
        "dev.latchkey.app.authorization..",
        "dev.latchkey.app.provider..",
        "dev.latchkey.app.writemodel..",
        "dev.latchkey.app.readmodel..",
        "dev.latchkey.app.crypto..",
        "dev.latchkey.app.audit..",
        "dev.latchkey.app.replay..",
        "dev.latchkey.app.persistence..",
        "dev.latchkey.app.deadletter..",
        "dev.latchkey.app.eventstore..",
        "dev.latchkey.app.eventschema..",
        "dev.latchkey.app.snapshot..",
        "dev.latchkey.app.config.."
    };

    @ArchTest
    static final ArchRule theDomainUsesNoFrameworkButAxon = noClasses()
            .that()
            .resideInAPackage("dev.latchkey.domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..",
                    "jakarta.persistence..",
                    "javax.persistence..",
                    "org.hibernate..",
                    "com.github.scribejava..",
                    "java.net.http..",
                    "jakarta.servlet..",
                    "javax.servlet..");

    @ArchTest
    static final ArchRule nothingDependsOnTheApp = noClasses()
            .that()
            .resideOutsideOfPackage("dev.latchkey.app..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.latchkey.app..");

    @ArchTest
    static final ArchRule theQuerySideDoesNotUseTheOAuthAdapter = noClasses()
            .that()
            .resideInAPackage("dev.latchkey.query..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.latchkey.oauth..")
            .allowEmptyShould(true);

    /** ScribeJava's debug mode prints requests and responses, tokens and client secrets included. */
    @ArchTest
    static final ArchRule nothingTurnsOnScribeJavasDebugOutput = noClasses()
            .should()
            .callMethod(com.github.scribejava.core.builder.ServiceBuilder.class, "debug")
            .orShould()
            .callMethod(
                    com.github.scribejava.core.builder.ServiceBuilder.class, "debugStream", java.io.OutputStream.class);

    @ArchTest
    static final ArchRule theAppsPackagesPointOneWay = appLayers();

    @ArchTest
    static final ArchRule everyPackageOfTheAppHasALayer =
            classes().that().resideInAPackage("dev.latchkey.app..").should().resideInAnyPackage(allAppPackages());

    @ArchTest
    static final ArchRule onlyTheHttpLayerKnowsHttp = noClasses()
            .that()
            .resideInAnyPackage(SERVICE_PACKAGES)
            .or()
            .resideInAPackage("dev.latchkey.app.flow..")
            .or()
            .resideInAnyPackage(INFRASTRUCTURE_PACKAGES)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework.http..",
                    "org.springframework.web.bind..",
                    "org.springframework.web.servlet..",
                    "jakarta.servlet..");

    static ArchRule appLayers() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer(HTTP)
                .definedBy(HTTP_PACKAGES)
                .layer(SECURITY)
                .definedBy("dev.latchkey.app.security..")
                .layer(PROBLEMS)
                .definedBy("dev.latchkey.app.problem..")
                .layer(SERVICES)
                .definedBy(SERVICE_PACKAGES)
                .layer(FLOWS)
                .definedBy("dev.latchkey.app.flow..")
                .layer(INFRASTRUCTURE)
                .definedBy(INFRASTRUCTURE_PACKAGES)
                .whereLayer(HTTP)
                .mayNotBeAccessedByAnyLayer()
                .whereLayer(SECURITY)
                .mayOnlyBeAccessedByLayers(HTTP)
                .whereLayer(PROBLEMS)
                .mayOnlyBeAccessedByLayers(HTTP, SECURITY)
                .whereLayer(SERVICES)
                .mayOnlyBeAccessedByLayers(HTTP)
                .whereLayer(FLOWS)
                .mayOnlyBeAccessedByLayers(HTTP, SERVICES)
                .whereLayer(INFRASTRUCTURE)
                .mayOnlyBeAccessedByLayers(HTTP, SECURITY, SERVICES, FLOWS);
    }

    static String[] allAppPackages() {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(
                "dev.latchkey.app",
                "dev.latchkey.app.security..",
                "dev.latchkey.app.problem..",
                "dev.latchkey.app.flow.."));
        all.addAll(java.util.List.of(HTTP_PACKAGES));
        all.addAll(java.util.List.of(SERVICE_PACKAGES));
        all.addAll(java.util.List.of(INFRASTRUCTURE_PACKAGES));
        return all.toArray(String[]::new);
    }

    @Test
    void anArrowThatRunsBackFailsTheLayerRule() {
        JavaClasses withBackwardsArrow =
                new ClassFileImporter().importPackages("dev.latchkey.app.readmodel", "dev.latchkey.app.web");
        assertThat(withBackwardsArrow.contain(BackwardsArrow.class)).isTrue();
        assertThat(appLayers().evaluate(withBackwardsArrow).getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains(BackwardsArrow.class.getName()));
    }

    /** bench/src is compiled with the app's tests (build-helper); ArchUnit reads those classes here. */
    @Test
    void theBenchmarksUseNoHttpLayerClassAndTheDriverNothingOfTheServerButTokenMinting() {
        JavaClasses bench = new ClassFileImporter().importPackages("dev.latchkey.bench");
        assertThat(bench.contain("dev.latchkey.bench.Main")).isTrue();
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(HTTP_PACKAGES)
                .check(bench);
        noClasses()
                .that()
                .resideInAPackage("dev.latchkey.bench")
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.latchkey.app..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(DevTokenCommand.class))))
                .check(bench);
    }
}
