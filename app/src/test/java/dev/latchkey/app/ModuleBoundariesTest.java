package dev.latchkey.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The imports between modules point one way (DESIGN.md): app → everything; the domain → Axon only. */
@AnalyzeClasses(packages = "dev.latchkey", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundariesTest {

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
}
