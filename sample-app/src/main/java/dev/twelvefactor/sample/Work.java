package dev.twelvefactor.sample;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * CPU-bound work of a given CPU time, for the endpoint that shows a CPU-bound handler.
 *
 * @author twelvefactor
 */
final class Work {

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private Work() {
	}

	/**
	 * Compute for the given CPU time of the current thread (wall time where the JVM does
	 * not measure a thread's CPU time, as for a virtual thread).
	 * @param millis the CPU time to use
	 * @return a result, so that the work cannot be optimized away
	 */
	static long compute(long millis) {
		long budget = TimeUnit.MILLISECONDS.toNanos(millis);
		long startCpu = threads.getCurrentThreadCpuTime();
		long startWall = System.nanoTime();
		long result = 17;
		while (true) {
			for (int i = 0; i < 1000; i++) {
				result = result * 31 + (result >>> 7) + i;
			}
			long cpu = threads.getCurrentThreadCpuTime();
			long spent = (cpu >= 0 && startCpu >= 0) ? cpu - startCpu : System.nanoTime() - startWall;
			if (spent >= budget) {
				return result;
			}
		}
	}

}
