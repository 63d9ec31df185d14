package dev.latchkey.oauth;

import static dev.latchkey.oauth.TestProvider.provider;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.scribejava.httpclient.okhttp.OkHttpHttpClient;
import dev.latchkey.domain.provider.ProviderClient;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class ProviderServiceCacheTest {

    private final OkHttpHttpClient http = new OkHttpHttpClient(new OkHttpClient());
    private final AtomicInteger created = new AtomicInteger();

    private ProviderServiceCache cache(int maxEntries) {
        return new ProviderServiceCache(maxEntries, client -> {
            created.incrementAndGet();
            return new ProviderOAuth20Service(client, http);
        });
    }

    @Test
    void equalClientsShareOneServiceAndAChangedSecretOrManifestGetsANewOne() {
        ProviderServiceCache cache = cache(10);
        ProviderOAuth20Service first =
                cache.serviceFor(provider().clientSecret("one").client());

        assertThat(cache.serviceFor(provider().clientSecret("one").client())).isSameAs(first);
        ProviderOAuth20Service afterSecretChange =
                cache.serviceFor(provider().clientSecret("two").client());
        ProviderOAuth20Service afterManifestChange =
                cache.serviceFor(provider().clientSecret("two").json().client());

        assertThat(afterSecretChange).isNotSameAs(first);
        assertThat(afterSecretChange.getApiSecret()).isEqualTo("two");
        assertThat(afterManifestChange).isNotSameAs(afterSecretChange);
        assertThat(created).hasValue(3);
    }

    @Test
    void sizeIsBoundedAndTheLeastRecentlyUsedServiceGoesFirst() {
        ProviderServiceCache cache = cache(2);
        ProviderClient a = provider().clientId("a").client();
        ProviderClient b = provider().clientId("b").client();
        ProviderClient c = provider().clientId("c").client();
        ProviderOAuth20Service serviceA = cache.serviceFor(a);
        cache.serviceFor(b);
        cache.serviceFor(a); // a is now the most recently used
        cache.serviceFor(c); // b goes

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.serviceFor(a)).isSameAs(serviceA);
        assertThat(created).hasValue(3);
        cache.serviceFor(b);
        assertThat(created).hasValue(4);
    }
}
