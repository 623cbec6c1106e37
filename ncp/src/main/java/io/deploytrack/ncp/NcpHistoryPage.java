package io.deploytrack.ncp;

import java.util.List;
import java.util.Optional;

/**
 * One page of a project's history list. NCP does not document the list's order: find a deployment
 * by its id with {@link #find(long)}, never by its position.
 *
 * @param projectId the project listed
 * @param pageNo    the page number asked for (from 1)
 * @param pageSize  the page size asked for (1 to 100)
 * @param histories the entries, in the order NCP sent them
 */
public record NcpHistoryPage(long projectId, int pageNo, int pageSize, List<NcpHistorySummary> histories) {

    /**
     * Copies the list.
     *
     * @param projectId the project listed
     * @param pageNo    the page number
     * @param pageSize  the page size
     * @param histories the entries
     */
    public NcpHistoryPage {
        histories = List.copyOf(histories);
    }

    /**
     * @param historyId a history id
     * @return the entry with that id, if it is on this page
     */
    public Optional<NcpHistorySummary> find(long historyId) {
        return histories.stream().filter(h -> h.id() == historyId).findFirst();
    }

    /** @return true when the page is full, so a next page may exist */
    public boolean mayHaveMore() {
        return histories.size() >= pageSize;
    }
}
