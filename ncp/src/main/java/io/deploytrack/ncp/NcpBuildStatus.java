package io.deploytrack.ncp;

import java.util.Optional;

/**
 * SourceBuild's status words, exactly as NCP spells them (api.ncloud-docs.com devtools-sourcebuild-buildhistorylist,
 * the ja and gov pages list them; the en page truncates): {@code prepare} (provisioning and running) and
 * {@code upload} (storing the result) run; {@code success}, {@code fail} and {@code canceled} end. Not
 * {@code failed}, {@code cancelled}, {@code running} or {@code succeeded}.
 */
public enum NcpBuildStatus {
    /** Provisioning and running the build. */
    PREPARE("prepare", false),
    /** Storing the result. */
    UPLOAD("upload", false),
    /** Built. */
    SUCCESS("success", true),
    /** Failed; {@code failedPhase} says where. */
    FAIL("fail", true),
    /** Canceled (one "l"). */
    CANCELED("canceled", true);

    private final String word;
    private final boolean terminal;

    NcpBuildStatus(String word, boolean terminal) {
        this.word = word;
        this.terminal = terminal;
    }

    /** @return NCP's word */
    public String word() {
        return word;
    }

    /** @return whether the build has ended */
    public boolean isTerminal() {
        return terminal;
    }

    /**
     * @param word a status word, or null
     * @return its status, empty for null or a word SourceBuild does not document
     */
    public static Optional<NcpBuildStatus> fromWord(String word) {
        if (word != null) {
            for (NcpBuildStatus s : values()) {
                if (s.word.equals(word)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }
}
