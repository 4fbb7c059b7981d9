package org.mlskit.ds;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the delivery service listens and which directories it serves.
 *
 * <p>Every value comes, in order of precedence, from a command-line option, a system property
 * ({@code mlskit.ds.NAME}) or a default. Directory defaults are relative to the repository root,
 * which is found by walking up from the working directory (then from this class's jar or classes
 * directory) to the first directory that holds {@code pom.xml}, {@code js-bindings/} and
 * {@code web-demo/}, unless {@code --root} or {@code -Dmlskit.ds.root} names it.
 *
 * @param host    address to bind; loopback by default
 * @param port    TCP port; 0 picks a free one
 * @param webDir  the web demo's static files, served at {@code /}
 * @param teavmDir js-bindings' TeaVM output ({@code js/}, {@code wasm-gc/}), served at {@code /mlskit/}
 * @param vectorsDir the official MLS vector files, served at {@code /vectors/mls/}
 * @param packageDir the npm package as built ({@code dist/}), served at {@code /pkg/} for the chat app
 * @param db       storage: {@code sqlite:FILE} or {@code postgres:URL}; null = {@code sqlite:DATA/ds.sqlite}
 * @param dataDir  where the embedded database lives by default
 * @param limits   sizes, rates and times of the API
 * @param janusUrl the Janus API the chat app's calls use (e.g. {@code http://127.0.0.1:8088/janus}), told to
 *                 the app at {@code /config.json}; null = no calls
 */
