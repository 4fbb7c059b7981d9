package org.mlskit.ds;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.mlskit.ds.api.Api;
import org.mlskit.ds.api.DsError;
import org.mlskit.ds.api.Http;
import org.mlskit.ds.auth.Accounts;
import org.mlskit.ds.auth.Tokens;
import org.mlskit.ds.keys.KeyDirectory;
import org.mlskit.ds.keys.RateLimiter;
import org.mlskit.ds.mailbox.Feed;
import org.mlskit.ds.mailbox.Mailbox;
import org.mlskit.ds.mailbox.MailboxSocket;
import org.mlskit.ds.mailbox.Retention;
import org.mlskit.ds.relay.Relay;
import org.mlskit.ds.rooms.Rooms;
import org.mlskit.ds.store.Database;

/**
 * The mlskit delivery service: the API under {@code /v1} (devices and tokens, the KeyPackage
 * directory, rooms with ordered logs, mailboxes with live fan-out; see README.md) over SQLite or
 * PostgreSQL, and the static files of the web demo ({@code /}), the TeaVM builds of js-bindings
 * ({@code /mlskit/js/...}, {@code /mlskit/wasm-gc/...}) and the official MLS vector files
 * ({@code /vectors/mls/NAME.json}).
 *
 * <p>Start it with {@link #start()}, stop it with {@link #close()}. Tests run it in-process on a
 * free port ({@code port 0}).
 */
public final class DeliveryService implements AutoCloseable {
    private final DeliveryServiceConfig config;
    private final List<StaticDirectory> mounts;
    private Javalin app;
    private Database db;
    private Feed feed;
    private Retention retention;
    private ScheduledExecutorService maintenance;

    public DeliveryService(DeliveryServiceConfig config) {
        this.config = config;
        // Most specific prefix first.
        this.mounts = List.of(
                new StaticDirectory("/mlskit/", config.teavmDir(),
                        "Build the TeaVM outputs: mvn -q -pl js-bindings -am process-classes"),
                new StaticDirectory("/pkg/", config.packageDir(),
                        "Build the npm package: mvn -q -pl js-bindings -am package -DskipTests -Dharness.phase=none"),
                new StaticDirectory("/vectors/mls/", config.vectorsDir(),
                        "Pass --vectors DIR (the official MLS vector files)."),
                new StaticDirectory("/", config.webDir(), "Pass --web DIR (the web demo's static files)."));
    }

    public DeliveryServiceConfig config() {
        return config;
    }

    /** Binds and starts serving; returns once the port is open. */
    public synchronized DeliveryService start() {
        if (app != null) {
            throw new IllegalStateException("already started");
        }
        try {
            db = Database.open(config.dbSpec());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database " + config.dbSpec() + ": " + e.getMessage(), e);
        }
        DeliveryServiceConfig.Limits limits = config.limits();
        Accounts accounts = new Accounts(db, new Tokens(tokenKey(db), limits.tokenSeconds()));
        Mailbox mailbox = new Mailbox(db);
        feed = new Feed(db);
        Api api = new Api(accounts, new KeyDirectory(db, new RateLimiter(limits.claimsPerMinute(), limits.claimBurst())),
                new Rooms(db), mailbox, new MailboxSocket(feed, mailbox),
                new Relay(db, new RateLimiter(limits.relaysPerMinute(), limits.relayBurst())));
        retention = new Retention(db, limits.retentionSeconds(), limits.maxAgeSeconds());
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ds-retention");
            t.setDaemon(true);
            return t;
        });
        maintenance.scheduleWithFixedDelay(this::clean, 60, 60, TimeUnit.SECONDS);

        Javalin javalin = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = limits.maxBody();
            cfg.appData(Http.MAX_BODY, limits.maxBody());
        });
        api.register(javalin);
        javalin.get("/healthz", ctx -> ctx.contentType("text/plain;charset=utf-8").result("ok\n"));
        javalin.get("/config.json", this::appConfig);
        javalin.get("/<path>", this::serve);
        javalin.head("/<path>", this::serve);
        javalin.get("/", this::serve);
        javalin.head("/", this::serve);
        javalin.start(config.host(), config.port());
        app = javalin;
        return this;
    }

    private void serve(Context ctx) throws Exception {
        String path = ctx.path();
        if (path.startsWith("/v1/") || path.equals("/v1")) {
            Http.sendError(ctx, new DsError(DsError.Code.NOT_FOUND, "no endpoint " + ctx.method() + " " + path));
            return;
        }
        // Cross-origin isolation of the pages (not needed on API answers): finer performance.now() for the
        // bench page, and no third-party resources can be pulled into the demo's pages by accident.
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Embedder-Policy", "require-corp");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        for (StaticDirectory mount : mounts) {
            if (path.startsWith(mount.prefix()) || (path + "/").equals(mount.prefix())) {
                mount.handle(ctx);
                return;
            }
        }
        ctx.status(HttpStatus.NOT_FOUND).result("404");
    }

    /**
     * What the chat app needs to know of its surroundings: {@code {"janus": URL or null}}, the Janus API
     * its calls use (the page talks to Janus directly; Janus's CORS lets the page's origin in).
     */
    private void appConfig(Context ctx) {
        String janus = config.janusUrl();
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/json;charset=utf-8")
                .result("{\"janus\":" + (janus == null ? "null" : "\"" + janus + "\"") + "}\n");
    }

    /** The live fan-out (its figures for the load benchmark). */
    public synchronized Feed feed() {
        return feed;
    }

    /** The storage (tests read it directly, e.g. to look for plaintext). */
    public synchronized Database database() {
        return db;
    }

    /** Runs one retention pass now; returns the messages deleted. */
    public long clean() {
        try {
            return retention.run();
        } catch (RuntimeException e) {
            System.err.println("delivery-service: retention pass failed: " + e.getMessage());
            return 0;
        }
    }

    /** The HMAC key of tokens, created once per database and shared by every instance on it. */
    private static byte[] tokenKey(Database db) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        return db.writeNow(tx -> {
            tx.update("INSERT INTO server_keys (name, value) VALUES ('token-hmac', ?) ON CONFLICT (name) DO NOTHING", fresh);
            try (var rs = tx.bind("SELECT value FROM server_keys WHERE name = 'token-hmac'").executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        });
    }

    /** The bound port (the real one when the configuration asked for 0). */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("not started");
        }
        return app.port();
    }

    /** {@code http://HOST:PORT} (IPv6 literals bracketed). */
    public String baseUrl() {
        String host = config.host();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        if (host.equals("0.0.0.0") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + port();
    }

    @Override
    public synchronized void close() {
        if (app != null) {
            app.stop();
            app = null;
        }
        if (maintenance != null) {
            maintenance.shutdownNow();
            maintenance = null;
        }
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
