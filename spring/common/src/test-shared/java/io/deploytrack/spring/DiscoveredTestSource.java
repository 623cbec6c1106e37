package io.deploytrack.spring;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A source found only through {@code META-INF/services} (the tests' own listing): every check succeeds. */
public final class DiscoveredTestSource implements PollingSource {

    /** The ServiceLoader's constructor. */
    public DiscoveredTestSource() {
    }

    @Override
    public String type() {
        return "discovered";
    }

    @Override
    public CompletionStage<Observation> poll(CheckRef ref) {
        return CompletableFuture.completedFuture(Observation.succeeded("done"));
    }
}
