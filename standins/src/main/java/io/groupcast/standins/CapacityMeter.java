package io.groupcast.standins;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Meters what the real code paths cost in DynamoDB: asks every item call for its {@code ConsumedCapacity} and adds
 * up read and write units and calls per operation. {@link #take()} answers what was used since the last take.
 */
public final class CapacityMeter implements ExecutionInterceptor {
    private final DoubleAdder reads = new DoubleAdder();
    private final DoubleAdder writes = new DoubleAdder();
    private final Map<String, Integer> calls = new TreeMap<>();

    /** Read and write units and calls per operation over a stretch of work. */
    public record Usage(double readUnits, double writeUnits, Map<String, Integer> calls) {
        public int calls(String operation) {
            return calls.getOrDefault(operation, 0);
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (request instanceof PutItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        }
        if (request instanceof UpdateItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        }
        if (request instanceof DeleteItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        }
        if (request instanceof QueryRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        }
        if (request instanceof GetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        }
        if (request instanceof BatchWriteItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        }
        return request;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        synchronized (calls) {
            calls.merge(operation, 1, Integer::sum);
        }
        SdkResponse response = context.response();
        if (response instanceof QueryResponse r) {
            reads.add(units(r.consumedCapacity()));
        } else if (response instanceof GetItemResponse r) {
            reads.add(units(r.consumedCapacity()));
        } else if (response instanceof PutItemResponse r) {
            writes.add(units(r.consumedCapacity()));
        } else if (response instanceof UpdateItemResponse r) {
            writes.add(units(r.consumedCapacity()));
        } else if (response instanceof DeleteItemResponse r) {
            writes.add(units(r.consumedCapacity()));
        } else if (response instanceof BatchWriteItemResponse r) {
            r.consumedCapacity().forEach(capacity -> writes.add(units(capacity)));
        }
    }

    private static double units(ConsumedCapacity capacity) {
        return capacity == null || capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
    }

    /** What was used since the last take, and starts again from zero. */
    public Usage take() {
        synchronized (calls) {
            Usage usage = new Usage(reads.sumThenReset(), writes.sumThenReset(), Map.copyOf(calls));
            calls.clear();
            return usage;
        }
    }
}
