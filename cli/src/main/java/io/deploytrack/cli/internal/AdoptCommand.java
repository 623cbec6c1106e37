package io.deploytrack.cli.internal;

import io.deploytrack.jdbc.AdoptionPreview;
import io.deploytrack.jdbc.AdoptionSettings;
import io.deploytrack.jdbc.Diagnosis;
import io.deploytrack.jdbc.JdbcHistoryStore;
import io.deploytrack.jdbc.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code adopt}: reads (and with {@code --apply} records) how deploytrack uses a host's own history table. */
@Command(name = "adopt", mixinStandardHelpOptions = true,
        description = {"Adopts a deployment_histories table a host's own code writes: prints what adoption will do "
                + "(columns to add, indexes, the mapping, the rows that will need repair) and, with --apply, records "
                + "the settings in the database (deploytrack_settings), so every later command and every "
                + "JdbcHistoryStore opened on it uses them without flags.",
                "Exit code 0: adoptable (applied with --apply); 1: a NOT NULL column has no value yet (add --default)."})
final class AdoptCommand extends BaseCommand {

    @Option(names = "--zone", paramLabel = "ZONE", description = "The zone of the table's naive timestamps, e.g. "
            + "Asia/Seoul: read in it, and written back naive in it, in the column's own format (default UTC).")
    String zone;

    @Option(names = "--map", paramLabel = "FIELD=COLUMN", description = "A host column that holds a field: "
            + "environment=namespace; a request attribute kept in a column: attribute:ncp_history_id=deploy_id; a "
            + "check's stage columns: check:ncp.status=sourcedeploy_status, check:ncp.duration=sourcedeploy_duration "
            + "(whole seconds); the rollback link: rollback_of=rollback_from_id. A column deploytrack owns is refused.")
    List<String> maps = new ArrayList<>();

    @Option(names = "--status-map", paramLabel = "[COLUMN:]WORD=HOSTWORD", description = "The host's word for a "
            + "status in its status column (cancelled=failed), or in a stage column mapped with check:NAME.status "
            + "(sourcedeploy_status:running=started). deploytrack writes the host's word and keeps its precise status "
            + "in deploytrack_status, which it reports; a row only the host wrote reads through the map in reverse.")
    List<String> statusMaps = new ArrayList<>();

    @Option(names = "--stage-name", paramLabel = "CHECK=HOSTSTAGE", description = "The host's name of a check's stage, "
            + "written where deploytrack writes a stage into the table (error_stage), e.g. ncp=sourcedeploy.")
    List<String> stageNames = new ArrayList<>();

    @Option(names = "--default", paramLabel = "COLUMN=VALUE", description = "A value for a host column on rows "
            + "deploytrack inserts, e.g. user_id=deploytrack; a request attribute of the same name wins.")
    List<String> defaults = new ArrayList<>();

    @Option(names = "--apply", description = "Adopt the table and record the settings (default: only print the plan).")
    boolean apply;

    @Override
    public Integer call() {
        AdoptionSettings given = settings();
        PrintWriter out = out();
        String location = databaseLocation();
        if (!apply) {
            AdoptionPreview p = Database.builder(location, true, context().clock()).adoption(given).previewAdoption();
            out.println("adoption plan for " + Database.describe(location) + " (dry run: nothing is changed)");
            print(out, p.settings(), p.timeEncoding());
            out.println("  table: " + (p.adopts() ? "a host's own deployment_histories, adopted by --apply"
                    : "already deploytrack's"));
            if (!p.addedColumns().isEmpty()) {
                out.println("  columns to add: " + String.join(", ", p.addedColumns()));
            }
            if (!p.createdIndexes().isEmpty()) {
                out.println("  indexes to create: " + String.join(", ", p.createdIndexes()));
            }
            if (!p.pendingIndexes().isEmpty()) {
                out.println("  unique indexes pending until 'deploytrack repair --apply' (existing rows break them): "
                        + String.join(", ", p.pendingIndexes()));
            }
            printRepair(out, p.diagnosis());
            if (!p.missingValues().isEmpty()) {
                for (String column : p.missingValues()) {
                    out.println("  NOT NULL without a value: " + column + " (the host's column has no default): add "
                            + "--default " + column + "=VALUE");
                }
                out.println("not adoptable as given: deploytrack could not insert a row; add the --default options above");
                return ExitCodes.FAILURE;
            }
            out.println("'deploytrack adopt" + arguments() + " --apply' adopts the table and records these settings");
            return ExitCodes.OK;
        }
        try (Database db = Database.open(location, true, context().clock(),
                b -> b.adoption(given).recordAdoptionSettings())) {
            JdbcHistoryStore store = db.store();
            out.println("adopted " + db.describe() + "; settings recorded in deploytrack_settings:");
            print(out, store.adoptionSettings(), store.timeEncoding());
            printRepair(out, store.maintenance().diagnose());
            return ExitCodes.OK;
        }
    }

