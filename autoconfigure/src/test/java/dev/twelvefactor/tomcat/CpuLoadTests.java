package dev.twelvefactor.tomcat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link CpuLoad}.
 *
 * @author twelvefactor
 */
class CpuLoadTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	private final AtomicLong processCpu = new AtomicLong();

	private final AtomicLong time = new AtomicLong();

	private double system;

	private final CpuLoad load = new CpuLoad.ProcessShare(() -> this.system, this.processCpu::get, this.time::get,
			() -> 2);

	@Test
	void whenThisProcessUsesTheCpuTheSystemShareCounts() {
		this.system = 0.97;
		second(1.6);
		assertThat(this.load.get()).isEqualTo(0.97);
	}

	@Test
	void whenOtherProcessesUseMostOfTheCpuOnlyThisProcessShareCounts() {
		this.system = 1.0;
		second(0.4);
		assertThat(this.load.get()).isCloseTo(0.2, within(1e-9));
	}

	@Test
	void eachMeasureCoversTheTimeSinceTheOneBefore() {
		this.system = 1.0;
		second(2.0);
		assertThat(this.load.get()).isEqualTo(1.0);
		second(0.2);
		assertThat(this.load.get()).isCloseTo(0.1, within(1e-9));
	}

	@Test
	void unknownSystemShareIsUnknown() {
		this.system = -1;
		second(1.0);
		assertThat(this.load.get()).isNaN();
	}

	@Test
	void thisJvmTellsAShareBetweenZeroAndOne() {
		CpuLoad load = CpuLoad.ofThisProcess();
		long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
		long spin = 0;
		while (System.nanoTime() < end) {
			spin++;
		}
		assertThat(spin).isPositive();
		assertThat(load.get()).isBetween(0.0, 1.0);
	}

	/**
	 * A second passes in which this process uses the given CPU seconds.
	 */
	private void second(double cpuSeconds) {
		this.time.addAndGet(SECOND);
		this.processCpu.addAndGet((long) (cpuSeconds * SECOND));
	}

}
