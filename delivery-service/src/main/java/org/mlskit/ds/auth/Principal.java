package org.mlskit.ds.auth;

/** An authenticated device: its row id and its names. */
public record Principal(long dev, String user, String device) {
    @Override
    public String toString() {
        return user + "/" + device;
    }
}
