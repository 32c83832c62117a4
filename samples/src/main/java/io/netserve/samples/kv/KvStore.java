package io.netserve.samples.kv;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-memory map behind the key-value server, bounded in keys (and, through the maximum frame
 * length, in value size). Values are copied in and out, so callers never share an array with it.
 * Thread-safe: connections on every event loop and the embedding application use it at once.
 */
public final class KvStore {

    /** The default maximum number of keys. */
    public static final int DEFAULT_MAX_KEYS = 100_000;

    private final ConcurrentMap<String, byte[]> map = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int maxKeys;

    /** A store of at most {@link #DEFAULT_MAX_KEYS} keys. */
    public KvStore() {
        this(DEFAULT_MAX_KEYS);
    }

    /** A store of at most {@code maxKeys} keys, 1 to 100,000,000. */
    public KvStore(int maxKeys) {
        if (maxKeys < 1 || maxKeys > 100_000_000) {
            throw new IllegalArgumentException("maxKeys must be between 1 and 100000000, was " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    /** A copy of {@code key}'s value, if set. */
    public Optional<byte[]> get(String key) {
        byte[] value = map.get(Objects.requireNonNull(key, "key"));
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    /**
     * Sets {@code key} to a copy of {@code value}; false, changing nothing, if {@code key} is new
     * and the store already holds its maximum number of keys.
     */
    public boolean set(String key, byte[] value) {
        Objects.requireNonNull(key, "key");
        byte[] copy = value.clone();
        boolean[] stored = {true};
        map.compute(key, (k, old) -> {
            // A new key reserves its place in the count first, so concurrent SETs never pass the maximum.
            if (old == null && size.getAndUpdate(n -> n < maxKeys ? n + 1 : n) >= maxKeys) {
                stored[0] = false;
                return null;
            }
            return copy;
        });
        return stored[0];
    }

    /** Removes {@code key}; false if it was not set. */
    public boolean delete(String key) {
        if (map.remove(Objects.requireNonNull(key, "key")) != null) {
            size.decrementAndGet();
            return true;
        }
        return false;
    }

    /** The number of keys set. */
    public int size() {
        return size.get();
    }

    /** Answers {@code request}. */
    KvResponse apply(KvRequest request) {
        return switch (request.op()) {
            case GET -> get(request.key()).map(KvResponse::found).orElse(KvResponse.of(KvResponse.Status.NOT_FOUND));
            case SET -> KvResponse.of(set(request.key(), request.value()) ? KvResponse.Status.OK : KvResponse.Status.FULL);
            case DEL -> KvResponse.of(delete(request.key()) ? KvResponse.Status.OK : KvResponse.Status.NOT_FOUND);
        };
    }
}
