package io.deploytrack.ncp.emulator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One emulated NCP project: its stages and scenarios, and its histories in creation order. */
final class Project {

    /** An id and a name, as NCP nests them ({@code "project":{"id":..,"name":..}}). */
    record Named(long id, String name) {
    }

    /** A scenario and the stage it belongs to. */
    record Scenario(Named stage, Named scenario) {
    }

    final Named named;
    private final Map<Long, Named> stages = new ConcurrentHashMap<>();
    private final Map<Long, Scenario> scenarios = new ConcurrentHashMap<>();
    private final Map<Long, EmulatedHistory> histories = new ConcurrentHashMap<>();
    // Creation order; guarded by itself. Lists read it by index, so a page costs O(page size).
    private final List<EmulatedHistory> order = new ArrayList<>();

    Project(long id, String name) {
        this.named = new Named(id, name);
    }

    synchronized Scenario addScenario(long stageId, String stageName, long scenarioId, String scenarioName) {
        Scenario existing = scenarios.get(scenarioId);
        if (existing != null) {
            if (existing.stage().id() != stageId) {
                throw new IllegalArgumentException("scenario " + scenarioId + " of project " + named.id()
                        + " belongs to stage " + existing.stage().id() + ", not to stage " + stageId);
            }
            return existing;
        }
        Named stage = stages.computeIfAbsent(stageId, id -> new Named(id, stageName));
        Scenario created = new Scenario(stage, new Named(scenarioId, scenarioName));
        scenarios.put(scenarioId, created);
        return created;
    }

    Scenario scenario(long scenarioId) {
        return scenarios.get(scenarioId);
    }

    synchronized Scenario firstScenario() {
        return scenarios.values().stream()
                .min((a, b) -> Long.compare(a.scenario().id(), b.scenario().id()))
                .orElse(null);
    }

    void add(EmulatedHistory history) {
        histories.put(history.id, history);
        synchronized (order) {
            order.add(history);
        }
    }

    EmulatedHistory history(long historyId) {
        return histories.get(historyId);
    }

    /**
     * One page of the list, in the emulator's deliberately unsorted order: newest first with each
     * pair of neighbours swapped ({@code 4 5 2 3 1} for ids 1..5), so that a client that assumes
     * an order, or reads the first entry, goes wrong here as it would against NCP.
     */
    List<EmulatedHistory> page(int pageNo, int pageSize) {
        synchronized (order) {
            int n = order.size();
            long from = (long) (pageNo - 1) * pageSize;
            if (from >= n) {
                return List.of();
            }
            int to = (int) Math.min(n, from + pageSize);
            List<EmulatedHistory> page = new ArrayList<>(to - (int) from);
            for (int i = (int) from; i < to; i++) {
                int swapped = i ^ 1;
                int position = swapped < n ? swapped : i;
                page.add(order.get(n - 1 - position));
            }
            return page;
        }
    }
}
