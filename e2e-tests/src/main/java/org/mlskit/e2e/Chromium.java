package org.mlskit.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/** Debian's Chromium driven by playwright-java, never a downloaded browser. */
public final class Chromium {
    /** The flags every run uses (Playwright adds --no-sandbox for root by itself). */
    public static final List<String> ARGS = List.of(
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");
    /** For pages in a call through the loopback Janus: it offers host candidates on 127.0.0.1 only; media plays unprompted. */
    public static final List<String> CALL_ARGS = List.of("--allow-loopback-in-peer-connection",
            "--autoplay-policy=no-user-gesture-required");
    /** getUserMedia answered by Chromium's fake camera (a test pattern) and microphone (a beep), without a prompt. */
    public static final List<String> FAKE_MEDIA_ARGS = List.of("--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream");

    private Chromium() {
    }

    /** {@code -Dmlskit.chromium}, default {@code /usr/bin/chromium}; fails loudly when it is missing. */
    public static Path executable() {
        Path p = Paths.get(System.getProperty("mlskit.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " does not exist or is not executable; install Debian's Chromium: "
                    + "e2e-tests/scripts/ensure-chromium.sh (apt-get install -y chromium)");
        }
        return p;
    }

    /** A Playwright that does not try to download browsers (there is no internet for that here). */
    public static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** Closes each of {@code resources} that is not null, in order (a test's browser, Playwright, site). */
    public static void closeAll(AutoCloseable... resources) throws Exception {
        for (AutoCloseable r : resources) {
            if (r != null) {
                r.close();
            }
        }
    }

    /** Headless Debian Chromium. */
    public static Browser launch(Playwright playwright) {
        return launch(playwright, List.of());
    }

    /** Headless Debian Chromium with {@code extra} flags after {@link #ARGS} (e.g. {@link #CALL_ARGS}). */
    @SafeVarargs
    public static Browser launch(Playwright playwright, List<String>... extra) {
        List<String> args = new java.util.ArrayList<>(ARGS);
        for (List<String> e : extra) {
            args.addAll(e);
        }
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(executable())
                .setHeadless(true)
                .setArgs(args)
                .setTimeout(60_000));
    }
}
