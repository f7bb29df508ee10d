package com.voxroute.benchmarks;

/**
 * Sends one {@code POST} of a JSON body to a fixed submit URI with a fixed bearer token, asynchronously: the
 * load generator's HTTP client behind {@link HttpSubmitPipeline}. Two implementations, so that their cost can be
 * compared on the same server and schedule: {@link JettyHttpTransport} (the default) and {@link JdkHttpTransport}.
 *
 * <p>Threading: {@link #post} from any thread, never blocks on the network; the reply arrives on a transport
 * thread. {@link #close()} once, after the last reply.
 */
public interface HttpTransport extends AutoCloseable {

    /** What a request ended with; called exactly once per {@link #post}, on a transport thread. */
    @FunctionalInterface
    interface Reply {
        /**
         * @param status  the HTTP status (0 when {@code failure} is set)
         * @param body    the whole response body when it was asked for and the exchange succeeded, else
         *                {@code null}
         * @param failure the transport failure (connection refused or reset, timeout), or {@code null}
         */
        void done(int status, byte[] body, Throwable failure);
    }

    /**
     * @param body     the request body, {@code application/json}; not modified, not copied
     * @param readBody {@code true}: hand the response body to {@code reply}; {@code false}: read and drop it
     * @param reply    called once when the response has been read in full, or the exchange failed
     */
    void post(byte[] body, boolean readBody, Reply reply);

    /** Stops the client and its threads (requests still in flight fail). */
    @Override
    void close();
}
