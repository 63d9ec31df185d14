package dev.latchkey.oauth;

import dev.latchkey.domain.provider.ProviderClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One ScribeJava service per {@link ProviderClient}, least recently used first out. A client is a record of the
 * manifest's provider and the credentials, so a changed manifest or secret is a new key and the old service ages out.
 * The services share one HTTP client: dropping one closes nothing.
 */
final class ProviderServiceCache {

    static final int DEFAULT_MAX_ENTRIES = 512;

    private final Function<ProviderClient, ProviderOAuth20Service> factory;
    private final Map<ProviderClient, ProviderOAuth20Service> services;

    ProviderServiceCache(int maxEntries, Function<ProviderClient, ProviderOAuth20Service> factory) {
        this.factory = factory;
        this.services = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ProviderClient, ProviderOAuth20Service> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized ProviderOAuth20Service serviceFor(ProviderClient client) {
        return services.computeIfAbsent(client, factory);
    }

    synchronized int size() {
        return services.size();
    }
}
