package io.deploytrack.core;

import java.time.Clock;

/** The in-memory store keeps the contract. "Reopening" returns the same instance, as a process would see its memory. */
class InMemoryHistoryStoreTest extends HistoryStoreContract {
    private InMemoryHistoryStore shared;

    @Override
    protected HistoryStore openStore(Clock clock) {
        if (shared == null) {
            shared = InMemoryHistoryStore.of(clock);
        }
        return shared;
    }
}
