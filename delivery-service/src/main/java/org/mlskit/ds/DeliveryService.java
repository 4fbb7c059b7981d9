package org.mlskit.ds;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.List;

/**
 * The reference delivery service. Today it serves the web demo ({@code /}), the TeaVM builds of
 * js-bindings ({@code /mlskit/js/...}, {@code /mlskit/wasm-gc/...}) and the official MLS vector
 * files ({@code /vectors/mls/NAME.json}); KeyPackage exchange, ordered group logs and fan-out come
 * next.
 *
 * <p>Start it with {@link #start()}, stop it with {@link #close()}. Tests run it in-process on a
 * free port ({@code port 0}).
 */
public final class DeliveryService implements AutoCloseable {
    private final DeliveryServiceConfig config;
    private final List<StaticDirectory> mounts;
    private Javalin app;

    public DeliveryService(DeliveryServiceConfig config) {
        this.config = config;
        // Most specific prefix first.
        this.mounts = List.of(
                new StaticDirectory("/mlskit/", config.teavmDir(),
                        "Build the TeaVM outputs: mvn -q -pl js-bindings -am process-classes"),
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
        Javalin javalin = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
        });
        javalin.get("/healthz", ctx -> ctx.contentType("text/plain;charset=utf-8").result("ok\n"));
        javalin.get("/<path>", this::serve);
        javalin.head("/<path>", this::serve);
        javalin.get("/", this::serve);
        javalin.head("/", this::serve);
        javalin.before(ctx -> {
            // Cross-origin isolation: finer performance.now() for the bench page, and no
            // third-party resources can be pulled into the demo's pages by accident.
            ctx.header("Cross-Origin-Opener-Policy", "same-origin");
            ctx.header("Cross-Origin-Embedder-Policy", "require-corp");
            ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        });
        javalin.start(config.host(), config.port());
        app = javalin;
        return this;
    }

    private void serve(Context ctx) throws Exception {
        String path = ctx.path();
        for (StaticDirectory mount : mounts) {
            if (path.startsWith(mount.prefix()) || (path + "/").equals(mount.prefix())) {
                mount.handle(ctx);
                return;
            }
        }
        ctx.status(HttpStatus.NOT_FOUND).result("404");
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
    }
}
