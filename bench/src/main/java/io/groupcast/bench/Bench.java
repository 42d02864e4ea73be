package io.groupcast.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.bench.cost.BroadcastCycle;
import io.groupcast.bench.cost.CostScenario;
import io.groupcast.bench.cost.ResumeCost;
import io.groupcast.bench.cost.StreamCost;
import io.groupcast.bench.handlers.HandlerLatencyScenario;
import io.groupcast.bench.latency.ConnectLatencyScenario;
import io.groupcast.bench.latency.NotifyLatencyScenario;
import io.groupcast.bench.scale.FanoutLargeScenario;
import io.groupcast.bench.scale.PostBudgetScenario;
import io.groupcast.bench.scale.ReadSplitScenario;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar bench/target/groupcast-bench.jar SCENARIO [options]}: one JSON object per line per result on
 * stdout, progress on stderr, exit status 1 when any delivery was wrong.
 */
public final class Bench {
    static final String USAGE = """
            usage: java -jar bench/target/groupcast-bench.jar SCENARIO [options]   (run from the Groupcast folder)

            scenarios:
              fanout     --connections N[,N...] (1000,10000) --latency-ms MS (20) --in-flight N (128)
              readcost   --connections N (10000): a user's 3 connections among N others, Query vs Scan; what streams cost
              resume     one resume of 10, 500 and 50,000 kept messages (and 50,000 expired) on a reliable
                         connection (replay frames) and a plain one (a post each): read units, posts, time
              notify-latency  a notify to one user: plain member, reliable member, streams off, and a Query plus a
                         post in the same process; medians, p99 and DynamoDB calls per notify
              connect-latency  $connect for a user without links and with 3 links: medians, and the sequential
                         DynamoDB round trips (timed again with 10 ms added to each call); end to end through
                         the local gateway, first and warm
              cost-broadcast  a connect-disconnect cycle's DynamoDB units with BroadcastToAll Enabled and
                         Disabled (also part of cost)
              coldstart  --runs N (5): each function in a fresh JVM against the SDK-default baseline
              connect    --clients N (1000): a connect storm through the local gateway, then a drop storm
              presence   --latency-ms MS (20): a user's and a 1,000-member group's presence, stored against verified
              publish    --clients N (1000): a client's send frame to a group of N WebSocket members, against a
                         server's notify to the same group
              fanout-large --connections N[,N...] (200000) --rate R (2000) --workers W (8) --throttle-permille P
                         --kills K --visibility S: an async notify to one group of N through the fan-out workers,
                         against a loopback API throttled at R posts/s; P per mille of the workers' DynamoDB calls
                         throttled, K worker invocations killed in the middle of a slice (redelivered after S s)
              post-budget --rate R[,R...] (10000,100000) --workers W (1000) --seconds S (20) --throttle-permille P:
                         W workers taking posts from the stack-wide budget at R posts/s (P per mille of its calls
                         throttled); the budget item's writes per second
              read-split --connections N (200000): one group's partition read in 16 key ranges at once, against the
                         same members sharded over 16 partitions, and one sequential read
              handlers   a client event's round trip to a loopback handler against a plain send, and a connect with
                         the connect hook against one without
              cost       what each operation costs (units, CPU, logs) next to API Gateway's charge; workloads
              all        every scenario with its defaults (not fanout-large: minutes)
            """;

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        Options options;
        try {
            options = Options.parse(args);
            if (!List.of(
                            "fanout",
                            "fanout-large",
                            "read-split",
                            "post-budget",
                            "cost",
                            "readcost",
                            "resume",
                            "notify-latency",
                            "connect-latency",
                            "cost-broadcast",
                            "coldstart",
                            "connect",
                            "publish",
                            "presence",
                            "handlers",
                            "all")
                    .contains(options.scenario())) {
                throw new IllegalArgumentException("unknown scenario " + options.scenario());
            }
        } catch (IllegalArgumentException e) {
            System.err.println("groupcast-bench: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        // stdout carries only the result lines; everything else (the gateway's function logs) goes to stderr
        PrintStream results = System.out;
        System.setOut(System.err);
        boolean ok = true;
        try (BenchSetup setup = new BenchSetup()) {
            List<ObjectNode> lines;
            try {
                lines = run(options, setup);
            } catch (Exception e) {
                if (!setup.dynalite.isRunning()) {
                    Progress.say("dynalite exited; its last output:\n" + setup.dynalite.output());
                }
                throw e;
            }
            for (ObjectNode line : lines) {
                results.println(line.toString());
                results.flush();
                ok &= line.path("ok").asBoolean(false);
            }
        }
        if (!ok) {
            Progress.say("FAILED: a result was wrong (see \"ok\":false above)");
        }
        System.exit(ok ? 0 : 1);
    }

    /** An option that is 0 when not given (options take positive numbers only). */
    private static int values(Options options, String name) {
        return options.integer(name, 0);
    }

    private static List<ObjectNode> run(Options options, BenchSetup setup) throws Exception {
        List<ObjectNode> lines = new ArrayList<>();
        String scenario = options.scenario();
        if (scenario.equals("fanout") || scenario.equals("all")) {
            for (int size : options.connections(List.of(1000, 10000))) {
                lines.add(FanoutScenario.run(
                        setup, size, options.integer("--latency-ms", 20), options.integer("--in-flight", 128)));
            }
        }
        if (scenario.equals("readcost") || scenario.equals("all")) {
            lines.add(ReadCostScenario.run(
                    setup, options.connections(List.of(10000)).get(0)));
            lines.add(StreamCost.run(setup));
        }
        if (scenario.equals("notify-latency") || scenario.equals("all")) {
            lines.addAll(NotifyLatencyScenario.run(setup));
        }
        if (scenario.equals("cost-broadcast") || scenario.equals("cost") || scenario.equals("all")) {
            lines.addAll(BroadcastCycle.run(setup));
        }
        if (scenario.equals("connect-latency") || scenario.equals("all")) {
            lines.addAll(ConnectLatencyScenario.run(setup));
        }
        if (scenario.equals("resume") || scenario.equals("all")) {
            lines.addAll(ResumeCost.run(setup));
        }
        if (scenario.equals("coldstart") || scenario.equals("all")) {
            lines.addAll(ColdStartScenario.run(setup, options.integer("--runs", 5)));
        }
        if (scenario.equals("connect") || scenario.equals("all")) {
            lines.add(ConnectStormScenario.run(setup, options.integer("--clients", 1000)));
        }
        if (scenario.equals("presence") || scenario.equals("all")) {
            lines.add(PresenceScenario.run(setup, 3, 1000, options.integer("--latency-ms", 20)));
        }
        if (scenario.equals("cost") || scenario.equals("all")) {
            lines.addAll(CostScenario.run(setup));
        }
        if (scenario.equals("read-split")) {
            lines.add(ReadSplitScenario.run(
                    setup, options.connections(List.of(200_000)).get(0)));
        }
        if (scenario.equals("fanout-large")) {
            for (int size : options.connections(List.of(200_000))) {
                lines.add(FanoutLargeScenario.run(
                        setup,
                        size,
                        options.integer("--rate", 2000),
                        options.integer("--workers", 8),
                        new FanoutLargeScenario.Faults(
                                values(options, "--throttle-permille"),
                                values(options, "--kills"),
                                options.integer("--visibility", 1800))));
            }
        }
        if (scenario.equals("post-budget")) {
            for (int rate : options.integers("--rate", List.of(10_000, 100_000))) {
                lines.add(PostBudgetScenario.run(
                        setup,
                        rate,
                        options.integer("--workers", 1000),
                        options.integer("--seconds", 20),
                        values(options, "--throttle-permille")));
            }
        }
        if (scenario.equals("publish") || scenario.equals("all")) {
            lines.add(PublishScenario.run(setup, options.integer("--clients", 1000)));
        }
        if (scenario.equals("handlers") || scenario.equals("all")) {
            lines.add(HandlerLatencyScenario.run(setup));
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("unknown scenario " + scenario + "\n" + USAGE);
        }
        return lines;
    }
}
