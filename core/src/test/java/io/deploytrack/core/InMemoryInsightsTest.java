package io.deploytrack.core;

import java.time.Clock;

/** The in-memory store's insights, worked out in Java, keep the contract. */
class InMemoryInsightsTest extends InsightsContract {
    @Override
    protected HistoryStore openStore(Clock clock) {
        return InMemoryHistoryStore.of(clock);
    }
}
