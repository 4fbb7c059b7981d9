package org.mlskit.ds.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The load generator's network side: HTTP/1.1 requests over kept-alive connections (one request
 * in flight per connection) and WebSocket receivers, all on one NIO selector thread. It exists
 * so that the generator costs little next to the server it measures on the same two cores:
 * requests are pre-encoded bytes, answers and frames are scanned as bytes (no text decoding,
 * no per-response thread hand-off), and the thread count does not grow with the load.
 */
final class Wire implements AutoCloseable {
    /** How a request ended: the status and body, or the I/O error (status 0). */
    interface Answer {
        void done(int status, byte[] body, IOException error);
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean woken = new AtomicBoolean();
    /** Idle HTTP connections per server (selector thread only). */
    private final Map<InetSocketAddress, ArrayDeque<HttpConn>> idle = new HashMap<>();
    private volatile boolean closed;

    Wire(String name) throws IOException {
        selector = Selector.open();
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends {@code request} (a whole HTTP/1.1 request) to {@code to}; {@code answer} runs on the wire thread. */
    void send(InetSocketAddress to, byte[] request, Answer answer) {
        run(() -> {
            ArrayDeque<HttpConn> q = idle.get(to);
            HttpConn c = q == null ? null : q.poll();
            if (c == null) {
                c = new HttpConn(to);
            }
            c.start(request, answer);
        });
    }

    /** Opens a WebSocket to {@code pathAndQuery} on {@code to}; every text message goes to {@code receipts}. */
    void subscribe(InetSocketAddress to, String pathAndQuery, Receipts receipts) {
        run(() -> new WsConn(to, pathAndQuery, receipts));
    }

    /** An HTTP/1.1 POST with a binary body, encoded once. */
    static byte[] post(InetSocketAddress to, String path, String type, String authorization, byte[] body) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + to.getHostString() + ":" + to.getPort()
                + "\r\nContent-Type: " + type + "\r\nAuthorization: " + authorization + "\r\nContent-Length: "
                + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    private void run(Runnable task) {
        tasks.add(task);
        if (woken.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    private void loop() {
        try {
            while (!closed) {
                selector.select(1000);
                woken.set(false);
                for (Runnable r; (r = tasks.poll()) != null; ) {
                    r.run();
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    Conn c = (Conn) k.attachment();
                    try {
                        if (k.isValid() && k.isConnectable()) {
                            c.connected();
                        }
                        if (k.isValid() && k.isWritable()) {
                            c.flush();
                        }
                        if (k.isValid() && k.isReadable()) {
                            c.readable();
                        }
                    } catch (IOException e) {
                        c.failed(e);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2000);
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
            selector.close();
        } catch (IOException | InterruptedException e) {
            // best effort at shutdown
        }
    }

    /** One socket: connect, write what is queued, read into a growing buffer. */
    private abstract class Conn {
        final SocketChannel ch;
        final SelectionKey key;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(16 << 10);

        Conn(InetSocketAddress to) {
            SocketChannel c = null;
            SelectionKey k = null;
            try {
                c = SocketChannel.open();
                c.configureBlocking(false);
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                k = c.register(selector, 0, this);
                if (c.connect(to)) {
                    k.interestOps(SelectionKey.OP_READ);
                } else {
                    k.interestOps(SelectionKey.OP_CONNECT);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot connect to " + to + ": " + e.getMessage(), e);
            }
            ch = c;
            key = k;
        }

        void connected() throws IOException {
            ch.finishConnect();
            key.interestOps(SelectionKey.OP_READ | (out != null ? SelectionKey.OP_WRITE : 0));
            if (out != null) {
                flush();
            }
        }

        void write(byte[] bytes) throws IOException {
            out = ByteBuffer.wrap(bytes);
            if (ch.isConnected()) {
                flush();
            }
        }

        void flush() throws IOException {
            if (out != null) {
                ch.write(out);
                if (!out.hasRemaining()) {
                    out = null;
                }
            }
            if (ch.isConnected()) {
                key.interestOps(SelectionKey.OP_READ | (out != null ? SelectionKey.OP_WRITE : 0));
            }
        }

        void readable() throws IOException {
            if (!in.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                in.flip();
                bigger.put(in);
                in = bigger;
            }
            int n = ch.read(in);
            if (n < 0) {
                throw new IOException("closed by the server");
            }
            in.flip();
            consume();
            in.compact();
        }

        /** Takes what it can from {@code in} (flipped for reading), leaving a partial unit there. */
        abstract void consume() throws IOException;

        void failed(IOException e) {
            key.cancel();
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    private final class HttpConn extends Conn {
        final InetSocketAddress to;
        Answer answer;

        HttpConn(InetSocketAddress to) {
            super(to);
            this.to = to;
        }

        void start(byte[] request, Answer a) {
            answer = a;
            try {
                write(request);
            } catch (IOException e) {
                failed(e);
            }
        }

        @Override
        void consume() throws IOException {
            int start = in.position();
            int end = headerEnd(in);
            if (end < 0) {
                return;
            }
            String head = new String(in.array(), start, end - start, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(head.substring(9, 12));
            int length = contentLength(head);
            if (length < 0) {
                throw new IOException("the bench expects Content-Length answers: " + head);
            }
            if (in.limit() - end < length) {
                return;
            }
            byte[] body = new byte[length];
            System.arraycopy(in.array(), end, body, 0, length);
            in.position(end + length);
            Answer a = answer;
            answer = null;
            idle.computeIfAbsent(to, k -> new ArrayDeque<>()).add(this);
            a.done(status, body, null);
        }

        @Override
        void failed(IOException e) {
            super.failed(e);
            ArrayDeque<HttpConn> q = idle.get(to);
            if (q != null) {
                q.remove(this);
            }
            if (answer != null) {
                Answer a = answer;
                answer = null;
                a.done(0, null, e);
            }
        }
    }

    private final class WsConn extends Conn {
        final Receipts receipts;
        boolean upgraded;
        byte[] message = new byte[4096];
        int messageLength;

        WsConn(InetSocketAddress to, String pathAndQuery, Receipts receipts) {
            super(to);
            this.receipts = receipts;
            byte[] nonce = new byte[16];
            Fleet.RANDOM.nextBytes(nonce);
            String req = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + to.getHostString() + ":" + to.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n";
            try {
                write(req.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                failed(e);
            }
        }

        @Override
        void consume() throws IOException {
            if (!upgraded) {
                int end = headerEnd(in);
                if (end < 0) {
                    return;
                }
                String head = new String(in.array(), in.position(), end - in.position(), StandardCharsets.ISO_8859_1);
                if (!head.startsWith("HTTP/1.1 101")) {
                    throw new IOException("no upgrade: " + head.lines().findFirst().orElse(""));
                }
                in.position(end);
                upgraded = true;
            }
            while (frame()) {
                // one more complete frame was taken
            }
        }

        /** Takes one whole frame from {@code in} if there is one (server frames are unmasked). */
        private boolean frame() throws IOException {
            int p = in.position();
            int avail = in.limit() - p;
            if (avail < 2) {
                return false;
            }
            byte[] b = in.array();
            boolean fin = (b[p] & 0x80) != 0;
            int op = b[p] & 0x0f;
            long len = b[p + 1] & 0x7f;
            int hdr = 2;
            if (len == 126) {
                if (avail < 4) {
                    return false;
                }
                len = ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
                hdr = 4;
            } else if (len == 127) {
                if (avail < 10) {
                    return false;
                }
                len = ByteBuffer.wrap(b, p + 2, 8).getLong();
                hdr = 10;
            }
            if (len > Integer.MAX_VALUE - 64) {
                throw new IOException("frame too large");
            }
            if (avail < hdr + len) {
                return false;
            }
            int at = p + hdr;
            int n = (int) len;
            in.position(at + n);
            switch (op) {
                case 0, 1, 2 -> {
                    if (messageLength + n > message.length) {
                        message = java.util.Arrays.copyOf(message, Math.max(message.length * 2, messageLength + n));
                    }
                    System.arraycopy(b, at, message, messageLength, n);
                    messageLength += n;
                    if (fin) {
                        receipts.frame(message, messageLength, System.nanoTime());
                        messageLength = 0;
                    }
                }
                case 8 -> {
                    int code = n >= 2 ? ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff) : 1005;
                    receipts.closed(code, new String(b, at + Math.min(n, 2), Math.max(0, n - 2), StandardCharsets.UTF_8));
                    failed(new IOException("closed " + code));
                    return false;
                }
                case 9 -> pong(b, at, n);
                default -> {
                    // pong or reserved: nothing to do
                }
            }
            return true;
        }

        /** Answers a ping with its payload (client frames are masked; a zero mask is valid). */
        private void pong(byte[] b, int at, int n) throws IOException {
            byte[] f = new byte[6 + n];
            f[0] = (byte) 0x8a;
            f[1] = (byte) (0x80 | n);
            System.arraycopy(b, at, f, 6, n);
            write(f);
        }

        @Override
        void failed(IOException e) {
            super.failed(e);
            receipts.closed(1006, e.getMessage());
        }
    }

    /** The index just past the blank line ending the headers at {@code in}'s position, or -1. */
    private static int headerEnd(ByteBuffer in) {
        byte[] b = in.array();
        for (int i = in.position(); i + 3 < in.limit(); i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static int contentLength(String head) {
        int from = 0;
        while (true) {
            int nl = head.indexOf("\r\n", from);
            if (nl < 0) {
                return -1;
            }
            int colon = head.indexOf(':', nl + 2);
            if (colon > 0 && head.regionMatches(true, nl + 2, "Content-Length", 0, 14) && colon == nl + 16) {
                int eol = head.indexOf("\r\n", colon);
                return Integer.parseInt(head.substring(colon + 1, eol < 0 ? head.length() : eol).trim());
            }
            from = nl + 2;
        }
    }
}
