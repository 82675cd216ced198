package dev.twelvefactor.tomcat;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The share of the CPU in use where the server runs, for an adaptive admission limit.
 *
 * @author twelvefactor
 */
@FunctionalInterface
interface CpuLoad {

	/**
	 * No measure of the CPU.
	 */
	CpuLoad NONE = () -> Double.NaN;

	/**
	 * Return the share of the CPU in use, from 0 to 1.
	 * @return the share, or {@code NaN} when it is not known
	 */
	double get();

	/**
	 * Return the share of the CPU in use that this server's handlers are to answer for:
	 * the JVM's measure of the CPU of its environment (the container where it runs in one),
	 * while this process uses at least half of what is in use. On a machine shared with
	 * other processes, CPU they take is not this server's to shed: the share is then what
	 * this process uses of the processors it may use. Not thread-safe: each call measures
	 * since the one before.
	 * @return the measure, or {@link #NONE} where the JVM does not tell
	 */
	static CpuLoad ofThisProcess() {
		OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
		if (bean instanceof com.sun.management.OperatingSystemMXBean os && os.getProcessCpuTime() >= 0) {
			return new ProcessShare(os::getCpuLoad, os::getProcessCpuTime, System::nanoTime,
					Runtime.getRuntime()::availableProcessors);
		}
		return NONE;
	}

	/**
	 * The share of the CPU in use, counted while this process uses at least half of it.
	 */
	final class ProcessShare implements CpuLoad {

		private final DoubleSupplier system;

		private final LongSupplier processCpuNanos;

		private final LongSupplier nanoTime;

		private final IntSupplier processors;

		private long lastCpu;

		private long lastTime;

		ProcessShare(DoubleSupplier system, LongSupplier processCpuNanos, LongSupplier nanoTime,
				IntSupplier processors) {
			this.system = system;
			this.processCpuNanos = processCpuNanos;
			this.nanoTime = nanoTime;
			this.processors = processors;
			this.lastCpu = processCpuNanos.getAsLong();
			this.lastTime = nanoTime.getAsLong();
		}

		@Override
		public double get() {
			long cpu = this.processCpuNanos.getAsLong();
			long time = this.nanoTime.getAsLong();
			long elapsed = time - this.lastTime;
			double process = (elapsed > 0 && cpu >= 0)
					? Math.min(1, (double) (cpu - this.lastCpu) / elapsed / this.processors.getAsInt()) : Double.NaN;
			this.lastCpu = cpu;
			this.lastTime = time;
			double system = this.system.getAsDouble();
			if (system < 0 || Double.isNaN(process)) {
				return Double.NaN;
			}
			return (process >= system / 2) ? system : process;
		}

	}

}
