package org.mlskit.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tables {@link BrowserBench} prints after its runs: each UpdatePath seal against its
 * public-key floor, and the scale scenario's times, with every run's figure so the spread shows.
 */
final class BrowserBenchSummary {
    private BrowserBenchSummary() {
    }

    /** Per suite and target: path seal, floor and their ratio, one figure per page load; "" without seal cases. */
    static String sealRatios(List<JsonObject> runs) {
        Map<String, List<double[]>> pairs = new LinkedHashMap<>();
        for (JsonObject run : runs) {
            JsonArray bench = array(run, "bench");
            Map<String, double[]> thisRun = new LinkedHashMap<>();
            for (JsonElement e : bench) {
                JsonObject r = e.getAsJsonObject();
                String primitive = r.get("primitive").getAsString();
                if (!primitive.equals("path-seal") && !primitive.equals("seal-floor") || r.get("usPerOp").isJsonNull()) {
                    continue;
                }
                double[] pair = thisRun.computeIfAbsent(r.get("variant").getAsString() + "\u0000" + r.get("target").getAsString(),
                        k -> new double[2]);
                pair[primitive.equals("path-seal") ? 0 : 1] = r.get("usPerOp").getAsDouble();
            }
            thisRun.forEach((k, v) -> pairs.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        if (pairs.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "UpdatePath seal vs its public-key floor (keygen + DH), %d page load(s), one figure per load:%n%n", runs.size()));
        sb.append("| suite | target | path seal µs | floor µs | seal ÷ floor | best seal ÷ best floor |\n|---|---|---|---|---|---:|\n");
        for (Map.Entry<String, List<double[]>> e : pairs.entrySet()) {
            String[] key = e.getKey().split("\u0000");
            List<String> seal = new ArrayList<>();
            List<String> floor = new ArrayList<>();
            List<String> ratio = new ArrayList<>();
            double bestSeal = Double.MAX_VALUE;
            double bestFloor = Double.MAX_VALUE;
            for (double[] p : e.getValue()) {
                bestSeal = Math.min(bestSeal, p[0] > 0 ? p[0] : Double.MAX_VALUE);
                bestFloor = Math.min(bestFloor, p[1] > 0 ? p[1] : Double.MAX_VALUE);
                seal.add(String.format(Locale.ROOT, "%.0f", p[0]));
                floor.add(String.format(Locale.ROOT, "%.0f", p[1]));
                ratio.add(p[1] > 0 && p[0] > 0 ? String.format(Locale.ROOT, "%.2f", p[0] / p[1]) : "—");
            }
            sb.append("| ").append(key[0]).append(" | ").append(key[1]).append(" | ").append(String.join(", ", seal))
                    .append(" | ").append(String.join(", ", floor)).append(" | ").append(String.join(", ", ratio)).append(" | ")
                    .append(bestSeal < Double.MAX_VALUE && bestFloor < Double.MAX_VALUE
                            ? String.format(Locale.ROOT, "%.2f", bestSeal / bestFloor) : "—")
                    .append(" |\n");
        }
        return sb.append('\n').toString();
    }

    /** Per target and size: the batch add and the cold join of every round of every load; "" without scale runs. */
    static String scale(List<JsonObject> runs, String chromiumVersion) {
        Map<String, List<JsonObject>> rows = new LinkedHashMap<>();
        for (JsonObject run : runs) {
            for (JsonElement e : array(run, "scale")) {
                JsonObject r = e.getAsJsonObject();
                rows.computeIfAbsent(r.get("target").getAsString() + "\u0000" + r.get("members").getAsInt(), k -> new ArrayList<>())
                        .add(r);
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "Scale scenario in headless Chromium %s (suite 1; ms per round, in order; set-up = N - 1 KeyPackages):%n%n",
                chromiumVersion));
        sb.append("| target | members | set-up ms | batch add ms | cold join ms | JS heap after add, MiB |\n|---|---:|---|---|---|---|\n");
        for (Map.Entry<String, List<JsonObject>> e : rows.entrySet()) {
            String[] key = e.getKey().split("\u0000");
            List<String> build = new ArrayList<>();
            List<String> add = new ArrayList<>();
            List<String> join = new ArrayList<>();
            List<String> heap = new ArrayList<>();
            for (JsonObject r : e.getValue()) {
                if (r.get("round").getAsInt() == 1) {
                    build.add(String.format(Locale.ROOT, "%.0f", r.get("buildMs").getAsDouble()));
                }
                add.add(String.format(Locale.ROOT, "%.0f", r.get("addMs").getAsDouble()));
                join.add(String.format(Locale.ROOT, "%.0f", r.get("joinMs").getAsDouble()));
                heap.add(r.get("heapMiB").isJsonNull() ? "—" : r.get("heapMiB").getAsString());
            }
            sb.append("| ").append(key[0]).append(" | ").append(key[1]).append(" | ").append(String.join(", ", build))
                    .append(" | ").append(String.join(", ", add)).append(" | ").append(String.join(", ", join)).append(" | ")
                    .append(String.join(", ", heap)).append(" |\n");
        }
        return sb.append('\n').toString();
    }

    private static JsonArray array(JsonObject run, String name) {
        JsonElement e = run.get(name);
        return e == null || e.isJsonNull() ? new JsonArray() : e.getAsJsonArray();
    }
}
