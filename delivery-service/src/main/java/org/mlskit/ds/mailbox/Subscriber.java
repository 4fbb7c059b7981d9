package org.mlskit.ds.mailbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * One open mailbox WebSocket. It first catches up from the client's cursor (reading the
 * database) while live entries wait in a buffer, then goes live; every entry is sent once and in
 * order because only entries after the last one sent are ever sent. A client too slow to read is
 * disconnected (it reconnects from its cursor) rather than buffered without bound.
 */
final class Subscriber {
    /** Bytes queued in the socket past which the client counts as too slow. */
    static final long MAX_PENDING = 16L << 20;
    /** Close code for a client that fell behind (application range 4000-4999). */
    static final int TOO_SLOW = 4008;

    final long dev;
    private final Session session;
    /** Where frames go as bytes (Jetty's public API would take text only as a String). */
    private final CoreSession core;
    private long lastSent;
    private List<Entry> buffer = new ArrayList<>();
    /** Opened with {@code hold=1}: nothing is sent, nor buffered, until the client asks to start. */
    private boolean holding;
    private long pending;
    private boolean closed;

    Subscriber(long dev, Session session, long after, boolean hold) {
        this.dev = dev;
        this.holding = hold;
        this.session = session;
        this.core = ((WebSocketSession) session).getCoreSession();
        this.lastSent = after;
    }

    synchronized long lastSent() {
        return lastSent;
    }

    /** Live entries from the feed, in sequence order. */
    synchronized void offer(List<Entry> entries) {
        offer(entries, null);
    }

    /**
     * Live entries with their frame already built ({@link #frame}): every member of a room gets
     * the same entries from one feed batch, so the feed builds the frame (as UTF-8) once for all of them.
     */
    synchronized void offer(List<Entry> entries, byte[] frame) {
        if (holding) {
            return; // the catch-up, which starts later, reads these from the database
        } else if (buffer != null) {
            buffer.addAll(entries);
        } else if (frame != null && !entries.isEmpty() && entries.get(0).seq() > lastSent) {
            lastSent = entries.get(entries.size() - 1).seq();
            sendText(frame);
        } else {
            send(entries);
        }
    }

    /** {@code {"type":"entries","entries":[...]}} of entries in sequence order, as UTF-8. */
    static byte[] frame(List<Entry> entries) {
        StringBuilder frame = new StringBuilder(64 + entries.size() * 256).append("{\"type\":\"entries\",\"entries\":[");
        for (int i = 0; i < entries.size(); i++) {
            frame.append(i == 0 ? "" : ",").append(entries.get(i).json());
        }
        return frame.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The client asked to start: true the first time (the caller starts the catch-up then). */
    synchronized boolean start() {
        if (!holding) {
            return false;
        }
        holding = false;
        return true;
    }

    /** Entries read while catching up. */
    synchronized void catchUp(List<Entry> entries) {
        send(entries);
    }

    /** Caught up: flushes what arrived meanwhile and tells the client it is live. */
    synchronized void goLive() {
        List<Entry> waiting = buffer;
        buffer = null;
        send(waiting);
        sendText(("{\"type\":\"live\",\"seq\":" + lastSent + "}").getBytes(StandardCharsets.UTF_8));
    }

    synchronized boolean isClosed() {
        return closed || !session.isOpen();
    }

    synchronized void close(int code, String reason) {
        closed = true;
        session.close(code, reason);
    }

    private void send(List<Entry> entries) {
        List<Entry> fresh = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.seq() > lastSent) {
                fresh.add(e);
                lastSent = e.seq();
            }
        }
        if (!fresh.isEmpty()) {
            sendText(frame(fresh));
        }
    }

    /**
     * One text frame from bytes already in UTF-8. Jetty's public API takes text only as a String
     * and would encode it again for every socket.
     */
    private void sendText(byte[] utf8) {
        if (closed) {
            return;
        }
        long size = utf8.length;
        if (pending + size > MAX_PENDING) {
            close(TOO_SLOW, "too slow: reconnect with after=" + lastSent);
            return;
        }
        pending += size;
        core.sendFrame(new Frame(OpCode.TEXT, true, ByteBuffer.wrap(utf8)), Callback.from(() -> written(size), x -> written(size)), false);
    }

    private synchronized void written(long size) {
        pending -= size;
    }
}
