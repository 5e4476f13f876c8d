package dev.flinkha.testjob;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.PrintSink;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ParameterTool;

/**
 * Small stateful test job for flinkha: an unbounded, rate-limited generator, keyed by
 * {@code i % keys}, with a {@code ValueState<Long>} counter per key. Every record prints
 * {@code key=K count=N} on the TaskManager's stdout (the TaskManager .out file).
 *
 * <p>Args: {@code --rate N} (records/s in total, default 20), {@code --keys K} (default 8),
 * {@code --checkpoint-interval MS} (default 1000), {@code --name NAME} (the Flink job name,
 * default {@code flinkha-counter-job}), {@code --tag T} (prefix every line with {@code job=T},
 * so several jobs' counts can be told apart in one .out file), and
 * {@code --fail-once-on-version V --fail-marker PATH}: when running on Flink version V, throw
 * once (the first record after start creates PATH and fails the task), so the job restarts
 * after a restore on that version — a real failure for upgrade verification tests.
 * {@code --out-dir DIR} also appends every line to {@code DIR/<tag>.log}: a TaskManager's
 * .out file is truncated when the TaskManager starts again, this file is not.
 * {@code --hold-snapshots-while PATH}: while PATH exists (at most 120 s), the counter's
 * snapshot of every checkpoint and savepoint waits, so a test can kill a JobManager while a
 * savepoint is certainly in flight.
 * {@code --hold-init-while PATH}: while PATH exists (at most 120 s), the counter's
 * {@code initializeState} waits, so its subtasks stay INITIALIZING and the job cannot have all
 * tasks RUNNING (nor complete a checkpoint): a test can kill a JobManager while a run
 * certainly waits for RUNNING.
 */
public class CounterJob {

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        double rate = params.getDouble("rate", 20.0);
        final int keys = params.getInt("keys", 8);
        long checkpointInterval = params.getLong("checkpoint-interval", 1000L);
        final String tag = params.get("tag", "");
        final String failVersion = params.get("fail-once-on-version", "");
        final String failMarker = params.get("fail-marker", "");
        final String outDir = params.get("out-dir", "");
        final String hold = params.get("hold-snapshots-while", "");
        final String holdInit = params.get("hold-init-while", "");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(checkpointInterval);
        env.getConfig().setGlobalJobParameters(params);

        GeneratorFunction<Long, Long> identity = index -> index;
        DataGeneratorSource<Long> source = new DataGeneratorSource<>(
                identity, Long.MAX_VALUE, RateLimiterStrategy.perSecond(rate), Types.LONG);

        env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers")
                .uid("numbers-source")
                .name("numbers")
                .keyBy(i -> (int) (i % keys), Types.INT)
                .process(new Counter(tag, failVersion, failMarker, outDir, hold, holdInit))
                .uid("counter")
                .name("counter")
                .sinkTo(new PrintSink<>())
                .uid("print-sink")
                .name("print");

        env.execute(params.get("name", "flinkha-counter-job"));
    }

    /** Counts the records seen per key, in keyed ValueState. */
    public static class Counter extends KeyedProcessFunction<Integer, Long, String>
            implements CheckpointedFunction {
        private final String prefix;
        private final String hold;
        private final String holdInit;
        private final String failVersion;
        private final String failMarker;
        private final String outFile;
        private transient ValueState<Long> count;
        private transient boolean failChecked;

        public Counter(String tag, String failVersion, String failMarker, String outDir, String hold,
                String holdInit) {
            this.prefix = tag.isEmpty() ? "" : "job=" + tag + " ";
            this.hold = hold;
            this.holdInit = holdInit;
            this.failVersion = failVersion;
            this.failMarker = failMarker;
            this.outFile = outDir.isEmpty() ? "" : outDir + "/" + (tag.isEmpty() ? "job" : tag) + ".log";
        }

        /** Wait while {@code path} (when set) exists, at most 120 s. */
        private static void holdWhile(String path) throws InterruptedException {
            if (path.isEmpty()) {
                return;
            }
            java.io.File f = new java.io.File(path);
            long until = System.currentTimeMillis() + 120_000L;
            while (f.exists() && System.currentTimeMillis() < until) {
                Thread.sleep(50);
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            holdWhile(hold);
        }

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            holdWhile(holdInit);
        }

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Long value, Context ctx, Collector<String> out) throws Exception {
            if (!failChecked) {
                failChecked = true;
                String running = org.apache.flink.runtime.util.EnvironmentInformation.getVersion();
                if (!failVersion.isEmpty() && failVersion.equals(running) && !failMarker.isEmpty()) {
                    java.io.File marker = new java.io.File(failMarker);
                    if (marker.createNewFile()) {
                        throw new RuntimeException("flinkha test job: failing once on Flink " + running);
                    }
                }
            }
            Long current = count.value();
            long next = (current == null ? 0L : current) + 1;
            count.update(next);
            String line = prefix + "key=" + ctx.getCurrentKey() + " count=" + next;
            if (!outFile.isEmpty()) {
                java.nio.file.Path f = java.nio.file.Paths.get(outFile);
                java.nio.file.Files.createDirectories(f.getParent());
                java.nio.file.Files.write(f, (line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
            out.collect(line);
        }
    }
}
