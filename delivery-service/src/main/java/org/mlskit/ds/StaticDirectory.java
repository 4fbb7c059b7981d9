package org.mlskit.ds;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the files of one directory under a URL prefix, read on every request (so a rebuild of
 * the TeaVM output shows up without a restart), with exact content types ({@code .wasm} as
 * {@code application/wasm}, which {@code WebAssembly.instantiateStreaming} demands, and
 * {@code .js}/{@code .mjs} as {@code text/javascript}, which module scripts demand).
 *
 * <p>The directory need not exist when the server starts. Paths that leave the directory
 * ({@code ..}, encoded or not), hidden files and symbolic links out of it are refused.
 */
final class StaticDirectory {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html;charset=utf-8"),
            Map.entry("htm", "text/html;charset=utf-8"),
            Map.entry("js", "text/javascript;charset=utf-8"),
            Map.entry("mjs", "text/javascript;charset=utf-8"),
            Map.entry("css", "text/css;charset=utf-8"),
            Map.entry("json", "application/json;charset=utf-8"),
            Map.entry("map", "application/json;charset=utf-8"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("txt", "text/plain;charset=utf-8"),
            Map.entry("md", "text/markdown;charset=utf-8"),
            Map.entry("ts", "text/plain;charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"));

    private final String prefix;
    private final Path dir;
    private final String missingHint;

    /**
     * @param prefix      URL prefix ending in "/", e.g. "/mlskit/"
     * @param dir         absolute, normalised directory
     * @param missingHint said in the 404 body when the directory does not exist
     */
    StaticDirectory(String prefix, Path dir, String missingHint) {
        if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must start and end with /: " + prefix);
        }
        this.prefix = prefix;
        this.dir = dir;
        this.missingHint = missingHint;
    }

    String prefix() {
        return prefix;
    }

    Path dir() {
        return dir;
    }

    /** The content type served for a file name. */
    static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    /** Handles a GET or HEAD whose path starts with this prefix. */
    void handle(Context ctx) throws IOException {
        String raw = ctx.path();
        if (!raw.startsWith(prefix) && !(raw + "/").equals(prefix)) {
            notFound(ctx, "not under " + prefix);
            return;
        }
        String rel;
        try {
            // URLDecoder is a form decoder: protect '+', which a path keeps literally.
            String encoded = raw.length() <= prefix.length() ? "" : raw.substring(prefix.length());
            rel = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            ctx.status(HttpStatus.BAD_REQUEST).result("bad path");
            return;
        }
        if (!safe(rel)) {
            ctx.status(HttpStatus.BAD_REQUEST).result("bad path");
            return;
        }
        if (!Files.isDirectory(dir)) {
            notFound(ctx, dir + " does not exist. " + missingHint);
            return;
        }
        Path file = dir.resolve(rel).normalize();
        if (!file.startsWith(dir)) {
            ctx.status(HttpStatus.BAD_REQUEST).result("bad path");
            return;
        }
        if (Files.isDirectory(file)) {
            if (!rel.isEmpty() && !rel.endsWith("/")) {
                ctx.redirect(raw + "/", HttpStatus.MOVED_PERMANENTLY);
                return;
            }
            file = file.resolve("index.html");
        }
        if (!Files.isRegularFile(file) || !file.toRealPath().startsWith(dir.toRealPath())) {
            notFound(ctx, "no such file");
            return;
        }
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Instant modified = Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS);
        String etag = "\"" + Long.toHexString(attrs.size()) + "-" + Long.toHexString(modified.toEpochMilli()) + "\"";
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", etag);
        ctx.header("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atZone(ZoneOffset.UTC)));
        ctx.header("X-Content-Type-Options", "nosniff");
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(contentType(file.getFileName().toString()));
        ctx.result(Files.readAllBytes(file));
    }

    private static boolean safe(String rel) {
        if (rel.indexOf('\0') >= 0 || rel.indexOf('\\') >= 0 || rel.startsWith("/")) {
            return false;
        }
        for (String segment : rel.split("/", -1)) {
            if (segment.startsWith(".")) {
                return false; // "..", "." and hidden files
            }
        }
        return true;
    }

    private void notFound(Context ctx, String why) {
        ctx.status(HttpStatus.NOT_FOUND).contentType("text/plain;charset=utf-8").result("404 " + ctx.path() + ": " + why);
    }
}
