package org.mlskit.ds;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;

/**
 * Command-line entry point: {@code DeliveryServiceMain [--host ADDR] [--port N] [--db SPEC]
 * [--data DIR] [--root DIR] [--web DIR] [--teavm DIR] [--vectors DIR] [limits]} (see
 * {@link DeliveryServiceConfig#USAGE}). Runs until interrupted.
 */
public final class DeliveryServiceMain {
    private DeliveryServiceMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println(DeliveryServiceConfig.USAGE);
                return;
            }
        }
        DeliveryServiceConfig config;
        try {
            config = DeliveryServiceConfig.parse(args, System.getProperties());
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("delivery-service: " + e.getMessage());
            System.exit(2);
            return;
        }
        warnIfMissing("web demo", config.webDir().toString(), Files.isDirectory(config.webDir()));
        warnIfMissing("TeaVM output", config.teavmDir() + " (mvn -q -pl js-bindings -am process-classes)",
                Files.isDirectory(config.teavmDir()));
        warnIfMissing("vector files", config.vectorsDir().toString(), Files.isDirectory(config.vectorsDir()));
        if (!isLoopback(config.host())) {
            System.err.println("delivery-service: WARNING: listening on " + config.host()
                    + ", reachable from other machines");
        }

        DeliveryService ds = new DeliveryService(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ds.close();
            stopped.countDown();
        }, "delivery-service-shutdown"));
        try {
            ds.start();
        } catch (RuntimeException e) {
            System.err.println("delivery-service: cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("mlskit delivery service on " + ds.baseUrl() + "/");
        System.out.println("  API            " + ds.baseUrl() + "/v1/   (delivery-service/README.md)");
        System.out.println("  storage        " + redact(config.dbSpec()));
        System.out.println("  /              " + config.webDir());
        System.out.println("  /mlskit/       " + config.teavmDir());
        System.out.println("  /vectors/mls/  " + config.vectorsDir());
        System.out.println("  /pkg/          " + config.packageDir());
        System.out.println("  calls (Janus)  " + (config.janusUrl() == null ? "off (no --janus URL)" : config.janusUrl()));
        System.out.println("  chat: " + ds.baseUrl() + "/   self-test: " + ds.baseUrl() + "/selftest.html   bench: "
                + ds.baseUrl() + "/selftest.html?bench=1");
        stopped.await();
    }

    /** A database URL without its password, for the console. */
    static String redact(String spec) {
        return spec.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }

    private static void warnIfMissing(String what, String where, boolean present) {
        if (!present) {
            System.err.println("delivery-service: WARNING: " + what + " not found at " + where + "; it will 404 until it exists");
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
