package io.deploytrack.webhook.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/** Connections open now, in all and per remote address, within their limits. Thread-safe. Not public API. */
public final class ConnectionCount {
    private final int max;
    private final int maxPerAddress;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int total;

    /** At most {@code max} connections, {@code maxPerAddress} of them from one address. */
    public ConnectionCount(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a connection from {@code address}; null (counted nothing) when within the limits, else why not. */
    public synchronized String open(InetAddress address) {
        if (total >= max) {
            return "the receiver has " + total + " connections open, its limit";
        }
        int mine = perAddress.getOrDefault(address, 0);
        if (mine >= maxPerAddress) {
            return mine + " connections from " + address.getHostAddress() + " are open, the limit per address";
        }
        perAddress.put(address, mine + 1);
        total++;
        return null;
    }

    /** Uncounts a connection {@link #open} counted. */
    public synchronized void closed(InetAddress address) {
        total--;
        perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }

    /** Connections open now. */
    public synchronized int total() {
        return total;
    }
}
