package dev.twelvefactor.tomcat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AdaptiveLimit}, driven by models of a server: the throughput it would
 * reach at each limit.
 *
 * @author twelvefactor
 */
class AdaptiveLimitTests {

	private static final double CPU_IDLE = 0.3;

	/**
	 * I/O-bound handlers of 50 ms, 64 clients: each request at once serves 20 a second, up
	 * to the 64 there are.
	 */
	private static final IntToDoubleFunction IO_BOUND = (limit) -> 20.0 * Math.min(limit, 64);

	/**
	 * CPU-bound handlers of 5 ms on two cores: 400 a second once two run at once.
	 */
	private static final IntToDoubleFunction CPU_BOUND = (limit) -> 200.0 * Math.min(limit, 2);

	@Test
	void startsAtTheFloor() {
		assertThat(new AdaptiveLimit(5, 200).limit()).isEqualTo(5);
	}

	@Test
	void growsUnderIoBoundLoadUntilNoRequestWaits() {
		AdaptiveLimit limit = new AdaptiveLimit(5, 200);
		List<Integer> limits = run(limit, IO_BOUND, 40, (value) -> value < 64, CPU_IDLE);
		assertThat(limit.limit()).isBetween(64, 64 * 3 / 2);
		// Within ten seconds of half-second decisions
		assertThat(limits.subList(20, 40)).allSatisfy((value) -> assertThat(value).isGreaterThanOrEqualTo(64));
	}

	@Test
	void settlesNearTheFloorUnderCpuBoundLoad() {
		AdaptiveLimit limit = new AdaptiveLimit(5, 200);
		List<Integer> limits = run(limit, CPU_BOUND, 60, (value) -> true, 0.8);
		assertThat(limits).allSatisfy((value) -> assertThat(value).isBetween(5, 6));
	}

	@Test
	void comesDownWhenTheCpuIsSaturated() {
		AdaptiveLimit limit = new AdaptiveLimit(5, 200);
		run(limit, IO_BOUND, 40, (value) -> value < 64, CPU_IDLE);
		assertThat(limit.limit()).isGreaterThanOrEqualTo(64);
		// The same clients now compute: the limit is above them, and the CPU is full
		List<Integer> limits = run(limit, CPU_BOUND, 20, (value) -> value < 64, 1.0);
		assertThat(limits.subList(12, 20)).allSatisfy((value) -> assertThat(value).isBetween(5, 6));
	}

	@Test
	void stopsGrowingWhereMoreAtOnceServeNoMore() {
		// Handlers wait on a pool of 10 connections: past 10 at once, throughput is flat
		IntToDoubleFunction pool = (limit) -> 20.0 * Math.min(limit, 10);
		AdaptiveLimit limit = new AdaptiveLimit(5, 200);
		List<Integer> limits = run(limit, pool, 80, (value) -> true, CPU_IDLE);
		List<Integer> steady = limits.subList(40, 80);
		assertThat(steady).allSatisfy((value) -> assertThat(value).isBetween(9, 14));
	}

	@Test
	void neverLeavesItsBounds() {
		AdaptiveLimit limit = new AdaptiveLimit(5, 40);
		assertThat(run(limit, IO_BOUND, 60, (value) -> true, CPU_IDLE))
			.allSatisfy((value) -> assertThat(value).isBetween(5, 40))
			.contains(40);
		assertThat(run(limit, CPU_BOUND, 60, (value) -> true, 1.0)).allSatisfy((value) -> assertThat(value).isBetween(5, 40))
			.endsWith(5);
	}

	@Test
	void holdsWhenTheLimitHoldsNoRequestBack() {
		AdaptiveLimit limit = new AdaptiveLimit(5, 200);
		assertThat(run(limit, IO_BOUND, 20, (value) -> false, CPU_IDLE)).containsOnly(5);
	}

	@Test
	void floorAboveTheCeilingFixesTheLimit() {
		AdaptiveLimit limit = new AdaptiveLimit(8, 4);
		assertThat(run(limit, IO_BOUND, 10, (value) -> true, CPU_IDLE)).containsOnly(8);
	}

	/**
	 * Run decisions against a model, the throughput of each interval being the model's at
	 * the limit in force during it.
	 */
	private static List<Integer> run(AdaptiveLimit limit, IntToDoubleFunction throughput, int decisions,
			java.util.function.IntPredicate busy, double cpu) {
		List<Integer> limits = new ArrayList<>();
		for (int i = 0; i < decisions; i++) {
			int current = limit.limit();
			limits.add(limit.update(throughput.applyAsDouble(current), busy.test(current), cpu));
		}
		return limits;
	}

}