    private AdoptionSettings settings() {
        AdoptionSettings s = AdoptionSettings.none();
        try {
            if (zone != null) {
                s = s.withZone(AdoptionSettings.parseZone(zone));
            }
            for (String m : maps) {
                String[] kv = pair(m, "--map", "FIELD=COLUMN, e.g. environment=namespace");
                s = s.withMapping(kv[0], kv[1]);
            }
            for (String d : defaults) {
                String[] kv = pair(d, "--default", "COLUMN=VALUE, e.g. user_id=deploytrack");
                s = s.withDefault(kv[0], kv[1]);
            }
            for (String w : statusMaps) {
                String[] kv = pair(w, "--status-map", "WORD=HOSTWORD or COLUMN:WORD=HOSTWORD, e.g. cancelled=failed");
                s = s.withStatusWord(kv[0], kv[1]);
            }
            for (String n : stageNames) {
                String[] kv = pair(n, "--stage-name", "CHECK=HOSTSTAGE, e.g. ncp=sourcedeploy");
                s = s.withStageName(kv[0], kv[1]);
            }
            s = s.requireComplete();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return s;
    }

    private String[] pair(String value, String option, String expected) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw usage(option + " " + value + " is not usable: expected " + expected);
        }
        return new String[] {value.substring(0, eq).strip(), value.substring(eq + 1)};
    }

    private String arguments() {
        StringBuilder b = new StringBuilder();
        if (zone != null) {
            b.append(" --zone ").append(zone);
        }
        maps.forEach(m -> b.append(" --map ").append(m));
        defaults.forEach(d -> b.append(" --default ").append(d));
        statusMaps.forEach(w -> b.append(" --status-map ").append(w));
        stageNames.forEach(n -> b.append(" --stage-name ").append(n));
        return b.toString();
    }

    private static void print(PrintWriter out, AdoptionSettings s, String times) {
        out.println("  times: " + times);
        out.println("  environment: column " + s.environmentColumnOrDefault());
        s.attributeColumns().forEach((a, c) -> out.println("  attribute " + a + ": column " + c));
        s.columnDefaults().forEach((c, v) -> out.println("  default: " + c + " = " + v));
        if (s.rollbackOfColumn() != null) {
            out.println("  rollback link: column " + s.rollbackOfColumn());
        }
        s.checkColumns().forEach((f, c) -> out.println("  check " + f + ": column " + c));
        if (!s.statusWords().isEmpty()) {
            out.println("  status words: " + s.statusWords() + " (precise status kept in "
                    + AdoptionSettings.PRECISE_STATUS_COLUMN + ")");
        }
        s.columnStatusWords().forEach((c, w) -> out.println("  status words of " + c + ": " + w));
        s.stageNames().forEach((k, n) -> out.println("  stage name: check " + k + " is " + n));
    }

    private static void printRepair(PrintWriter out, Diagnosis d) {
        if (d.healthy()) {
            out.println("  rows: " + d.rows().size() + ", none needs repair");
            return;
        }
        Map<String, Integer> byKind = new TreeMap<>();
        for (Problem p : d.problems()) {
            byKind.merge(p.kind().word(), 1, Integer::sum);
        }
        out.println("  rows: " + d.rows().size() + "; to repair: " + byKind.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse("")
                + " ('deploytrack doctor' lists them, 'deploytrack repair --apply' fixes them)");
    }
}
