package org.edgeml.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs one job per host on at most {@code parallel} hosts at a time, past failures, and tabulates the results. */
public final class Fleet {
    private Fleet() {}

    public static <T> List<DeployResult> run(List<T> targets, int parallel, Function<T, DeployResult> job) {
        if (parallel < 1 || parallel > 64) {
            throw new org.edgeml.core.EdgemlException("--parallel " + parallel + " is out of range; use 1 to 64");
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, targets.size()), r -> {
            Thread t = new Thread(r, "edgeml-deploy");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<DeployResult>> futures = new ArrayList<>();
            for (T target : targets) {
                futures.add(pool.submit(() -> job.apply(target)));
            }
            List<DeployResult> results = new ArrayList<>();
            for (Future<DeployResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.edgeml.core.EdgemlException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a deploy job threw instead of reporting", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code {"hosts":[result...],"ok":N,"failed":M}}, each result as {@link DeployResult#toJson()} gives it. */
    public static Map<String, Object> toJson(List<DeployResult> results) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("hosts", results.stream().map(DeployResult::toJson).toList());
        long failed = results.stream().filter(r -> !r.succeeded()).count();
        o.put("ok", results.size() - failed);
        o.put("failed", failed);
        return o;
    }

    /** host, release, result, seconds; then the failure messages. */
    public static String summary(List<DeployResult> results) {
        int hostWidth = Math.max(4, results.stream().mapToInt(r -> r.host().length()).max().orElse(4));
        int releaseWidth = Math.max(7, results.stream().mapToInt(r -> r.release() == null ? 1 : r.release().length()).max().orElse(7));
        int resultWidth = Math.max(11, results.stream().mapToInt(r -> r.outcome().label().length()).max().orElse(11));
        String format = "%-" + hostWidth + "s  %-" + releaseWidth + "s  %-" + resultWidth + "s  %7s%n";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, format, "host", "release", "result", "seconds"));
        for (DeployResult r : results) {
            out.append(String.format(Locale.ROOT, format, r.host(), r.release() == null ? "-" : r.release(),
                    r.outcome().label(), String.format(Locale.ROOT, "%.1f", r.seconds())));
        }
        long failed = results.stream().filter(r -> !r.succeeded()).count();
        for (DeployResult r : results) {
            if (!r.succeeded()) {
                out.append(r.host()).append(": ").append(r.message()).append('\n');
            }
        }
        out.append(String.format(Locale.ROOT, "%d of %d hosts ok%s%n", results.size() - failed, results.size(),
                failed == 0 ? "" : ", " + failed + " failed"));
        return out.toString();
    }
}
