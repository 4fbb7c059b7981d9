package org.mlskit.fuzz;

import org.mlskit.codec.Codec;
import org.mlskit.codec.TlsWriter;

/**
 * One input to a target, self-contained enough to be saved in the corpus and replayed: the
 * target, the seed, scenario index (its cipher suite is index + 1) and size limit of the group it runs against (rebuilt deterministically),
 * the input bytes, and for the joins an optional out-of-band ratchet tree.
 */
public final class FuzzCase {
    private static final int VERSION = 2;

    public final String target;
    public final int seed;
    public final int scenario;
    /** The scenario's largest group size (it is part of what the seed builds). */
    public final int maxMembers;
    public final byte[] input;
    /**
     * The joins' out-of-band ratchet tree; for {@code process}, a message processed before the
     * input (a proposal the input commits by reference). Null when there is none.
     */
    public final byte[] tree;
    /**
     * For saved reproducers of the API-level targets: the groups they run against (see
     * GroupsUnderTest), so they replay without their scenario. Null: rebuild the scenario.
     */
    final byte[] groups;

    public FuzzCase(String target, int seed, int scenario, int maxMembers, byte[] input, byte[] tree) {
        this(target, seed, scenario, maxMembers, input, tree, null);
    }

    FuzzCase(String target, int seed, int scenario, int maxMembers, byte[] input, byte[] tree, byte[] groups) {
        this.groups = groups;
        this.target = target;
        this.seed = seed;
        this.scenario = scenario;
        this.maxMembers = maxMembers;
        this.input = input;
        this.tree = tree;
    }

    public byte[] toBytes() {
        TlsWriter w = new TlsWriter(input.length + 64 + (groups == null ? 0 : groups.length));
        w.u16(VERSION).utf8(target).u32(seed).u32(scenario).u32(maxMembers).opaque(input).u8(tree == null ? 0 : 1);
        if (tree != null) {
            w.opaque(tree);
        }
        w.u8(groups == null ? 0 : 1);
        if (groups != null) {
            w.opaque(groups);
        }
        return w.toByteArray();
    }

    public static FuzzCase fromBytes(byte[] data) {
        return Codec.decodeAll(data, in -> {
            if (in.u16() != VERSION) {
                throw Codec.invalid(in, 0, "fuzz case version");
            }
            String target = in.utf8();
            int seed = in.u32();
            int scenario = in.u32();
            int maxMembers = in.u32();
            byte[] input = in.opaque();
            byte[] tree = in.present() ? in.opaque() : null;
            byte[] groups = in.present() ? in.opaque() : null;
            return new FuzzCase(target, seed, scenario, maxMembers, input, tree, groups);
        });
    }
}
