package io.netserve.core.internal.udp;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token bucket per source address in a fixed amount of memory, safe to share between threads.
 *
 * <p><b>Buckets.</b> Each source may send {@code burst = ratePerSecond} datagrams at once and then
 * one every {@code 1 s / ratePerSecond}. A bucket is kept in the equivalent GCRA form, as one
 * timestamp: the time its bucket will be full again ({@code tat}). A datagram at {@code now}
 * conforms when {@code max(tat, now) + interval - now <= burst * interval}, and then moves
 * {@code tat} on by one interval; a non-conforming one changes nothing.
 *
 * <p><b>Memory.</b> Sources are open-addressing hash table entries of two {@code long}s (a keyed
 * 64-bit fingerprint of the address, and {@code tat}) in arrays allocated once, split into up to 64
 * segments each with its own lock, sized for a load of 3/4 at {@code maxSources}: about 21 bytes per
 * source of capacity, whatever arrives. A segment may take up to 7/8 of its slots, so the uneven
 * spread of sources over segments does not cut the capacity; a counter shared by the segments
 * holds the total to {@code maxSources}. A bucket that is full again carries no information, so its
 * entry is dropped when a lookup walks over it or the cleaning cursor (a few slots per new source)
 * reaches it; entries therefore live at most about a second past a source's last datagram. When the
 * table is full of sources still inside their window, a new source is refused ({@link #TABLE_FULL})
 * rather than evicting one: evicting would hand a flooding source a fresh burst.
 *
 * <p><b>Keys.</b> The fingerprint is a bijective mix of the IPv4 address with a secret random key
 * (so IPv4 sources never collide), and a keyed mix of the 128 bits of an IPv6 address, whose
 * collisions a sender cannot aim for without the key. A collision would only make two sources share
 * a bucket.
 */
final class RateLimitTable {

    /** {@link #tryAcquire} result: the datagram conforms and was counted. */
    static final int ACCEPTED = 0;
    /** {@link #tryAcquire} result: the source is past its rate. */
    static final int OVER_RATE = 1;
    /** {@link #tryAcquire} result: a new source while its segment is full of live sources. */
    static final int TABLE_FULL = 2;

    private static final int MAX_SEGMENTS = 64;
    private static final int MIN_SOURCES_PER_SEGMENT = 256;
    /** Slots the cleaning cursor looks at for each new source. */
    private static final int CLEAN_STEPS = 4;
    /** Slots the cleaning cursor looks at before a new source is refused by a full segment. */
    private static final int FULL_CLEAN_STEPS = 64;
    private static final long ARRAY_HEADER_BYTES = 16;
    private static final long SEGMENT_OBJECT_BYTES = 40;

    private final int ratePerSecond;
    private final int maxSources;
    private final long intervalNanos;
    private final long burstNanos;
    private final Segment[] segments;
    private final int segmentMask;
    private final AtomicInteger held = new AtomicInteger();
    private final long k4;
    private final long k6a;
    private final long k6b;

    /** A table for {@code ratePerSecond} datagrams a second per source, tracking at most {@code maxSources}. */
    RateLimitTable(int ratePerSecond, int maxSources) {
        this(ratePerSecond, maxSources, new SecureRandom());
    }

    /** As above, with the fingerprint keys drawn from {@code keys} (tests use a fixed seed). */
    RateLimitTable(int ratePerSecond, int maxSources, Random keys) {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("ratePerSecond must be at least 1, was " + ratePerSecond);
        }
        if (maxSources < 1) {
            throw new IllegalArgumentException("maxSources must be at least 1, was " + maxSources);
        }
        this.ratePerSecond = ratePerSecond;
        this.maxSources = maxSources;
        this.intervalNanos = Math.max(1, 1_000_000_000L / ratePerSecond);
        this.burstNanos = intervalNanos * ratePerSecond;
        int n = Integer.highestOneBit(Math.max(1, Math.min(MAX_SEGMENTS, maxSources / MIN_SOURCES_PER_SEGMENT)));
        this.segments = new Segment[n];
        for (int i = 0; i < n; i++) {
            // Spread maxSources exactly: the first (maxSources % n) segments take one more.
            segments[i] = new Segment(maxSources / n + (i < maxSources % n ? 1 : 0), held);
        }
        this.segmentMask = n - 1;
        this.k4 = keys.nextLong();
        this.k6a = keys.nextLong();
        this.k6b = keys.nextLong();
    }

    /**
     * Counts a datagram from {@code source} at {@code nowNanos} (any monotonic nanosecond clock,
     * the same for every call) and says whether it conforms: {@link #ACCEPTED},
     * {@link #OVER_RATE} or {@link #TABLE_FULL}.
     */
    int tryAcquire(InetAddress source, long nowNanos) {
        long fp = fingerprint(source);
        Segment s = segments[(int) (fp >>> 58) & segmentMask];
        synchronized (s) {
            return s.tryAcquire(fp, nowNanos, intervalNanos, burstNanos, maxSources);
        }
    }

    /** Datagrams a second allowed per source. */
    int ratePerSecond() {
        return ratePerSecond;
    }

    /** The most sources tracked at once. */
    int maxSources() {
        return maxSources;
    }

    /** Sources held now, including some whose window has passed and that are not yet cleaned away. */
    int size() {
        return held.get();
    }

    /** The bytes this table holds on the heap: fixed at construction. */
    long footprintBytes() {
        long bytes = ARRAY_HEADER_BYTES + 4L * segments.length + 16; // the segments, and the shared counter
        for (Segment s : segments) {
            bytes += SEGMENT_OBJECT_BYTES + 2 * (ARRAY_HEADER_BYTES + 8L * s.keys.length);
        }
        return bytes;
    }

    long fingerprint(InetAddress address) {
        byte[] b = address.getAddress();
        long fp;
        if (b.length == 4) {
            fp = mix((toInt(b, 0) & 0xFFFF_FFFFL) ^ k4);
        } else {
            fp = mix(mix(toLong(b, 0) ^ k6a) ^ toLong(b, 8) ^ k6b);
        }
        return fp == 0 ? 1 : fp; // 0 marks an empty slot
    }

    /** MurmurHash3's 64-bit finalizer: a bijection with good avalanche. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static int toInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | b[off + 3] & 0xFF;
    }

    private static long toLong(byte[] b, int off) {
        return (toInt(b, off) & 0xFFFF_FFFFL) << 32 | toInt(b, off + 4) & 0xFFFF_FFFFL;
    }

    /** Linear probing with backward-shift deletion; guarded by its own monitor. */
    private static final class Segment {
        final int limit;
        final long[] keys;
        final long[] tats;
        final AtomicInteger held;
        int used;
        int cursor;

        Segment(int share, AtomicInteger held) {
            int slots = share + share / 3 + 1; // a load of 3/4 at its share of maxSources
            this.limit = Math.max(1, Math.min(slots - 1, slots - slots / 8)); // always an empty slot
            this.keys = new long[slots];
            this.tats = new long[slots];
            this.held = held;
        }

        int tryAcquire(long fp, long now, long interval, long burst, int maxSources) {
            int i = home(fp);
            long k;
            while ((k = keys[i]) != 0) {
                if (k == fp) {
                    return conform(i, now, interval, burst);
                }
                if (tats[i] - now <= 0) {
                    remove(i); // full again: forget it, and look at what moved into slot i
                } else {
                    i = next(i);
                }
            }
            clean(CLEAN_STEPS, now);
            if (!reserve(maxSources)) {
                clean(FULL_CLEAN_STEPS, now);
                if (!reserve(maxSources)) {
                    return TABLE_FULL;
                }
            }
            i = home(fp);
            while (keys[i] != 0) {
                i = next(i);
            }
            keys[i] = fp;
            tats[i] = now + interval;
            return ACCEPTED;
        }

        /** Takes a place for a new entry in this segment and in the table, if both have one. */
        private boolean reserve(int maxSources) {
            if (used >= limit) {
                return false;
            }
            if (held.incrementAndGet() > maxSources) {
                held.decrementAndGet();
                return false;
            }
            used++;
            return true;
        }

        private int conform(int i, long now, long interval, long burst) {
            long tat = tats[i];
            long next = (tat - now < 0 ? now : tat) + interval;
            if (next - now > burst) {
                return OVER_RATE;
            }
            tats[i] = next;
            return ACCEPTED;
        }

        /** Looks at up to {@code steps} slots from the cursor, removing entries whose window has passed. */
        private void clean(int steps, long now) {
            for (int s = 0; s < steps; s++) {
                int c = cursor;
                if (keys[c] != 0 && tats[c] - now <= 0) {
                    remove(c); // stay on c: an entry may have moved into it
                } else {
                    cursor = next(c);
                }
            }
        }

        /** Empties slot {@code i}, moving later entries of its run back so every lookup still finds them. */
        private void remove(int i) {
            int hole = i;
            int j = i;
            while (true) {
                j = next(j);
                long k = keys[j];
                if (k == 0) {
                    break;
                }
                int h = home(k);
                boolean staysAfterHole = hole <= j ? hole < h && h <= j : hole < h || h <= j;
                if (!staysAfterHole) {
                    keys[hole] = k;
                    tats[hole] = tats[j];
                    hole = j;
                }
            }
            keys[hole] = 0;
            tats[hole] = 0;
            used--;
            held.decrementAndGet();
        }

        private int home(long fp) {
            return (int) (((fp & 0xFFFF_FFFFL) * keys.length) >>> 32);
        }

        private int next(int i) {
            return i + 1 == keys.length ? 0 : i + 1;
        }
    }
}
