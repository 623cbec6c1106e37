package io.deploytrack.cli.internal;

import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command lists of {@code --help}, laid out by hand: one entry per command under its own name (a deprecated alias
 * such as {@code k8s} still works but is not taught), each with a summary of its description (the text before its
 * first colon or full stop, parentheses left out; the whole description is in the command's own {@code --help}),
 * wrapped at word boundaries within {@value #WIDTH} columns. picocli's own list prints the whole first description
 * line, wrapped at punctuation, and every alias.
 */
final class HelpLayout {
    static final int WIDTH = 80;
    private static final int NAME_COLUMN = 2;
    private static final int SUMMARY_COLUMN = 20;

    private HelpLayout() {
    }

    /** Installs the layout on {@code cl} and every command under it. */
    static void install(CommandLine cl) {
        cl.setUsageHelpWidth(WIDTH);
        if (!cl.getSubcommands().isEmpty()) {
            cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> commandList(cl));
        }
        for (CommandLine sub : distinct(cl)) {
            install(sub);
        }
    }

    /** The names of the commands under {@code cl}, each once, deprecated aliases left out. */
    static List<String> names(CommandLine cl) {
        return distinct(cl).stream().map(c -> c.getCommandSpec().name()).toList();
    }

    private static List<CommandLine> distinct(CommandLine cl) {
        Map<CommandLine, Boolean> seen = new IdentityHashMap<>();
        List<CommandLine> out = new ArrayList<>();
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (seen.put(sub, Boolean.TRUE) == null && !sub.getCommandSpec().usageMessage().hidden()) {
                out.add(sub);
            }
        }
        return out;
    }

    private static String commandList(CommandLine cl) {
        StringBuilder out = new StringBuilder(); // under picocli's own "Commands:" heading
        for (CommandLine sub : distinct(cl)) {
            String name = sub.getCommandSpec().name();
            String[] description = sub.getCommandSpec().usageMessage().description();
            String summary = description.length == 0 ? "" : summary(description[0]);
            StringBuilder line = new StringBuilder(" ".repeat(NAME_COLUMN)).append(name);
            if (line.length() >= SUMMARY_COLUMN - 1) {
                out.append(line).append(System.lineSeparator());
                line = new StringBuilder();
            }
            line.append(" ".repeat(SUMMARY_COLUMN - line.length()));
            for (String word : summary.split(" ")) {
                if (line.length() + 1 + word.length() > WIDTH && line.length() > SUMMARY_COLUMN) {
                    out.append(line.toString().stripTrailing()).append(System.lineSeparator());
                    line = new StringBuilder(" ".repeat(SUMMARY_COLUMN));
                }
                line.append(line.length() > SUMMARY_COLUMN ? " " : "").append(word);
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return out.toString();
    }

    /** The text before the first colon or sentence end, without parentheses, ending with a full stop. */
    static String summary(String description) {
        String s = description.replaceAll("\\s*\\([^()]*\\)", "").strip();
        int end = s.length();
        for (String stop : List.of(": ", ". ", ";")) {
            int i = s.indexOf(stop);
            if (i > 0 && i < end) {
                end = i;
            }
        }
        s = s.substring(0, end).strip();
        if (s.endsWith(".") || s.endsWith(":")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? s : s + ".";
    }
}
