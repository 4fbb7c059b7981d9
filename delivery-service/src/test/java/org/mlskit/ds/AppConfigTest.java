package org.mlskit.ds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /config.json}: the Janus URL the chat app's calls use, from {@code --janus} (or none). */
class AppConfigTest {
    @TempDir
    Path tmp;

    private String configOf(DeliveryServiceConfig config) throws Exception {
        try (DeliveryService ds = new DeliveryService(config).start()) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(ds.baseUrl() + "/config.json")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("application/json;charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
            return r.body().strip();
        }
    }

    private DeliveryServiceConfig config(String... args) {
        String[] all = new String[args.length + 8];
        System.arraycopy(new String[] {"--port", "0", "--root", tmp.toString(), "--data", tmp.resolve("data").toString(),
                "--web", tmp.resolve("web").toString()}, 0, all, 0, 8);
        System.arraycopy(args, 0, all, 8, args.length);
        return DeliveryServiceConfig.parse(all, new Properties());
    }

    @Test
    void tellsTheAppTheJanusUrlFromTheCommandLine() throws Exception {
        assertEquals("{\"janus\":\"http://127.0.0.1:8188/janus\"}", configOf(config("--janus", "http://127.0.0.1:8188/janus")));
    }

    @Test
    void withoutJanusTheAppHasNoCalls() throws Exception {
        assertEquals("{\"janus\":null}", configOf(config()));
    }

    @Test
    void aJanusThatIsNoHttpUrlIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> config("--janus", "javascript:alert(1)"));
        assertThrows(IllegalArgumentException.class, () -> config("--janus", "http://x/\"}"));
    }
}