public record DeliveryServiceConfig(String host, int port, Path webDir, Path teavmDir, Path vectorsDir, Path packageDir, String db,
        Path dataDir, Limits limits, String janusUrl) {

    /** Without a Janus (no calls in the chat app). */
    public DeliveryServiceConfig(String host, int port, Path webDir, Path teavmDir, Path vectorsDir, Path packageDir, String db,
            Path dataDir, Limits limits) {
        this(host, port, webDir, teavmDir, vectorsDir, packageDir, db, dataDir, limits, null);
    }

    /**
     * @param maxBody        largest request body in bytes (413 above)
     * @param tokenSeconds   lifetime of a bearer token
     * @param claimsPerMinute KeyPackage claims a device may make per minute (after {@code claimBurst})
     * @param claimBurst     claims a device may make at once
     * @param retentionSeconds how long a fully acknowledged entry is kept
     * @param maxAgeSeconds  entries older than this are deleted whatever their acknowledgements
     * @param relaysPerMinute relay sends a device may make per minute (after {@code relayBurst})
     * @param relayBurst     relay sends a device may make at once
     */
    public record Limits(long maxBody, long tokenSeconds, int claimsPerMinute, int claimBurst, long retentionSeconds,
            long maxAgeSeconds, int relaysPerMinute, int relayBurst) {
        public static final Limits DEFAULT = new Limits(1 << 20, 3600, 120, 60, 3600, 30L * 24 * 3600, 6000, 600);

        public Limits(long maxBody, long tokenSeconds, int claimsPerMinute, int claimBurst, long retentionSeconds, long maxAgeSeconds) {
            this(maxBody, tokenSeconds, claimsPerMinute, claimBurst, retentionSeconds, maxAgeSeconds, DEFAULT.relaysPerMinute,
                    DEFAULT.relayBurst);
        }

        public Limits withRelays(int perMinute, int burst) {
            return new Limits(maxBody, tokenSeconds, claimsPerMinute, claimBurst, retentionSeconds, maxAgeSeconds, perMinute, burst);
        }

        public Limits withClaims(int perMinute, int burst) {
            return new Limits(maxBody, tokenSeconds, perMinute, burst, retentionSeconds, maxAgeSeconds, relaysPerMinute, relayBurst);
        }

        public Limits withMaxBody(long bytes) {
            return new Limits(bytes, tokenSeconds, claimsPerMinute, claimBurst, retentionSeconds, maxAgeSeconds, relaysPerMinute, relayBurst);
        }

        public Limits withTokenSeconds(long seconds) {
            return new Limits(maxBody, seconds, claimsPerMinute, claimBurst, retentionSeconds, maxAgeSeconds, relaysPerMinute, relayBurst);
        }

        public Limits withRetention(long retention, long maxAge) {
            return new Limits(maxBody, tokenSeconds, claimsPerMinute, claimBurst, retention, maxAge, relaysPerMinute, relayBurst);
        }
    }

    /** The storage this configuration names. */
    public String dbSpec() {
        return db != null ? db : "sqlite:" + dataDir.resolve("ds.sqlite");
    }

    public DeliveryServiceConfig withDb(String spec) {
        return new DeliveryServiceConfig(host, port, webDir, teavmDir, vectorsDir, packageDir, spec, dataDir, limits, janusUrl);
    }

    public DeliveryServiceConfig withDataDir(Path dir) {
        return new DeliveryServiceConfig(host, port, webDir, teavmDir, vectorsDir, packageDir, db, dir, limits, janusUrl);
    }

    public DeliveryServiceConfig withLimits(Limits l) {
        return new DeliveryServiceConfig(host, port, webDir, teavmDir, vectorsDir, packageDir, db, dataDir, l, janusUrl);
    }

    /** The Janus API URL the chat app is told (null: none). */
    public DeliveryServiceConfig withJanus(String url) {
        return new DeliveryServiceConfig(host, port, webDir, teavmDir, vectorsDir, packageDir, db, dataDir, limits, url);
    }

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public static final String USAGE = String.join("\n",
            "usage: DeliveryServiceMain [--host ADDR] [--port N] [--root DIR] [--web DIR] [--teavm DIR] [--vectors DIR] [--pkg DIR]",
            "  --host ADDR    address to bind (default 127.0.0.1; property mlskit.ds.host)",
            "  --port N       port, 0 = any free port (default 8080; property mlskit.ds.port)",
            "  --root DIR     the mlskit repository root (default: found from the working directory; property mlskit.ds.root)",
            "  --web DIR      static files served at / (default ROOT/web-demo/src/main/web; property mlskit.ds.web)",
            "  --teavm DIR    TeaVM output served at /mlskit/ (default ROOT/js-bindings/target/teavm; property mlskit.ds.teavm)",
            "  --vectors DIR  vector files served at /vectors/mls/ (default ROOT/mls-core/src/test/resources/vectors/mls;"
                    + " property mlskit.ds.vectors)",
            "  --pkg DIR      the npm package as built, served at /pkg/ for the chat app (default ROOT/dist; property mlskit.ds.pkg)",
            "  --db SPEC      storage: sqlite:FILE or postgres:URL, e.g. postgres://127.0.0.1:5432/mlskit?user=mlskit",
            "                 (default sqlite:DATA/ds.sqlite; property mlskit.ds.db)",
            "  --data DIR     data directory (default ROOT/data; property mlskit.ds.data)",
            "  --max-body N   largest request body in bytes (default 1048576)",
            "  --token-ttl S  bearer token lifetime in seconds (default 3600)",
            "  --claim-rate N KeyPackage claims per device per minute (default 120; burst --claim-burst, default 60)",
            "  --claim-burst N",
            "  --retention S  seconds an acknowledged entry is kept (default 3600)",
            "  --max-age S    seconds after which any entry is deleted (default 2592000)",
            "  --relay-rate N relay sends (POST /v1/relay) per device per minute (default 6000; burst --relay-burst, default 600)",
            "  --relay-burst N",
            "  --janus URL    the Janus API for the chat app's calls, e.g. http://127.0.0.1:8088/janus (told to the app at",
            "                 /config.json; default none: no calls; property mlskit.ds.janus)");

    public DeliveryServiceConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(limits, "limits");
        if (janusUrl != null && !janusUrl.matches("https?://[^\\s\"<>]+")) {
            throw new IllegalArgumentException("--janus must be an http(s) URL, got " + janusUrl);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        webDir = webDir.toAbsolutePath().normalize();
        teavmDir = teavmDir.toAbsolutePath().normalize();
        vectorsDir = vectorsDir.toAbsolutePath().normalize();
        packageDir = packageDir.toAbsolutePath().normalize();
    }

    /** The standard layout under a repository root. */
    public static DeliveryServiceConfig forRepository(Path root, String host, int port) {
        return new DeliveryServiceConfig(host, port,
                root.resolve("web-demo/src/main/web"),
                root.resolve("js-bindings/target/teavm"),
                root.resolve("mls-core/src/test/resources/vectors/mls"), root.resolve("dist"), null, root.resolve("data"),
                Limits.DEFAULT);
    }

    /** Parses command-line options over system properties over defaults. */
    public static DeliveryServiceConfig parse(String[] args, Properties props) {
        String host = props.getProperty("mlskit.ds.host", DEFAULT_HOST);
        String port = props.getProperty("mlskit.ds.port", Integer.toString(DEFAULT_PORT));
        String root = props.getProperty("mlskit.ds.root");
        String web = props.getProperty("mlskit.ds.web");
        String teavm = props.getProperty("mlskit.ds.teavm");
        String vectors = props.getProperty("mlskit.ds.vectors");
        String pkg = props.getProperty("mlskit.ds.pkg");
        String db = props.getProperty("mlskit.ds.db");
        String data = props.getProperty("mlskit.ds.data");
        String janus = props.getProperty("mlskit.ds.janus");
        Limits limits = Limits.DEFAULT;
        long maxBody = limits.maxBody();
        long tokenTtl = limits.tokenSeconds();
        int claimRate = limits.claimsPerMinute();
        int claimBurst = limits.claimBurst();
        long retention = limits.retentionSeconds();
        long maxAge = limits.maxAgeSeconds();
        int relayRate = limits.relaysPerMinute();
        int relayBurst = limits.relayBurst();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--host" -> host = value != null ? value : next(args, ++i, a);
                case "--port" -> port = value != null ? value : next(args, ++i, a);
                case "--root" -> root = value != null ? value : next(args, ++i, a);
                case "--web" -> web = value != null ? value : next(args, ++i, a);
                case "--teavm" -> teavm = value != null ? value : next(args, ++i, a);
                case "--vectors" -> vectors = value != null ? value : next(args, ++i, a);
                case "--pkg" -> pkg = value != null ? value : next(args, ++i, a);
                case "--db" -> db = value != null ? value : next(args, ++i, a);
                case "--data" -> data = value != null ? value : next(args, ++i, a);
                case "--janus" -> janus = value != null ? value : next(args, ++i, a);
                case "--max-body" -> maxBody = number(a, value != null ? value : next(args, ++i, a));
                case "--token-ttl" -> tokenTtl = number(a, value != null ? value : next(args, ++i, a));
                case "--claim-rate" -> claimRate = (int) number(a, value != null ? value : next(args, ++i, a));
                case "--claim-burst" -> claimBurst = (int) number(a, value != null ? value : next(args, ++i, a));
                case "--retention" -> retention = number(a, value != null ? value : next(args, ++i, a));
                case "--max-age" -> maxAge = number(a, value != null ? value : next(args, ++i, a));
                case "--relay-rate" -> relayRate = (int) number(a, value != null ? value : next(args, ++i, a));
                case "--relay-burst" -> relayBurst = (int) number(a, value != null ? value : next(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, got " + port);
        }
        if (db != null) {
            org.mlskit.ds.store.Dialect.ofSpec(db); // refuses a malformed spec now, not at the first request
        }
        Path rootDir = null;
        if (web == null || teavm == null || vectors == null || pkg == null || data == null) {
            rootDir = root != null ? Paths.get(root) : findRepositoryRoot();
        }
        DeliveryServiceConfig defaults = rootDir == null ? null : forRepository(rootDir, host, portNumber);
        return new DeliveryServiceConfig(host, portNumber,
                web != null ? Paths.get(web) : defaults.webDir(),
                teavm != null ? Paths.get(teavm) : defaults.teavmDir(),
                vectors != null ? Paths.get(vectors) : defaults.vectorsDir(),
                pkg != null ? Paths.get(pkg) : defaults.packageDir(), db,
                data != null ? Paths.get(data) : defaults.dataDir(),
                new Limits(maxBody, tokenTtl, claimRate, claimBurst, retention, maxAge, relayRate, relayBurst), janus == null || janus.isBlank() ? null : janus);
    }

    private static long number(String option, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a positive number, got " + value);
        }
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    /**
     * The mlskit repository root: the nearest ancestor of the working directory (or else of this
     * class's code location) holding {@code pom.xml}, {@code js-bindings/} and {@code web-demo/}.
     */
    public static Path findRepositoryRoot() {
        List<Path> starts = new ArrayList<>();
        starts.add(Paths.get("").toAbsolutePath());
        try {
            var source = DeliveryServiceConfig.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                starts.add(Paths.get(source.getLocation().toURI()).toAbsolutePath());
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // fall through with the working directory only
        }
        for (Path start : starts) {
            for (Path p = start.normalize(); p != null; p = p.getParent()) {
                if (isRepositoryRoot(p)) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("cannot find the mlskit repository root from " + starts
                + "; pass --root DIR (or --web, --teavm and --vectors)");
    }

    static boolean isRepositoryRoot(Path p) {
        return Files.isRegularFile(p.resolve("pom.xml"))
                && Files.isDirectory(p.resolve("js-bindings"))
                && Files.isDirectory(p.resolve("web-demo"));
    }
}
