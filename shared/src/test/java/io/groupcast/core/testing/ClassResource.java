package io.groupcast.core.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server a test class shares: started before its first test, stopped after its last (register with
 * {@code @RegisterExtension static}), or started and stopped by hand.
 */
public abstract class ClassResource implements BeforeAllCallback, AfterAllCallback {
    /** Starts the server. */
    public abstract ClassResource start();

    /** Stops it. */
    public abstract void stop();

    @Override
    public final void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public final void afterAll(ExtensionContext context) {
        stop();
    }
}
