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
 */
public record DeliveryServiceConfig(String host, int port, Path webDir, Path teavmDir, Path vectorsDir) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public static final String USAGE = String.join("\n",
            "usage: DeliveryServiceMain [--host ADDR] [--port N] [--root DIR] [--web DIR] [--teavm DIR] [--vectors DIR]",
            "  --host ADDR    address to bind (default 127.0.0.1; property mlskit.ds.host)",
            "  --port N       port, 0 = any free port (default 8080; property mlskit.ds.port)",
            "  --root DIR     the mlskit repository root (default: found from the working directory; property mlskit.ds.root)",
            "  --web DIR      static files served at / (default ROOT/web-demo/src/main/web; property mlskit.ds.web)",
            "  --teavm DIR    TeaVM output served at /mlskit/ (default ROOT/js-bindings/target/teavm; property mlskit.ds.teavm)",
            "  --vectors DIR  vector files served at /vectors/mls/ (default ROOT/mls-core/src/test/resources/vectors/mls;"
                    + " property mlskit.ds.vectors)");

    public DeliveryServiceConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        webDir = webDir.toAbsolutePath().normalize();
        teavmDir = teavmDir.toAbsolutePath().normalize();
        vectorsDir = vectorsDir.toAbsolutePath().normalize();
    }

    /** The standard layout under a repository root. */
    public static DeliveryServiceConfig forRepository(Path root, String host, int port) {
        return new DeliveryServiceConfig(host, port,
                root.resolve("web-demo/src/main/web"),
                root.resolve("js-bindings/target/teavm"),
                root.resolve("mls-core/src/test/resources/vectors/mls"));
    }

    /** Parses command-line options over system properties over defaults. */
    public static DeliveryServiceConfig parse(String[] args, Properties props) {
        String host = props.getProperty("mlskit.ds.host", DEFAULT_HOST);
        String port = props.getProperty("mlskit.ds.port", Integer.toString(DEFAULT_PORT));
        String root = props.getProperty("mlskit.ds.root");
        String web = props.getProperty("mlskit.ds.web");
        String teavm = props.getProperty("mlskit.ds.teavm");
        String vectors = props.getProperty("mlskit.ds.vectors");
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
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, got " + port);
        }
        Path rootDir = null;
        if (web == null || teavm == null || vectors == null) {
            rootDir = root != null ? Paths.get(root) : findRepositoryRoot();
        }
        DeliveryServiceConfig defaults = rootDir == null ? null : forRepository(rootDir, host, portNumber);
        return new DeliveryServiceConfig(host, portNumber,
                web != null ? Paths.get(web) : defaults.webDir(),
                teavm != null ? Paths.get(teavm) : defaults.teavmDir(),
                vectors != null ? Paths.get(vectors) : defaults.vectorsDir());
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
