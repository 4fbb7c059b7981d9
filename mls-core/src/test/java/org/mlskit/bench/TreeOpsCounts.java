package org.mlskit.bench;

import org.mlskit.crypto.SecureRandomSource;
import org.mlskit.vectors.TreeBench;

/**
 * Prints, as a markdown table, the public-key operations (HPKE seal/open, DeriveKeyPair,
 * sign/verify) that each {@link TreeOpsBench} operation performs once, for every shape and size,
 * with the time it took to build each scenario. Single-threaded, as the counters require.
 *
 * <pre>
 *   mvn -q -pl mls-core test-compile exec:exec@jmh -Dexec.args="-cp %classpath org.mlskit.bench.TreeOpsCounts"
 * </pre>
 * Arguments, optional: the leaf counts (default 10 100 1000 10000).
 */
public final class TreeOpsCounts {
    private TreeOpsCounts() {
    }

    public static void main(String[] args) {
        int[] sizes = {10, 100, 1000, 10000};
        if (args.length > 0) {
            sizes = new int[args.length];
            for (int i = 0; i < args.length; i++) {
                sizes[i] = Integer.parseInt(args[i]);
            }
        }
        SecureRandomSource random = new SecureRandomSource();
        System.out.println("| shape | leaves | build ms | operation | seal | open | derive | sign | verify |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|");
        for (String shape : TreeBench.SHAPES) {
            for (int n : sizes) {
                long t0 = System.nanoTime();
                TreeBench bench = TreeBench.build(shape, n, random);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                for (String op : TreeBench.OPERATIONS) {
                    bench.run(op); // once before counting, as in the timed runs (steady state)
                    String counts = bench.countOperations(op);
                    System.out.println("| " + shape + " | " + n + " | " + ms + " | " + op + " | " + cells(counts) + " |");
                }
            }
        }
    }

    /** "seal=1 open=0 ..." as "1 | 0 | ...". */
    private static String cells(String counts) {
        StringBuilder b = new StringBuilder();
        for (String part : counts.split(" ")) {
            if (b.length() > 0) {
                b.append(" | ");
            }
            b.append(part.substring(part.indexOf('=') + 1));
        }
        return b.toString();
    }
}
