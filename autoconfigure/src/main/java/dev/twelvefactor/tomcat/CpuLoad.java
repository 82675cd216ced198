package dev.twelvefactor.tomcat;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

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
	 * The JVM's measure of the CPU of its environment, the container where it runs in
	 * one, since it was last asked.
	 */
	CpuLoad SYSTEM = system();

	/**
	 * Return the share of the CPU in use, from 0 to 1.
	 * @return the share, or {@code NaN} when it is not known
	 */
	double get();

	private static CpuLoad system() {
		OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
		if (bean instanceof com.sun.management.OperatingSystemMXBean os) {
			return () -> {
				double load = os.getCpuLoad();
				return (load >= 0) ? load : Double.NaN;
			};
		}
		return NONE;
	}

}
