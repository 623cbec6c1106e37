package io.deploytrack.ncp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class NcpStatusTest {

    @ParameterizedTest
    @CsvSource({
            "inprogress,", "waiting,", "pending,", "canceling,", "canary_pending,", "canary_analyzing,",
            "canary_rejecting,", "success,SUCCEEDED", "fail,FAILED", "error,FAILED", "reject,FAILED",
            "canary_reject,FAILED", "canary_waiting_timeout,FAILED", "canceled,CANCELLED"})
    void everyDocumentedWordHasItsOutcome(String word, NcpStatus.Outcome outcome) {
        NcpStatus status = NcpStatus.fromWord(word).orElseThrow();
        assertThat(status.word()).isEqualTo(word);
        assertThat(status.outcome()).isEqualTo(java.util.Optional.ofNullable(outcome));
        assertThat(status.isTerminal()).isEqualTo(outcome != null);
    }

    @Test
    void exactlyFourteenWordsAndOnlyPendingAwaitsApproval() {
        assertThat(NcpStatus.values()).hasSize(14);
        assertThat(Arrays.stream(NcpStatus.values()).filter(NcpStatus::awaitsApproval)).containsExactly(NcpStatus.PENDING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"failed", "cancelled", "cancelling", "in_progress", "succeeded", "", "  ", "running"})
    void wordsNcpDoesNotUseAreUnknownNotErrors(String word) {
        assertThat(NcpStatus.fromWord(word)).isEmpty();
    }

    @Test
    void nullIsUnknownAndCaseIsIgnored() {
        assertThat(NcpStatus.fromWord(null)).isEmpty();
        assertThat(NcpStatus.fromWord(" Success ")).contains(NcpStatus.SUCCESS);
    }
}
