package org.mlskit.e2e;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Janus (Debian's package, the repository's configuration in {@code sfu/janus/}) on a free
 * loopback port, started and stopped through {@code scripts/janus.sh}. One per test class: start in
 * {@code @BeforeAll}, close in {@code @AfterAll}. The script's {@code --watch-pid} stops it if the
 * JVM dies without closing. {@link #api()} speaks the Janus API over HTTP.
 */
public final class JanusServer implements AutoCloseable {
    private final Path script;
    private final Path dir;
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private JanusServer(Path script, Path dir, URI url) {
        this.script = script;
        this.dir = dir;
        this.url = url;
    }

    /** Starts Janus (installing it with apt-get when missing); {@code root} is the repository root. */
    public static JanusServer start(Path root) throws IOException, InterruptedException {
        Path script = root.resolve("scripts/janus.sh");
        Path dir = Files.createTempDirectory("mlskit-janus");
        String out = run(script, "start", dir.toString(), "--watch-pid", Long.toString(ProcessHandle.current().pid()));
        for (String line : out.split("\n")) {
            if (line.startsWith("JANUS_URL=")) {
                return new JanusServer(script, dir, URI.create(line.substring("JANUS_URL=".length()).strip()));
            }
        }
        throw new IllegalStateException("janus.sh start printed no JANUS_URL: " + out);
    }

    /** The Janus API root, e.g. {@code http://127.0.0.1:PORT/janus}. */
    public URI url() {
        return url;
    }

    /** The Janus process's id (for CPU accounting in benchmarks). */
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("pid")).strip());
    }

    /** A client of this server's Janus API. */
    public JanusApi api() {
        return new JanusApi(http, url);
    }

    /** True while {@code janus.sh status} finds it running and answering. */
    public boolean running() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", script.toString(), "status", dir.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(script, "stop", dir.toString());
    }

    private static String run(Path script, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = script.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        Path log = Files.createTempFile("mlskit-janus-sh", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(900, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                throw new IllegalStateException("scripts/janus.sh " + String.join(" ", args) + " failed: "
                        + Files.readString(log));
            }
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The Janus API (sessions, plugin handles, plugin messages) as JSON over HTTP. */
    public static final class JanusApi {
        private final HttpClient http;
        private final URI root;

        JanusApi(HttpClient http, URI root) {
            this.http = http;
            this.root = root;
        }

        /** {@code GET /info}. */
        public JsonObject info() throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(URI.create(root + "/info")).timeout(Duration.ofSeconds(10)).GET().build();
            return JsonParser.parseString(http.send(req, HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
        }

        /** Creates a session; returns its id. */
        public long createSession() throws IOException, InterruptedException {
            JsonObject r = post("", request("create"));
            return expectSuccess(r).getAsJsonObject("data").get("id").getAsLong();
        }

        /** Attaches {@code plugin} (e.g. {@code janus.plugin.videoroom}) to a session; returns the handle id. */
        public long attach(long session, String plugin) throws IOException, InterruptedException {
            JsonObject req = request("attach");
            req.addProperty("plugin", plugin);
            return expectSuccess(post("/" + session, req)).getAsJsonObject("data").get("id").getAsLong();
        }

        /** A synchronous plugin request; returns the plugin's answer ({@code plugindata.data}). */
        public JsonObject message(long session, long handle, JsonObject body) throws IOException, InterruptedException {
            JsonObject req = request("message");
            req.add("body", body);
            JsonObject r = expectSuccess(post("/" + session + "/" + handle, req));
            return r.getAsJsonObject("plugindata").getAsJsonObject("data");
        }

        /**
         * Creates a VideoRoom with a random id (small enough for a JS number and Playwright's int
         * arguments), VP8, room for 6 publishers; {@code bitrate} 0 keeps Janus's default cap.
         */
        public int createVideoRoom(boolean requireE2ee, int bitrate) throws IOException, InterruptedException {
            long session = createSession();
            long handle = attach(session, "janus.plugin.videoroom");
            JsonObject create = new JsonObject();
            create.addProperty("request", "create");
            create.addProperty("room", 1 + new java.util.Random().nextInt(1_000_000_000));
            create.addProperty("require_e2ee", requireE2ee);
            create.addProperty("videocodec", "vp8");
            create.addProperty("publishers", 6);
            if (bitrate > 0) {
                create.addProperty("bitrate", bitrate);
            }
            int room = message(session, handle, create).get("room").getAsInt();
            destroySession(session);
            return room;
        }

        /** Destroys a session and its handles. */
        public void destroySession(long session) throws IOException, InterruptedException {
            expectSuccess(post("/" + session, request("destroy")));
        }

        /** Posts {@code body} to {@code root + path}; the raw answer. */
        public JsonObject post(String path, JsonObject body) throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new IOException("Janus answered HTTP " + res.statusCode() + ": " + res.body());
            }
            return JsonParser.parseString(res.body()).getAsJsonObject();
        }

        private static JsonObject request(String verb) {
            JsonObject o = new JsonObject();
            o.addProperty("janus", verb);
            o.addProperty("transaction", UUID.randomUUID().toString());
            return o;
        }

        private static JsonObject expectSuccess(JsonObject r) {
            if (!"success".equals(r.get("janus").getAsString())) {
                throw new IllegalStateException("Janus refused: " + r);
            }
            return r;
        }
    }
}
