package io.groupcast.local;

import java.util.List;

/**
 * The benchmark figures the docs quote in prose, each with the line and field of bench/results/latest.jsonl it comes
 * from ({@link BenchResults}). {@code {}} stands for the figure; whitespace in the doc counts as one space. A figure
 * derived by a sum the doc shows (6.3 write units a cycle) is not listed: its parts are.
 */
final class QuotedFigures {
    /** A phrase of a doc, its figures ({} each), and where each comes from. */
    record Quote(String doc, String phrase, List<String> selectors) {
        Quote(String doc, String phrase, String... selectors) {
            this(doc, phrase, List.of(selectors));
        }
    }

    private static final String TEN_THOUSAND = "fanout[connections=10000].groupcastMs";
    private static final String LEAST_RSS = "coldstart[function=AuthorizeFunction].rssMb";
    private static final String MOST_RSS = "coldstart[function=NotifyFunction].rssMb";

    static final List<Quote> ALL = List.of(
            new Quote(
                    "BENCHMARKS.md",
                    "`readMs` ({} ms, {} ms)",
                    "fanout[connections=1000].readMs",
                    "fanout[connections=10000].readMs"),
            new Quote(
                    "BENCHMARKS.md",
                    "Writing the 400,000 items took {} s, the 2,000,000 items {} s",
                    "fanout-large[connections=200000].writeS",
                    "fanout-large[connections=1000000].writeS"),
            new Quote("BENCHMARKS.md", "7,810 ms before, {} ms now", "connect.connectMs"),
            new Quote("BENCHMARKS.md", "groupcast-functions.jar`, {} MB)", "coldstart[function=ConnectFunction].jarMb"),
            new Quote(
                    "BENCHMARKS.md",
                    "(every function at {} to {})",
                    "coldstart[function=ConnectFunction].ratio",
                    "coldstart[function=AuthorizeFunction].ratio"),
            new Quote(
                    "BENCHMARKS.md",
                    "the ratios are {} to {}.",
                    "coldstart[function=DisconnectFunction].ratioWithoutCds",
                    "coldstart[function=AuthorizeFunction].ratioWithoutCds"),
            new Quote(
                    "BENCHMARKS.md",
                    "at a group of 100: ${} per million, **{} %**",
                    "cost-workloads.perDeliveryAt100Usd*1e6",
                    "cost-workloads.perDeliveryAt100Usd*1e8"),
            new Quote("BENCHMARKS.md", "**${} per million** (`connectCycleUsd`)", "cost-workloads.connectCycleUsd*1e6"),
            new Quote(
                    "BENCHMARKS.md",
                    "a connect costs ${}, ${}, ${}, ${} per million at 256",
                    "cost[operation=connect].arm64UsdByMemoryMb.256*1e6",
                    "cost[operation=connect].arm64UsdByMemoryMb.512*1e6",
                    "cost[operation=connect].arm64UsdByMemoryMb.1024*1e6",
                    "cost[operation=connect].arm64UsdByMemoryMb.1769*1e6"),
            new Quote(
                    "BENCHMARKS.md",
                    "a notify to 10,000 ${}, ${}, ${}, ${}.",
                    "cost[operation=notify to 10,000].arm64UsdByMemoryMb.256*1e6",
                    "cost[operation=notify to 10,000].arm64UsdByMemoryMb.512*1e6",
                    "cost[operation=notify to 10,000].arm64UsdByMemoryMb.1024*1e6",
                    "cost[operation=notify to 10,000].arm64UsdByMemoryMb.1769*1e6"),
            new Quote(
                    "docs/cost.md",
                    "Groupcast costs ${} per million deliveries: **{} %**",
                    "cost-workloads.perDeliveryAt100Usd*1e6",
                    "cost-workloads.perDeliveryAt100Usd*1e8"),
            new Quote(
                    "docs/cost.md", "Groupcast costs **${} per million cycles**", "cost-workloads.connectCycleUsd*1e6"),
            new Quote("docs/cost.md", "Peak RSS measured {} to {} MB", LEAST_RSS, MOST_RSS),
            new Quote(
                    "docs/cost.md",
                    "prices a connect's Lambda share at ${} per million at 256",
                    "cost[operation=connect].arm64UsdByMemoryMb.256*1e6"),
            new Quote("docs/operations.md", "peak RSS measured at {} to {} MB", LEAST_RSS, MOST_RSS),
            new Quote("docs/operations.md", "posted to 10,000 connections in {} ms", TEN_THOUSAND),
            new Quote("docs/scale.md", "(10,000 connections in {} ms)", TEN_THOUSAND),
            new Quote(
                    "docs/scale.md",
                    "in {} ms and {} read units as key ranges of one partition, {} ms and {} units as 16 shards, {} ms"
                            + " sequentially",
                    "read-split.rangesMs",
                    "read-split.rangesRcu",
                    "read-split.shardsMs",
                    "read-split.shardsRcu",
                    "read-split.sequentialMs"),
            new Quote(
                    "docs/data-model.md",
                    "{} write units per notify to a group of 100, {} read units for a resume of 10 messages",
                    "streamcost.notifyWcuStreamed",
                    "streamcost.resumeRcu"),
            new Quote("docs/clients.md", "in {} ms at the median, {} ms at p95", "reconnect.p50Ms", "reconnect.p95Ms"));

    private QuotedFigures() {}
}
