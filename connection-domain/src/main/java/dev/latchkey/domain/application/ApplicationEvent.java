package dev.latchkey.domain.application;

/** Everything that happens to an installed application. */
public sealed interface ApplicationEvent
        permits ApplicationInstalled, ManifestUpdated, ServerVariableSet, ServerVariableUnset, ApplicationUninstalled {

    ApplicationId applicationId();
}
