package org.mlskit.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Janus from Debian, started by scripts/janus.sh with sfu/janus/'s configuration: only the
 * VideoRoom plugin and the HTTP transport on loopback, and a VideoRoom created through the API
 * answers (rooms that require end-to-end encrypted publishers included).
 */
class JanusServerTest {
    static JanusServer janus;

    @BeforeAll
    static void start() throws Exception {
        janus = JanusServer.start(SelfTestPage.repositoryRoot());
        System.out.println("e2e: Janus at " + janus.url());
    }

    @AfterAll
    static void stop() throws Exception {
        if (janus != null) {
            janus.close();
            assertFalse(janus.running(), "janus.sh stop left Janus running");
            IOException refused = assertThrows(IOException.class, () -> janus.api().info());
            assertTrue(refused.getMessage() == null || !refused.getMessage().isEmpty());
        }
    }

    @Test
    void onlyTheVideoRoomAndHttpOnLoopback() throws Exception {
        assertEquals("127.0.0.1", janus.url().getHost());
        assertTrue(janus.running());
        JsonObject info = janus.api().info();
        assertEquals("server_info", info.get("janus").getAsString());
        assertEquals("mlskit-janus", info.get("server-name").getAsString());
        // SDP and host candidates on 127.0.0.1; no TURN/STUN configured
        assertEquals("127.0.0.1", info.get("local-ip").getAsString());
        assertEquals(1, info.getAsJsonObject("plugins").size(), info.toString());
        assertTrue(info.getAsJsonObject("plugins").has("janus.plugin.videoroom"));
        assertEquals(1, info.getAsJsonObject("transports").size(), info.toString());
        assertTrue(info.getAsJsonObject("transports").has("janus.transport.http"));
        // the API listens on loopback only
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", janus.url().getPort()), 2000);
            assertTrue(s.isConnected());
        }
    }

    @Test
    void aVideoRoomThatRequiresEndToEndEncryptionAnswers() throws Exception {
        JanusServer.JanusApi api = janus.api();
        long session = api.createSession();
        long handle = api.attach(session, "janus.plugin.videoroom");
        assertNotEquals(session, handle);

        JsonObject create = new JsonObject();
        create.addProperty("request", "create");
        create.addProperty("description", "mlskit call test");
        create.addProperty("require_e2ee", true);
        create.addProperty("videocodec", "vp8,vp9");
        create.addProperty("audiocodec", "opus");
        create.addProperty("publishers", 4);
        JsonObject created = api.message(session, handle, create);
        assertEquals("created", created.get("videoroom").getAsString(), created.toString());
        long room = created.get("room").getAsLong();

        JsonObject exists = body("exists", room);
        assertTrue(api.message(session, handle, exists).get("exists").getAsBoolean());
        JsonObject listed = find(api.message(session, handle, body("list", null)).getAsJsonArray("list"), room);
        assertTrue(listed.get("require_e2ee").getAsBoolean(), listed.toString());
        assertEquals("vp8,vp9", listed.get("videocodec").getAsString());
        assertEquals(0, listed.get("num_participants").getAsInt());

        // the same id again is refused with the plugin's error code (427: room exists)
        JsonObject again = body("create", room);
        JsonObject refused = api.message(session, handle, again);
        assertEquals(427, refused.get("error_code").getAsInt(), refused.toString());

        assertEquals("destroyed", api.message(session, handle, body("destroy", room)).get("videoroom").getAsString());
        assertFalse(api.message(session, handle, exists).get("exists").getAsBoolean());
        api.destroySession(session);
        // a destroyed session is gone (458: no such session)
        JsonObject gone = api.post("/" + session, new JsonObject());
        assertEquals("error", gone.get("janus").getAsString(), gone.toString());
    }

    private static JsonObject body(String request, Long room) {
        JsonObject b = new JsonObject();
        b.addProperty("request", request);
        if (room != null) {
            b.addProperty("room", room);
        }
        return b;
    }

    private static JsonObject find(JsonArray rooms, long room) {
        for (JsonElement e : rooms) {
            if (e.getAsJsonObject().get("room").getAsLong() == room) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("room " + room + " not listed: " + rooms);
    }
}
