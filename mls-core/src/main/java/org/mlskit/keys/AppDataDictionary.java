package org.mlskit.keys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mlskit.ErrorCode;
import org.mlskit.MlsException;
import org.mlskit.codec.DecodeException;
import org.mlskit.codec.TlsReader;
import org.mlskit.codec.TlsWriter;

/**
 * The app_data_dictionary extension of draft-ietf-mls-extensions ("Attaching Application Data to
 * MLS Messages"): application data by 16-bit component id, sorted by id, at most one entry per
 * id. In the GroupContext it holds group metadata every member agrees on (a name, a description,
 * permissions...), changed by AppDataUpdate proposals. Immutable.
 */
public final class AppDataDictionary {
    /** Component ids of the draft's registry; 0x8000..0xFFFF are for private use (an application's own components). */
    public static final int APP_COMPONENTS = 0x0001;
    public static final int SAFE_AAD = 0x0002;
    public static final int CONTENT_MEDIA_TYPES = 0x0003;
    public static final int LAST_RESORT_KEY_PACKAGE = 0x0004;
    public static final int APP_ACK = 0x0005;

    public static final AppDataDictionary EMPTY = new AppDataDictionary(new int[0], new byte[0][]);

    private final int[] ids;
    private final byte[][] data;

    private AppDataDictionary(int[] ids, byte[][] data) {
        this.ids = ids;
        this.data = data;
    }

    /** Decodes {@code AppDataDictionary}; entries out of order or repeated are MALFORMED (the draft's MUST). */
    public static AppDataDictionary fromBytes(byte[] encoded) {
        try {
            TlsReader in = new TlsReader(encoded);
            TlsReader entries = in.vector();
            in.finish();
            List<Integer> ids = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            while (entries.hasRemaining()) {
                int id = entries.u16();
                if (!ids.isEmpty() && id <= ids.get(ids.size() - 1)) {
                    throw new MlsException(ErrorCode.MALFORMED, "app_data_dictionary entries must be sorted by component id,"
                            + " one per id (component " + id + ")");
                }
                ids.add(id);
                values.add(entries.opaque());
            }
            int[] a = new int[ids.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = ids.get(i);
            }
            return new AppDataDictionary(a, values.toArray(new byte[0][]));
        } catch (DecodeException e) {
            throw new MlsException(ErrorCode.MALFORMED, "not an app_data_dictionary: " + e.getMessage());
        }
    }

    /** The dictionary in {@code extensions} (an app_data_dictionary extension), or {@link #EMPTY} when there is none. */
    public static AppDataDictionary find(List<Extension> extensions) {
        for (Extension e : extensions) {
            if (e.type() == ExtensionType.APP_DATA_DICTIONARY) {
                return fromBytes(e.data());
            }
        }
        return EMPTY;
    }

    public byte[] toBytes() {
        TlsWriter w = new TlsWriter(64);
        int mark = w.beginVector();
        for (int i = 0; i < ids.length; i++) {
            w.u16(ids[i]).opaque(data[i]);
        }
        w.endVector(mark);
        return w.toByteArray();
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.APP_DATA_DICTIONARY, toBytes());
    }

    public int size() {
        return ids.length;
    }

    /** The component ids, in order. */
    public List<Integer> componentIds() {
        List<Integer> out = new ArrayList<>();
        for (int id : ids) {
            out.add(id);
        }
        return Collections.unmodifiableList(out);
    }

    /** The data of {@code componentId}, or null. */
    public byte[] get(int componentId) {
        int i = indexOf(componentId);
        return i < 0 ? null : data[i].clone();
    }

    public boolean contains(int componentId) {
        return indexOf(componentId) >= 0;
    }

    /** A copy with {@code componentId} set to {@code value}, inserted in order when new. */
    public AppDataDictionary with(int componentId, byte[] value) {
        checkId(componentId);
        int i = indexOf(componentId);
        if (i >= 0) {
            byte[][] d = data.clone();
            d[i] = value.clone();
            return new AppDataDictionary(ids, d);
        }
        int at = 0;
        while (at < ids.length && ids[at] < componentId) {
            at++;
        }
        int[] a = new int[ids.length + 1];
        byte[][] d = new byte[ids.length + 1][];
        System.arraycopy(ids, 0, a, 0, at);
        System.arraycopy(data, 0, d, 0, at);
        a[at] = componentId;
        d[at] = value.clone();
        System.arraycopy(ids, at, a, at + 1, ids.length - at);
        System.arraycopy(data, at, d, at + 1, ids.length - at);
        return new AppDataDictionary(a, d);
    }

    /** A copy without {@code componentId} (the same dictionary when it has no such entry). */
    public AppDataDictionary without(int componentId) {
        int i = indexOf(componentId);
        if (i < 0) {
            return this;
        }
        int[] a = new int[ids.length - 1];
        byte[][] d = new byte[ids.length - 1][];
        System.arraycopy(ids, 0, a, 0, i);
        System.arraycopy(data, 0, d, 0, i);
        System.arraycopy(ids, i + 1, a, i, ids.length - i - 1);
        System.arraycopy(data, i + 1, d, i, ids.length - i - 1);
        return new AppDataDictionary(a, d);
    }

    private int indexOf(int componentId) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == componentId) {
                return i;
            }
        }
        return -1;
    }

    /** Component ids are uint16. */
    public static void checkId(int componentId) {
        if (componentId < 0 || componentId > 0xFFFF) {
            throw new MlsException(ErrorCode.INVALID_ARGUMENT, "a component id is a uint16, not " + componentId);
        }
    }
}
