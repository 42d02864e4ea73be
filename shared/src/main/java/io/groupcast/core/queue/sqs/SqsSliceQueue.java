package io.groupcast.core.queue.sqs;

import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.workers.Slice;
import io.groupcast.core.workers.SliceQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Slices sent to the fan-out queue with {@code SendMessageBatch}, ten at a time (failed entries are sent again), and
 * a received one made visible again sooner with {@code ChangeMessageVisibility}.
 */
public record SqsSliceQueue(SqsClient sqs, String queueUrl) implements SliceQueue {
    private static final int BATCH = 10;

    @Override
    public void send(List<Slice> slices) {
        for (int from = 0; from < slices.size(); from += BATCH) {
            List<Slice> batch = slices.subList(from, Math.min(slices.size(), from + BATCH));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(batch.get(i).toJson())
                        .build());
            }
            for (int attempt = 0; !entries.isEmpty(); attempt++) {
                List<SendMessageBatchRequestEntry> pending = entries;
                SendMessageBatchResponse response;
                try {
                    response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(pending));
                } catch (SdkException e) {
                    throw new StoreUnavailableException("the fan-out queue refused slices: " + e.getMessage(), e);
                }
                if (response.failed().isEmpty()) {
                    break;
                }
                if (attempt == 2) {
                    throw new StoreUnavailableException(
                            "the fan-out queue refused slices: "
                                    + response.failed().get(0).message(),
                            null);
                }
                List<String> failed =
                        response.failed().stream().map(f -> f.id()).toList();
                entries = pending.stream().filter(e -> failed.contains(e.id())).toList();
            }
        }
    }

    @Override
    public void retryIn(String receipt, Duration delay) {
        // SQS takes 0 to 43,200 seconds
        int seconds = (int) Math.max(0, Math.min(43_200, delay.toSeconds()));
        try {
            sqs.changeMessageVisibility(
                    b -> b.queueUrl(queueUrl).receiptHandle(receipt).visibilityTimeout(seconds));
        } catch (SdkException e) {
            throw new StoreUnavailableException("the fan-out queue refused a visibility change: " + e.getMessage(), e);
        }
    }
}
