package io.mycelium.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH benchmarks and prints their scores in the result contract of {@code mycelium bench}: per benchmark and
 * parameter set a {@code ns_per_op} line (the score; its error in {@code params.error}) and, when run with
 * {@code -prof gc}, a {@code bytes_per_op} line. The name is the benchmark method, followed by
 * {@code /param=value,...} when it has parameters; the role (floor, peer) comes from the suite's {@code [roles]}.
 * JMH's own report is printed as usual before them.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.mycelium.benchmarks.JmhSuite SUITE [JMH options and regexps]}.
 */
public final class JmhSuite {

    private JmhSuite() {
    }

    /**
     * @param args the suite's name, then JMH's command line
     * @throws Exception if JMH fails (a benchmark threw, or the options are wrong)
     */
    public static void main(final String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: JmhSuite SUITE [JMH options and benchmark regexps]");
            System.exit(2);
        }
        final String[] jmhArgs = new String[args.length - 1];
        System.arraycopy(args, 1, jmhArgs, 0, jmhArgs.length);
        final Collection<RunResult> results = new Runner(new CommandLineOptions(jmhArgs)).run();
        if (results.isEmpty()) {
            throw new IllegalStateException("no JMH benchmark matched " + String.join(" ", jmhArgs));
        }
        final ResultLines lines = new ResultLines(args[0], System.out);
        for (final RunResult run : results) {
            print(lines, run);
        }
    }

    private static void print(final ResultLines lines, final RunResult run) {
        final String benchmark = run.getParams().getBenchmark();
        final String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        final Map<String, String> jmhParams = new TreeMap<>();
        for (final String key : run.getParams().getParamsKeys()) {
            jmhParams.put(key, run.getParams().getParam(key));
        }
        final StringBuilder name = new StringBuilder(method);
        jmhParams.forEach((k, v) -> name.append(name.indexOf("/") < 0 ? '/' : ',').append(k).append('=').append(v));
        final Result<?> primary = run.getPrimaryResult();
        final Map<String, Object> params = new LinkedHashMap<>(jmhParams);
        params.put("benchmark", benchmark);
        params.put("mode", run.getParams().getMode().shortLabel());
        params.put("forks", run.getParams().getForks());
        params.put("iterations", run.getParams().getMeasurement().getCount());
        if (!Double.isNaN(primary.getScoreError())) {
            params.put("error", primary.getScoreError());
        }
        if (!primary.getScoreUnit().equals("ns/op")) {
            throw new IllegalStateException(benchmark + " reports " + primary.getScoreUnit()
                    + "; JmhSuite reports ns/op only (run it in AverageTime mode with -tu ns)");
        }
        lines.value(name.toString(), null, "ns_per_op", primary.getScore(), "ns/op", params);
        for (final BenchmarkResult b : run.getBenchmarkResults()) {
            final Result<?> alloc = b.getSecondaryResults().get("gc.alloc.rate.norm");
            if (alloc != null) {
                final Map<String, Object> allocParams = new LinkedHashMap<>(jmhParams);
                allocParams.put("benchmark", benchmark);
                lines.value(name.toString(), null, "bytes_per_op", Math.max(0, alloc.getScore()),
                        "B/op", allocParams);
            }
        }
    }
}
