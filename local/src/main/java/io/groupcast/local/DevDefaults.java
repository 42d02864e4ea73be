package io.groupcast.local;

import io.groupcast.core.auth.TokenSettings;

/** Defaults of a local run; never use the dev secret outside your machine. */
public final class DevDefaults {
    /** The HS256 secret the local gateway signs and checks dev tokens with unless JWT_SECRET is set. */
    public static final String JWT_SECRET = TokenSettings.DEV_SECRET;
    /** The table a local run uses unless TABLE_NAME is set. */
    public static final String TABLE_NAME = "groupcast-local";
    /** The region a local run reports. */
    public static final String REGION = "us-east-1";

    private DevDefaults() {}
}
