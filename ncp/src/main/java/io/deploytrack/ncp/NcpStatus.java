package io.deploytrack.ncp;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The 14 status words of an NCP SourceDeploy deployment (field {@code status}), exactly as NCP
 * spells them: {@code fail} not "failed", {@code canceled}/{@code canceling} with one "l",
 * {@code inprogress} without an underscore.
 */
public enum NcpStatus {
    /** {@code inprogress}: deploying. */
    INPROGRESS("inprogress", null),
    /** {@code waiting}: waiting to deploy. */
    WAITING("waiting", null),
    /** {@code pending}: waiting for a human's approval. */
    PENDING("pending", null),
    /** {@code canceling}: being canceled. */
    CANCELING("canceling", null),
    /** {@code canary_pending}: canary deployment waiting. */
    CANARY_PENDING("canary_pending", null),
    /** {@code canary_analyzing}: canary being analyzed. */
    CANARY_ANALYZING("canary_analyzing", null),
    /** {@code canary_rejecting}: canary being rejected. */
    CANARY_REJECTING("canary_rejecting", null),
    /** {@code success}: finished. */
    SUCCESS("success", Outcome.SUCCEEDED),
    /** {@code fail}: failed. */
    FAIL("fail", Outcome.FAILED),
    /** {@code error}: ended in an error. */
    ERROR("error", Outcome.FAILED),
    /** {@code reject}: the approval was refused. */
    REJECT("reject", Outcome.FAILED),
    /** {@code canary_reject}: the canary was rejected. */
    CANARY_REJECT("canary_reject", Outcome.FAILED),
    /** {@code canary_waiting_timeout}: the canary decision timed out. */
    CANARY_WAITING_TIMEOUT("canary_waiting_timeout", Outcome.FAILED),
    /** {@code canceled}: canceled. */
    CANCELED("canceled", Outcome.CANCELLED);

    /** How a terminal status ended the deployment. */
    public enum Outcome {
        /** The deployment succeeded. */
        SUCCEEDED,
        /** The deployment failed (fail, error, reject, canary_reject, canary_waiting_timeout). */
        FAILED,
        /** The deployment was canceled. */
        CANCELLED
    }

    private static final Map<String, NcpStatus> BY_WORD = new HashMap<>();

    static {
        for (NcpStatus status : values()) {
            BY_WORD.put(status.word, status);
        }
    }

    private final String word;
    private final Outcome outcome;

    NcpStatus(String word, Outcome outcome) {
        this.word = word;
        this.outcome = outcome;
    }

    /** @return the word as NCP writes it, e.g. "inprogress" */
    public String word() {
        return word;
    }

    /** @return true when the deployment has ended and the status will not change again */
    public boolean isTerminal() {
        return outcome != null;
    }

    /** @return how the deployment ended, or empty while it is not terminal */
    public Optional<Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    /** @return true for {@code pending}: the deployment waits for a human to approve it */
    public boolean awaitsApproval() {
        return this == PENDING;
    }

    /**
     * The status for a word, ignoring case and surrounding blanks.
     *
     * @param word a status word as NCP sent it, possibly null
     * @return the status, or empty for null or a word NCP does not document (never throws)
     */
    public static Optional<NcpStatus> fromWord(String word) {
        if (word == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_WORD.get(word.strip().toLowerCase(Locale.ROOT)));
    }
}
