package dev.c2cast.microcast.download;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Immutable parameters of an {@link HttpRangeProducer}, validated when constructed.
 *
 * @param uri                     {@code http://host:port/path} of the file.
 * @param fileSize                expected size of the file, checked against {@code Content-Range}; 0 if unknown.
 * @param entityTag               expected strong ETag, sent as {@code If-Range}; empty to adopt the first one seen.
 * @param connectTimeoutMillis    TCP connect timeout.
 * @param readTimeoutNanos        longest silence while a response is due.
 * @param maxRetries              retries of one segment after transient failures (timeouts, resets, 5xx).
 * @param initialBackoffNanos     wait before the first retry; doubled for each further retry.
 * @param maxBackoffNanos         longest wait between retries.
 * @param readLimitBytesPerSecond throttle of this producer's connection, 0 for none (emulates a device's link).
 */
public record HttpProducerConfig(
    URI uri,
    long fileSize,
    String entityTag,
    int connectTimeoutMillis,
    long readTimeoutNanos,
    int maxRetries,
    long initialBackoffNanos,
    long maxBackoffNanos,
    long readLimitBytesPerSecond)
{
    /** Default connect timeout: 5 s. */
    public static final int CONNECT_TIMEOUT_MILLIS_DEFAULT = 5_000;
    /** Default read timeout: 10 s. */
    public static final long READ_TIMEOUT_NANOS_DEFAULT = TimeUnit.SECONDS.toNanos(10);
    /** Default retries per segment. */
    public static final int MAX_RETRIES_DEFAULT = 3;
    /** Default first backoff: 100 ms. */
    public static final long INITIAL_BACKOFF_NANOS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);
    /** Default longest backoff: 2 s. */
    public static final long MAX_BACKOFF_NANOS_DEFAULT = TimeUnit.SECONDS.toNanos(2);

    /**
     * Validates the parameters.
     *
     * @param uri                     file URI.
     * @param fileSize                expected size or 0.
     * @param entityTag               expected ETag or empty.
     * @param connectTimeoutMillis    connect timeout.
     * @param readTimeoutNanos        read timeout.
     * @param maxRetries              retries per segment.
     * @param initialBackoffNanos     first backoff.
     * @param maxBackoffNanos         longest backoff.
     * @param readLimitBytesPerSecond throttle or 0.
     */
    public HttpProducerConfig
    {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(entityTag, "entityTag");
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null)
        {
            throw new IllegalArgumentException("an http:// URI with a host is required: " + uri);
        }
        if (fileSize < 0 || connectTimeoutMillis <= 0 || readTimeoutNanos <= 0 || maxRetries < 0 ||
            initialBackoffNanos <= 0 || maxBackoffNanos < initialBackoffNanos || readLimitBytesPerSecond < 0)
        {
            throw new IllegalArgumentException("invalid HTTP producer configuration");
        }
        if (entityTag.startsWith("W/"))
        {
            throw new IllegalArgumentException("If-Range needs a strong entity tag: " + entityTag);
        }
    }

    /**
     * Defaults for a URI.
     *
     * @param uri the file.
     * @return a configuration with the {@code *_DEFAULT} values, unknown size and ETag, no throttle.
     */
    public static HttpProducerConfig of(final URI uri)
    {
        return new HttpProducerConfig(uri, 0, "", CONNECT_TIMEOUT_MILLIS_DEFAULT, READ_TIMEOUT_NANOS_DEFAULT,
            MAX_RETRIES_DEFAULT, INITIAL_BACKOFF_NANOS_DEFAULT, MAX_BACKOFF_NANOS_DEFAULT, 0);
    }

    /**
     * A copy expecting a file size and entity tag.
     *
     * @param fileSize  expected size.
     * @param entityTag expected strong ETag.
     * @return the new configuration.
     */
    public HttpProducerConfig withSource(final long fileSize, final String entityTag)
    {
        return new HttpProducerConfig(uri, fileSize, entityTag, connectTimeoutMillis, readTimeoutNanos, maxRetries,
            initialBackoffNanos, maxBackoffNanos, readLimitBytesPerSecond);
    }

    /**
     * A copy with a connection throttle.
     *
     * @param bytesPerSecond read limit, 0 for none.
     * @return the new configuration.
     */
    public HttpProducerConfig withReadLimit(final long bytesPerSecond)
    {
        return new HttpProducerConfig(uri, fileSize, entityTag, connectTimeoutMillis, readTimeoutNanos, maxRetries,
            initialBackoffNanos, maxBackoffNanos, bytesPerSecond);
    }

    /**
     * A copy with other timeouts and retries.
     *
     * @param connectTimeoutMillis connect timeout.
     * @param readTimeoutNanos     read timeout.
     * @param maxRetries           retries per segment.
     * @return the new configuration.
     */
    public HttpProducerConfig withTimeouts(final int connectTimeoutMillis, final long readTimeoutNanos,
        final int maxRetries)
    {
        return new HttpProducerConfig(uri, fileSize, entityTag, connectTimeoutMillis, readTimeoutNanos, maxRetries,
            initialBackoffNanos, maxBackoffNanos, readLimitBytesPerSecond);
    }
}
