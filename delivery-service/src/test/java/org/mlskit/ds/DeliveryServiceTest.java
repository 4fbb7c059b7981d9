package org.mlskit.ds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryServiceTest {
    @TempDir
    static Path tmp;
    static DeliveryService ds;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        Path web = Files.createDirectories(tmp.resolve("web"));
        Files.writeString(web.resolve("index.html"), "<!doctype html><title>t</title>");
        Files.writeString(web.resolve("app.mjs"), "export const x = 1;");
        Files.createDirectories(web.resolve("sub"));
        Files.writeString(web.resolve("sub/a+b.txt"), "plus");
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Path teavm = tmp.resolve("teavm");
        Files.createDirectories(teavm.resolve("js"));
        Files.createDirectories(teavm.resolve("wasm-gc"));
        Files.writeString(teavm.resolve("js/mlskit-harness.js"), "export function f() {}");
        Files.write(teavm.resolve("wasm-gc/mlskit-harness.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        Path vectors = Files.createDirectories(tmp.resolve("vectors"));
        Files.writeString(vectors.resolve("tree-math.json"), "[]");
        Path pkg = Files.createDirectories(tmp.resolve("pkg/client"));
        Files.writeString(pkg.resolve("index.js"), "export class MlsClient {}");
        ds = new DeliveryService(new DeliveryServiceConfig("127.0.0.1", 0, web, teavm, vectors, pkg.getParent(), null, tmp.resolve("data"),
                DeliveryServiceConfig.Limits.DEFAULT)).start();
    }

    @AfterAll
    static void stop() {
        ds.close();
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ds.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends a path exactly as written (HttpClient would normalise dot segments away). */
    static String rawGet(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", ds.port())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void servesTheDemoAtTheRoot() throws Exception {
        var r = get("/");
        assertEquals(200, r.statusCode());
        assertEquals("text/html;charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("<title>t</title>"));
        assertEquals("text/javascript;charset=utf-8", get("/app.mjs").headers().firstValue("content-type").orElseThrow());
        assertEquals("plus", new String(get("/sub/a+b.txt").body(), StandardCharsets.UTF_8));
    }

    @Test
    void servesTheTeavmOutputsWithTheirTypes() throws Exception {
        var js = get("/mlskit/js/mlskit-harness.js");
        assertEquals(200, js.statusCode());
        assertEquals("text/javascript;charset=utf-8", js.headers().firstValue("content-type").orElseThrow());
        var wasm = get("/mlskit/wasm-gc/mlskit-harness.wasm");
        assertEquals(200, wasm.statusCode());
        assertEquals("application/wasm", wasm.headers().firstValue("content-type").orElseThrow());
        assertEquals(8, wasm.body().length);
        assertEquals("same-origin", wasm.headers().firstValue("cross-origin-opener-policy").orElseThrow());
    }

    @Test
    void servesTheNpmPackageUnderPkg() throws Exception {
        var r = get("/pkg/client/index.js");
        assertEquals(200, r.statusCode());
        assertEquals("text/javascript;charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("export class MlsClient {}", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void servesVectorFiles() throws Exception {
        var r = get("/vectors/mls/tree-math.json");
        assertEquals(200, r.statusCode());
        assertEquals("application/json;charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("[]", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(404, get("/vectors/mls/nope.json").statusCode());
    }

    @Test
    void revalidatesWithEtags() throws Exception {
        var first = get("/mlskit/js/mlskit-harness.js");
        String etag = first.headers().firstValue("etag").orElseThrow();
        var again = http.send(HttpRequest.newBuilder(URI.create(ds.baseUrl() + "/mlskit/js/mlskit-harness.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, again.statusCode());
    }

    @Test
    void refusesToLeaveTheDirectory() throws Exception {
        for (String p : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/sub/..%2f..%2fsecret.txt",
                "/mlskit/..%2fweb/index.html", "/mlskit/%2e%2e/secret.txt", "/.hidden", "/sub%5c..%5c..%5csecret.txt"}) {
            String response = rawGet(p);
            assertTrue(!response.contains("secret") || response.startsWith("HTTP/1.1 4"), p + " -> " + response);
            assertTrue(response.startsWith("HTTP/1.1 4"), p + " -> " + response.lines().findFirst().orElse(""));
        }
    }

    @Test
    void healthz() throws Exception {
        assertEquals("ok\n", new String(get("/healthz").body(), StandardCharsets.UTF_8));
    }

    @Test
    void optionsOverridePropertiesOverDefaults() {
        Properties props = new Properties();
        props.setProperty("mlskit.ds.port", "9999");
        props.setProperty("mlskit.ds.web", "/w");
        var c = DeliveryServiceConfig.parse(new String[] {"--port", "0", "--teavm=/t", "--vectors", "/v"}, props);
        assertEquals(0, c.port());
        assertEquals("127.0.0.1", c.host());
        assertEquals(Path.of("/w"), c.webDir());
        assertEquals(Path.of("/t"), c.teavmDir());
        assertEquals(Path.of("/v"), c.vectorsDir());
        assertThrows(IllegalArgumentException.class, () -> DeliveryServiceConfig.parse(new String[] {"--bogus"}, props));
        assertThrows(IllegalArgumentException.class, () -> DeliveryServiceConfig.parse(new String[] {"--port", "x"}, props));
    }

    @Test
    void findsTheRepositoryRootFromTheModule() {
        // Surefire runs in delivery-service/, one level under the root.
        Path root = DeliveryServiceConfig.findRepositoryRoot();
        assertTrue(DeliveryServiceConfig.isRepositoryRoot(root), root.toString());
        var c = DeliveryServiceConfig.parse(new String[0], new Properties());
        assertEquals(root.resolve("js-bindings/target/teavm"), c.teavmDir());
        assertEquals(8080, c.port());
    }
}
