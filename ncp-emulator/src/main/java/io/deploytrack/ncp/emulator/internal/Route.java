package io.deploytrack.ncp.emulator.internal;

import io.deploytrack.ncp.emulator.RequestKind;

/**
 * A request path taken apart: which call it is and the ids in it. An id that is not a positive
 * number is kept as {@code badId} and answered 404, as the gateway would.
 */
record Route(RequestKind kind, Long projectId, Long stageId, Long scenarioId, Long historyId, String badId) {

    private static final String PREFIX = "/api/v1/project/";

    static Route parse(String method, String path) {
        if (!path.startsWith(PREFIX)) {
            return unknown();
        }
        String[] s = path.substring(PREFIX.length()).split("/", -1);
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        // s[0] = projectId
        if (s.length == 2 && get && s[1].equals("history")) {
            return of(RequestKind.LIST, s[0], null, null, null);
        }
        if (s.length == 3 && get && s[1].equals("history")) {
            return of(RequestKind.DETAIL, s[0], null, null, s[2]);
        }
        if (s.length == 4 && post && s[1].equals("history") && s[3].equals("cancel")) {
            return of(RequestKind.CANCEL, s[0], null, null, s[2]);
        }
        if (s.length == 5 && post && s[1].equals("history") && s[3].equals("approval") && s[4].equals("accept")) {
            return of(RequestKind.APPROVE, s[0], null, null, s[2]);
        }
        if ((s.length == 6 || s.length == 7) && post && s[1].equals("stage") && s[3].equals("scenario")
                && s[5].equals("deploy")) {
            if (s.length == 6) {
                return of(RequestKind.DEPLOY, s[0], s[2], s[4], null);
            }
            if (s[6].equals("request")) {
                return of(RequestKind.DEPLOY_REQUEST, s[0], s[2], s[4], null);
            }
        }
        return unknown();
    }

    static Route unknown() {
        return new Route(RequestKind.UNKNOWN, null, null, null, null, null);
    }

    static Route of(RequestKind kind, String project, String stage, String scenario, String history) {
        String bad = null;
        Long p = id(project);
        if (p == null) {
            bad = project;
        }
        Long st = stage == null ? null : id(stage);
        if (stage != null && st == null && bad == null) {
            bad = stage;
        }
        Long sc = scenario == null ? null : id(scenario);
        if (scenario != null && sc == null && bad == null) {
            bad = scenario;
        }
        Long h = history == null ? null : id(history);
        if (history != null && h == null && bad == null) {
            bad = history;
        }
        return new Route(kind, p, st, sc, h, bad);
    }

    private static Long id(String segment) {
        if (segment.isEmpty() || segment.length() > 18) {
            return null;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (segment.charAt(i) < '0' || segment.charAt(i) > '9') {
                return null;
            }
        }
        long value = Long.parseLong(segment);
        return value > 0 ? value : null;
    }
}
