package io.deploytrack.jdbc;

import io.deploytrack.core.DeploymentStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A host's per-stage status columns ({@code --map check:NAME.status=COLUMN}) against the row they belong to. The
 * host's list shows them as the deployment's stages, so a row that ended while a stage column still says it runs
 * ({@code sourcedeploy_status = 'started'} on a success: the host's webhook handler ends the row and leaves the stage)
 * contradicts itself on the host's screen. Such a stage ended with its row: it takes the row's status, in the column's
 * own words.
 */
final class StageColumns {

    private StageColumns() {
    }

    /** The stage status columns read with the rows: {@code NAME.status} entries of the check columns. */
    static List<String> statusColumns(AdoptionSettings settings) {
        List<String> out = new ArrayList<>();
        settings.checkColumns().forEach((field, column) -> {
            if (field.endsWith(".status") && !out.contains(column)) {
                out.add(column);
            }
        });
        return out;
    }

    /**
     * The stage columns of an ended row that still say running, each with the word it ends with; none for a running
     * row, a status deploytrack does not know, or a table without stage columns.
     *
     * @param stored the row's stage status columns as stored (column to value, null values left out)
     */
    static List<Diagnosis.StageLeftRunning> leftRunning(Diagnosis.Row r, Map<String, String> stored,
                                                       AdoptionSettings settings) {
        List<Diagnosis.StageLeftRunning> out = new ArrayList<>();
        if (stored.isEmpty() || !Diagnosis.STATUSES.contains(r.normalStatus()) || "running".equals(r.normalStatus())) {
            return out;
        }
        DeploymentStatus ended = DeploymentStatus.fromWord(r.normalStatus());
        settings.checkColumns().forEach((field, column) -> {
            String value = stored.get(column);
            if (!field.endsWith(".status") || value == null) {
                return;
            }
            StatusWords words = settings.statusWordsOf(column);
            if ("running".equals(words.precise(value.strip()))) {
                String check = field.substring(0, field.length() - ".status".length());
                out.add(new Diagnosis.StageLeftRunning(r.id(), check, column, value, words.hostWord(ended), ended));
            }
        });
        return out;
    }
}
