package dev.latchkey.bench.server;

import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.domain.provider.RevocationResult;
import dev.latchkey.domain.secret.Secret;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wraps the provider port to see, for every token exchange, whether the calling thread enters it holding anything of
 * the database (a Spring transaction, a bound connection, an Axon unit of work), and how many
 * exchanges are waiting on the provider at any moment.
 */
final class ExchangeProbe implements ProviderExchange, AutoCloseable {

    private final ProviderExchange delegate;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder exchanges = new LongAdder();
    private final LongAdder enteredHoldingDatabase = new LongAdder();
    private final LongAdder nanosInExchange = new LongAdder();

    ExchangeProbe(ProviderExchange delegate) {
        this.delegate = delegate;
    }

    int inFlight() {
        return inFlight.get();
    }

    long exchanges() {
        return exchanges.sum();
    }

    long enteredHoldingDatabase() {
        return enteredHoldingDatabase.sum();
    }

    /** The mean time a token exchange took, provider and HTTP client included. */
    double meanExchangeMillis() {
        long count = exchanges.sum();
        return count == 0 ? 0 : nanosInExchange.sum() / 1e6 / count;
    }

    void reset() {
        exchanges.reset();
        enteredHoldingDatabase.reset();
        nanosInExchange.reset();
    }

    private long enter() {
        exchanges.increment();
        if (TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.getResourceMap().isEmpty()
                || CurrentUnitOfWork.isStarted()) {
            enteredHoldingDatabase.increment();
        }
        inFlight.incrementAndGet();
        return System.nanoTime();
    }

    private void leave(long entered) {
        nanosInExchange.add(System.nanoTime() - entered);
        inFlight.decrementAndGet();
    }

    @Override
    public ExchangeResult refresh(ProviderClient client, Secret refreshToken, List<String> scopes) {
        long entered = enter();
        try {
            return delegate.refresh(client, refreshToken, scopes);
        } finally {
            leave(entered);
        }
    }

    @Override
    public ExchangeResult exchangeCode(ProviderClient client, Secret code, Secret codeVerifier) {
        long entered = enter();
        try {
            return delegate.exchangeCode(client, code, codeVerifier);
        } finally {
            leave(entered);
        }
    }

    @Override
    public URI authorizationUrl(ProviderClient client, Secret state, Secret codeVerifier) {
        return delegate.authorizationUrl(client, state, codeVerifier);
    }

    @Override
    public RevocationResult revoke(ProviderClient client, Secret refreshToken, Secret accessToken) {
        return delegate.revoke(client, refreshToken, accessToken);
    }

    @Override
    public Optional<String> fetchHandle(ProviderClient client, Secret accessToken) {
        return delegate.fetchHandle(client, accessToken);
    }

    @Override
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
