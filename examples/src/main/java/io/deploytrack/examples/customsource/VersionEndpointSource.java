package io.deploytrack.examples.customsource;

import io.deploytrack.core.CheckRef;
import io.deploytrack.core.InvalidRequestException;
import io.deploytrack.core.Observation;
import io.deploytrack.core.PollingSource;
import io.deploytrack.core.SourceException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * A status source written outside the library, for a target deploytrack does not know: a service whose
 * {@code GET /version} answers the commit SHA it runs. The deployment succeeds once it answers ours.
 *
 * <p>It is registered in {@code META-INF/services/io.deploytrack.core.StatusSource}, so a tracker finds it without
 * being told; its reference (URL and SHA) is stored with the check, so another process resumes it.
 */
public final class VersionEndpointSource implements PollingSource {

    /** The type stored with each check. */
    public static final String TYPE = "http-version";
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,40}");

    private final HttpClient http;

    /** The no-argument constructor {@link java.util.ServiceLoader} needs. */
    public VersionEndpointSource() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** A source on the given client. */
    public VersionEndpointSource(HttpClient http) {
        this.http = http;
    }

    /** The reference for "the service at {@code versionUrl} runs {@code commitSha}". */
    public static CheckRef ref(URI versionUrl, String commitSha) {
        return CheckRef.of(TYPE, "url", versionUrl.toString(), "sha", commitSha.toLowerCase(Locale.ROOT));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(CheckRef ref) {
        String url = ref.require("url");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new InvalidRequestException("url", "url '" + url + "' is not usable: expected an http(s) URL of the /version endpoint");
        }
        String sha = ref.require("sha");
        if (!SHA.matcher(sha).matches()) {
            throw new InvalidRequestException("sha", "sha '" + sha + "' is not a commit SHA: expected 7 to 40 hexadecimal characters");
        }
    }

    @Override
    public CompletionStage<Observation> poll(CheckRef ref) {
        String expected = ref.require("sha");
        HttpRequest request = HttpRequest.newBuilder(URI.create(ref.require("url"))).timeout(Duration.ofSeconds(5))
                .header("Accept", "text/plain").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null) {
                        throw SourceException.transientFailure("version endpoint unreachable: " + error.getMessage(), null, error);
                    }
                    if (response.statusCode() >= 500 || response.statusCode() == 429) {
                        throw SourceException.transientFailure("version endpoint answered HTTP " + response.statusCode(), null, null);
                    }
                    if (response.statusCode() != 200) {
                        throw SourceException.permanent("version endpoint answered HTTP " + response.statusCode()
                                + ": expected 200 with the running commit SHA", null);
                    }
                    String running = response.body().trim().toLowerCase(Locale.ROOT);
                    boolean ours = !running.isEmpty() && (running.startsWith(expected) || expected.startsWith(running));
                    String word = "serving " + (running.length() > 7 ? running.substring(0, 7) : running);
                    return ours ? Observation.succeeded(word) : Observation.inProgress(word);
                });
    }
}
