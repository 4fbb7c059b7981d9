package org.mlskit.client;

import org.mlskit.group.GroupConfig;

/** The engine's policy: KeyPackage pool, retry timing and the groups' configuration. */
public final class ClientConfig {
    /** One-time KeyPackages kept at the DS; replenished to this when fewer than {@link #lowWater} remain. */
    public final int keyPackages;
    public final int lowWater;
    public final long keyPackageLifetimeSeconds;
    /** First retry delay after an unreachable DS; doubles per attempt up to {@link #maxRetryMillis}. */
    public final long retryMillis;
    public final long maxRetryMillis;
    public final GroupConfig groupConfig;

    /**
     * Groups keep 4 past epochs: a member that sent while a few commits were in flight is still
     * read, since the DS takes application messages of earlier epochs.
     */
    public static final ClientConfig DEFAULT = new ClientConfig(20, 10, 28L * 86400, 500, 30_000,
            GroupConfig.DEFAULT.withRetainedEpochs(4));

    public ClientConfig(int keyPackages, int lowWater, long keyPackageLifetimeSeconds, long retryMillis, long maxRetryMillis,
            GroupConfig groupConfig) {
        this.keyPackages = keyPackages;
        this.lowWater = lowWater;
        this.keyPackageLifetimeSeconds = keyPackageLifetimeSeconds;
        this.retryMillis = retryMillis;
        this.maxRetryMillis = maxRetryMillis;
        this.groupConfig = groupConfig;
    }

    public ClientConfig withKeyPackages(int pool, int low) {
        return new ClientConfig(pool, low, keyPackageLifetimeSeconds, retryMillis, maxRetryMillis, groupConfig);
    }

    public ClientConfig withGroupConfig(GroupConfig c) {
        return new ClientConfig(keyPackages, lowWater, keyPackageLifetimeSeconds, retryMillis, maxRetryMillis, c);
    }
}
