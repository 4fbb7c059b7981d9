package org.mlskit.ds.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A live mailbox: entries after the cursor given, then new ones as the DS accepts them, each
 * once and in order. The listener runs on the WebSocket's thread, one call at a time. After a
 * disconnect, open a new subscription from the last sequence number seen: nothing is lost.
 */
public final class Subscription implements AutoCloseable {
    /** What a subscription reports. */
    public interface Listener {
        void entries(List<DsClient.Entry> entries);

        /** Caught up: everything up to {@code seq} was delivered, new entries follow live. */
        default void live(long seq) {
        }

        /** The socket closed (by either side); {@code code} 4008 means the client read too slowly. */
        default void closed(int code, String reason) {
        }
    }

    private final WebSocket socket;
    private final Closing closing;

    private Subscription(WebSocket socket, Closing closing) {
        this.socket = socket;
        this.closing = closing;
    }

    /** Tells the listener once that the socket closed, however it closed. */
    private static final class Closing {
        private final Listener listener;
        private boolean told;

        Closing(Listener listener) {
            this.listener = listener;
        }

        void closed(int code, String reason) {
            synchronized (this) {
                if (told) {
                    return;
                }
                told = true;
            }
            listener.closed(code, reason);
        }
    }

    static Subscription open(HttpClient http, URI uri, Listener listener) {
        Closing closing = new Closing(listener);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    JsonObject o = JsonParser.parseString(text.toString()).getAsJsonObject();
                    text.setLength(0);
                    switch (o.get("type").getAsString()) {
                        case "entries" -> listener.entries(DsClient.entries(o.getAsJsonArray("entries")));
                        case "live" -> listener.live(o.get("seq").getAsLong());
                        default -> {
                            // newer servers may send more kinds; ignore what we do not know
                        }
                    }
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closing.closed(statusCode, reason);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closing.closed(1006, String.valueOf(error));
            }
        }).orTimeout(10, TimeUnit.SECONDS).join();
        ws.sendText("{\"type\":\"start\"}", true).orTimeout(10, TimeUnit.SECONDS).join();
        return new Subscription(ws, closing);
    }

    /** Acknowledges up to {@code seq} over the socket. */
    public CompletableFuture<WebSocket> ack(long seq) {
        return socket.sendText("{\"type\":\"ack\",\"upTo\":" + seq + "}", true);
    }

    /** Drops the connection without a close handshake (tests simulate a network failure with it). */
    public void abort() {
        socket.abort();
        closing.closed(1006, "aborted"); // java.net.http does not tell the listener about an abort
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
