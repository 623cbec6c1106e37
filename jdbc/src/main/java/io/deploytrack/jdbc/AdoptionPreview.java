package io.deploytrack.jdbc;

import java.util.List;

/**
 * What opening a database with some adoption settings would do, found without changing it
 * ({@link JdbcHistoryStore.Builder#previewAdoption()}).
 *
 * @param settings       the settings that would be in effect
 * @param adopts         whether the table is a host's own that would be adopted now (false: deploytrack's already)
 * @param addedColumns   the columns adoption would add to {@code deployment_histories}
 * @param createdIndexes the indexes adoption would create on deploytrack's and the host's tables
 * @param pendingIndexes the unique indexes existing rows keep from being created (repair creates them)
 * @param missingValues  NOT NULL host columns without a default that deploytrack would have no value for: the store
 *                       refuses to open until each has a default
 * @param timeEncoding   how the history's times would be read and written, for people
 * @param diagnosis      the rows as they would be after adoption: what {@code repair} would have to do
 */
public record AdoptionPreview(AdoptionSettings settings, boolean adopts, List<String> addedColumns,
                              List<String> createdIndexes, List<String> pendingIndexes, List<String> missingValues, String timeEncoding,
                              Diagnosis diagnosis) {

    /** Copies the lists. */
    public AdoptionPreview {
        addedColumns = List.copyOf(addedColumns);
        createdIndexes = List.copyOf(createdIndexes);
        pendingIndexes = List.copyOf(pendingIndexes);
        missingValues = List.copyOf(missingValues);
    }
}
