package org.mlskit.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packed npm package as a browser gets it: {@code npm pack} of the repository root
 * (js-bindings/scripts/pack.sh; dist/ must be assembled by the build), unpacked into
 * {@code node_modules/mlskit} of a scratch site together with the pages of
 * {@code e2e-tests/pages/package}, and served on {@code http://127.0.0.1:PORT} with the right
 * content types (application/wasm for streaming compilation).
 */
public final class PackageSite implements AutoCloseable {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "wasm", "application/wasm",
            "json", "application/json",
            "css", "text/css");

    private final Path dir;
    private final HttpServer server;

    private PackageSite(Path dir, HttpServer server) {
        this.dir = dir;
        this.server = server;
    }

    /** Packs, unpacks and serves the package; {@code root} is the repository root. */
    public static PackageSite start(Path root) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("mlskit-package-site");
        Path tgz = Path.of(run(root, dir, root.resolve("js-bindings/scripts/pack.sh").toString(), dir.toString()).strip());
        Path pkg = Files.createDirectories(dir.resolve("node_modules/mlskit"));
        run(root, dir, "tar", "xzf", tgz.toString(), "-C", pkg.toString(), "--strip-components=1");
        Path pages = Files.createDirectories(dir.resolve("pages"));
        try (Stream<Path> files = Files.list(root.resolve("e2e-tests/pages/package"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, pages.resolve(f.getFileName().toString()));
            }
        }
        // The benchmark page measures with the same helper as the Node benchmark scripts.
        Files.copy(root.resolve("js-bindings/scripts/bench-util.mjs"), pages.resolve("bench-util.mjs"));
        // One Janus client for the chat app and the call pages: the app's.
        Files.copy(root.resolve("web-demo/src/main/web/chat/janus.js"), pages.resolve("janus-client.js"));
        return serve(dir);
    }

    /** Serves the files under {@code dir} (deleted on {@link #close}) on a free loopback port. */
    public static PackageSite serve(Path dir) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> serve(dir, ex));
        server.start();
        return new PackageSite(dir, server);
    }

    /** Runs {@code command} in {@code root}; returns its standard output, fails with its error output. */
    static String run(Path root, Path dir, String... command) throws IOException, InterruptedException {
        Path log = dir.resolve("command.log");
        Process p = new ProcessBuilder(command).directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log)
                    + " (is dist/ assembled? mvn -pl js-bindings -am package)");
        }
        return out;
    }

    private static void serve(Path dir, HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Path file = dir.resolve(path.substring(1)).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        String name = file.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.') + 1);
        byte[] body = Files.readAllBytes(file);
        ex.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** {@code http://127.0.0.1:PORT/} + {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    /** The unpacked package directory. */
    public Path packageDir() {
        return dir.resolve("node_modules/mlskit");
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
