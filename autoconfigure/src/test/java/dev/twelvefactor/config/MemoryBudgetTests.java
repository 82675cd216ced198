package dev.twelvefactor.config;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;


import static dev.twelvefactor.config.MemoryBudget.MIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryBudget}.
 *
 * @author twelvefactor
 */
class MemoryBudgetTests {

	private static final long GIB = 1024 * MIB;

	@Test
	void twoHundredThreadsAndA192MibHeapDoNotFitIn256Mib() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).explicit("MaxRAM", 256 * MIB)
			.option("MaxHeapSize", 192 * MIB), 200, false);
		assertThat(budget.fits()).isFalse();
		assertThat(budget.limit()).isEqualTo(256 * MIB);
		assertThat(budget.needed()).isEqualTo((192 + 200 + 80 + 48 + 32) * MIB);
		assertThat(budget.left()).isEqualTo(-296 * MIB);
		assertThat(budget.describe()).isEqualTo("heap 192 MiB + stacks 200 MiB (200 request threads x 1 MiB) "
				+ "+ metaspace ~80 MiB + code cache ~48 MiB + other ~32 MiB = 552 MiB of 256 MiB (-XX:MaxRAM), "
				+ "296 MiB over");
		assertThat(budget.explain()).startsWith("Memory budget does not fit: heap 192 MiB")
			.contains("Lower WEB_CONCURRENCY (or threads), the heap (-Xmx or -XX:MaxRAMPercentage)")
			.contains("or raise the memory limit");
	}

	@Test
	void imageSettingsFitIn512Mib() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).total(512 * MIB)
			.option("MaxHeapSize", 308 * MIB)
			.explicit("MaxMetaspaceSize", 128 * MIB), 5, false);
		assertThat(budget.fits()).isTrue();
		assertThat(budget.left()).isEqualTo((512 - 308 - 5 - 80 - 48 - 32) * MIB);
		assertThat(budget.describe()).isEqualTo("heap 308 MiB + stacks 5 MiB (5 request threads x 1 MiB) "
				+ "+ metaspace ~80 MiB + code cache ~48 MiB + other ~32 MiB = 473 MiB of 512 MiB (container limit), "
				+ "39 MiB left");
	}

	@Test
	void budgetThatUsesTheLimitExactlyFits() {
		MemoryBudget budget = MemoryBudget.of(jvm(GIB).option("MaxHeapSize", (1024 - 10 - 80 - 48 - 32) * MIB), 10,
				false);
		assertThat(budget.left()).isZero();
		assertThat(budget.fits()).isTrue();
		MemoryBudget oneMore = MemoryBudget.of(jvm(GIB).option("MaxHeapSize", (1024 - 10 - 80 - 48 - 32) * MIB), 11,
				false);
		assertThat(oneMore.left()).isEqualTo(-MIB);
		assertThat(oneMore.fits()).isFalse();
	}

	@Test
	void withoutAContainerLimitTheMachineMemoryIsTheLimit() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB), 5, false);
		assertThat(budget.limit()).isEqualTo(24 * GIB);
		assertThat(budget.describe()).contains("of 24576 MiB (machine memory)");
	}

	@Test
	void whenTheMachineMemoryIsUnknownTheTotalIsTheMachineMemory() {
		MemoryBudget budget = MemoryBudget.of(jvm(-1).total(8 * GIB), 5, false);
		assertThat(budget.limit()).isEqualTo(8 * GIB);
		assertThat(budget.describe()).contains("of 8192 MiB (machine memory)");
	}

	@Test
	void containerLimitBelowTheMachineMemoryIsTheLimit() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).total(512 * MIB), 5, false);
		assertThat(budget.limit()).isEqualTo(512 * MIB);
		assertThat(budget.describe()).contains("of 512 MiB (container limit)");
	}

	@Test
	void maxRamBelowTheContainerLimitIsTheLimit() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).total(GIB).explicit("MaxRAM", 512 * MIB), 5, false);
		assertThat(budget.limit()).isEqualTo(512 * MIB);
		assertThat(budget.describe()).contains("of 512 MiB (-XX:MaxRAM)");
	}

	@Test
	void maxRamAboveTheContainerLimitLeavesTheContainerLimit() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).total(GIB).explicit("MaxRAM", 2 * GIB), 5, false);
		assertThat(budget.limit()).isEqualTo(GIB);
		assertThat(budget.describe()).contains("of 1024 MiB (container limit)");
	}

	@Test
	void maxRamLeftToItsDefaultIsNotALimit() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).total(GIB).option("MaxRAM", 128 * GIB), 5, false);
		assertThat(budget.limit()).isEqualTo(GIB);
	}

	@Test
	void stacksAreThreadsTimesTheStackSize() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).option("ThreadStackSize", 512), 40, false);
		assertThat(budget.threadStacks()).isEqualTo(20 * MIB);
		assertThat(budget.describe()).contains("stacks 20 MiB (40 request threads x 512 KiB)");
	}

	@Test
	void twoMibStacksDoubleTheThreadBudget() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).option("ThreadStackSize", 2048), 40, false);
		assertThat(budget.threadStacks()).isEqualTo(80 * MIB);
		assertThat(budget.describe()).contains("stacks 80 MiB (40 request threads x 2 MiB)");
	}

	@Test
	void stackSizeOfZeroIsThePlatformDefaultOfOneMib() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).option("ThreadStackSize", 0), 8, false);
		assertThat(budget.threadStacks()).isEqualTo(8 * MIB);
	}

	@Test
	void virtualThreadsCountTheCarriersNotTheRequests() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).carriers(4), 10000, true);
		assertThat(budget.threadStacks()).isEqualTo(4 * MIB);
		assertThat(budget.describe()).contains("stacks 4 MiB (4 virtual thread carriers x 1 MiB)");
	}

	@Test
	void metaspaceCapBelowTheEstimateIsCountedInstead() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).explicit("MaxMetaspaceSize", 64 * MIB), 5, false);
		assertThat(budget.describe()).contains("+ metaspace 64 MiB +");
		assertThat(budget.needed()).isEqualTo((256 + 5 + 64 + 48 + 32) * MIB);
	}

	@Test
	void codeCacheBelowTheEstimateIsCountedInstead() {
		MemoryBudget budget = MemoryBudget.of(jvm(24 * GIB).option("ReservedCodeCacheSize", 32 * MIB), 5, false);
		assertThat(budget.describe()).contains("+ code cache 32 MiB +");
		assertThat(budget.needed()).isEqualTo((256 + 5 + 80 + 32 + 32) * MIB);
	}

	@Test
	void withoutMaxHeapSizeTheRuntimeMaximumIsTheHeap() {
		TestJvm jvm = jvm(24 * GIB);
		jvm.options.remove("MaxHeapSize");
		assertThat(MemoryBudget.of(jvm, 5, false).describe()).startsWith("heap 100 MiB + ");
	}

	@Test
	void requestThreadsAreWorkersTimesThreads() {
		MockEnvironment environment = new MockEnvironment().withProperty("twelvefactor.workers", "7")
			.withProperty("twelvefactor.threads", "3");
		MemoryBudget budget = MemoryBudget.of(EffectiveConfiguration.get(environment));
		assertThat(budget).isNotNull();
		assertThat(budget.describe()).contains("(21 request threads x ");
	}

	@Test
	void requestThreadsOfAnAdaptiveLimitAreTheMostItMayReach() {
		MockEnvironment environment = new MockEnvironment().withProperty("twelvefactor.workers", "auto")
			.withProperty("twelvefactor.max-workers", "40")
			.withProperty("twelvefactor.threads", "2");
		MemoryBudget budget = MemoryBudget.of(EffectiveConfiguration.get(environment));
		assertThat(budget).isNotNull();
		assertThat(budget.describe()).contains("(80 request threads x ");
	}

	@Test
	void budgetOfThisJvmReadsItsHeap() {
		MemoryBudget budget = MemoryBudget.of(5, false);
		assertThat(budget).isNotNull();
		assertThat(budget.describe()).startsWith("heap " + Math.round((double) heapOfThisJvm() / MIB) + " MiB + ")
			.contains("(5 request threads x ");
		assertThat(budget.limit()).isGreaterThan(heapOfThisJvm());
	}

	private static long heapOfThisJvm() {
		return Long.parseLong(
				ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("MaxHeapSize").getValue());
	}

	private static TestJvm jvm(long machineMemory) {
		return new TestJvm(machineMemory);
	}

	/**
	 * A JVM on a machine with the given memory, no container limit, a 256 MiB heap, 1 MiB
	 * stacks and the default code cache.
	 */
	static final class TestJvm implements MemoryBudget.Jvm {

		private final Map<String, Long> options = new HashMap<>();

		private final Map<String, Long> explicitOptions = new HashMap<>();

		private final long machineMemory;

		private long totalMemory;

		private int carriers = 2;

		TestJvm(long machineMemory) {
			this.machineMemory = machineMemory;
			this.totalMemory = machineMemory;
			this.options.put("MaxHeapSize", 256 * MIB);
			this.options.put("ThreadStackSize", 1024L);
			this.options.put("ReservedCodeCacheSize", 240 * MIB);
		}

		TestJvm option(String name, long value) {
			this.options.put(name, value);
			return this;
		}

		TestJvm explicit(String name, long value) {
			this.explicitOptions.put(name, value);
			return option(name, value);
		}

		TestJvm total(long memory) {
			this.totalMemory = memory;
			return this;
		}

		TestJvm carriers(int carriers) {
			this.carriers = carriers;
			return this;
		}

		@Override
		public @Nullable Long size(String name) {
			return this.options.get(name);
		}

		@Override
		public @Nullable Long explicitSize(String name) {
			return this.explicitOptions.get(name);
		}

		@Override
		public long totalMemory() {
			return this.totalMemory;
		}

		@Override
		public long machineMemory() {
			return this.machineMemory;
		}

		@Override
		public long maxMemory() {
			return 100 * MIB;
		}

		@Override
		public int carrierThreads() {
			return this.carriers;
		}

	}

}
