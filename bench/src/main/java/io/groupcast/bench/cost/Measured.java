package io.groupcast.bench.cost;

/** One operation's measurements, per operation, and what they cost at {@link Prices}. */
record Measured(
        String name,
        String function,
        int memoryMb,
        double readUnits,
        double writeUnits,
        double cpuMs,
        double wallMs,
        double logBytes,
        double platformMessages,
        double httpRequests) {
    /** Lambda's duration estimate at {@code memoryMb}: the waiting as measured, the CPU at that size's share. */
    double durationMs(int memory) {
        double share = Math.min(1.0, memory / 1769.0);
        double waiting = Math.max(0, wallMs - cpuMs);
        return Math.max(1, waiting + cpuMs / share);
    }

    double lambda(int memory, double gbSecond) {
        return memory / 1024.0 * durationMs(memory) / 1000 * gbSecond + Prices.LAMBDA_REQUEST;
    }

    double ours(boolean arm) {
        return lambda(memoryMb, arm ? Prices.LAMBDA_GB_SECOND_ARM : Prices.LAMBDA_GB_SECOND_X86)
                + readUnits * Prices.DYNAMODB_READ_UNIT
                + writeUnits * Prices.DYNAMODB_WRITE_UNIT
                + logBytes / 1e9 * Prices.LOGS_GB_INGESTED;
    }

    double platform() {
        return platformMessages * Prices.WEBSOCKET_MESSAGE + httpRequests * Prices.HTTP_API_REQUEST;
    }
}
