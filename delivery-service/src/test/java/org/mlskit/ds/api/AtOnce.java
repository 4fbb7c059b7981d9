package org.mlskit.ds.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.mlskit.ds.client.DsException;

/** Races: every task released at the same moment, each on its own thread. */
final class AtOnce {
    private AtOnce() {
    }

    /** What each task returned, in task order; a refusal is its code and the {@code epoch} detail when there is one. */
    static List<String> run(List<Callable<String>> tasks) throws InterruptedException {
        String[] outcomes = new String[tasks.size()];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            int k = i;
            threads.add(new Thread(() -> {
                try {
                    go.await();
                    outcomes[k] = tasks.get(k).call();
                } catch (DsException e) {
                    outcomes[k] = e.code() + (e.body().has("epoch") ? ":" + e.body().get("epoch").getAsLong() : "");
                } catch (Exception e) {
                    outcomes[k] = e.toString();
                }
            }));
        }
        threads.forEach(Thread::start);
        go.countDown();
        for (Thread t : threads) {
            t.join(60_000);
        }
        return List.of(outcomes);
    }
}
