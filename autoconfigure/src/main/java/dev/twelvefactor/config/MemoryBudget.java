package dev.twelvefactor.config;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.VMOption;
import org.jspecify.annotations.Nullable;

/**
 * What the JVM running the server will need in memory, against what it may use: the heap,
 * the stacks of the request threads, class metadata, compiled code and the JVM's own
 * memory, added up and compared with the memory limit. A budget that does not fit is a
 * replica the kernel kills for running out of memory once the load fills its heap.
 * <p>
 * The heap and the stack size are the JVM's own settings. Class metadata, compiled code and
 * the rest have no useful bound by default, so they are estimates of what a Spring Boot web
 * application uses (measured on the sample app: about 70 MiB of class metadata including the
 * class-data sharing archive, 30 MiB of compiled code and 20 MiB of other native memory after
 * a load), rounded up, or the JVM's cap where one is set lower.
 *
 * @author twelvefactor
 */
public final class MemoryBudget {

	static final long MIB = 1024 * 1024;

	/**
	 * Class metadata (metaspace and the class-data sharing archive) of a Spring Boot web
	 * application with the actuator.
	 */
	static final long METASPACE_ESTIMATE = 80 * MIB;

	/**
	 * Code the JIT compilers produce for such an application under load.
	 */
	static final long CODE_CACHE_ESTIMATE = 48 * MIB;

	/**
	 * The JVM's other native memory: the collector's structures, symbols, compiler arenas,
	 * its own and the server's service threads, direct buffers.
	 */
	static final long OTHER_ESTIMATE = 32 * MIB;

	private static final long DEFAULT_STACK_SIZE = MIB;

	private final long limit;

	private final String limitSource;

	private final long heap;

	private final int threads;

	private final String threadKind;

	private final long stackSize;

	private final long metaspace;

	private final boolean metaspaceEstimated;

	private final long codeCache;

	private final boolean codeCacheEstimated;

	MemoryBudget(long limit, String limitSource, long heap, int threads, String threadKind, long stackSize,
			long metaspace, boolean metaspaceEstimated, long codeCache, boolean codeCacheEstimated) {
		this.limit = limit;
		this.limitSource = limitSource;
		this.heap = heap;
		this.threads = threads;
		this.threadKind = threadKind;
		this.stackSize = stackSize;
		this.metaspace = metaspace;
		this.metaspaceEstimated = metaspaceEstimated;
		this.codeCache = codeCache;
		this.codeCacheEstimated = codeCacheEstimated;
	}

	/**
	 * Return the budget of this JVM running the server the configuration describes: the
	 * threads that may run handlers at once (the admission limit, or the most it may adapt
	 * to) on platform threads, or the carrier threads when requests run on virtual threads.
	 * Threads waiting for admission are not counted: they park before their stack grows.
	 * @param configuration the effective configuration
	 * @return the budget, or {@code null} when this JVM does not tell its settings
	 */
	public static @Nullable MemoryBudget of(EffectiveConfiguration configuration) {
		return of(configuration.maxRequestThreads(), configuration.virtualThreads());
	}

	/**
	 * Return the budget of this JVM with the given request threads.
	 * @param requestThreads the most request threads the server runs
	 * @param virtualThreads whether requests run on virtual threads
	 * @return the budget, or {@code null} when this JVM does not tell its settings (it is
	 * not HotSpot, or the {@code jdk.management} module is missing)
	 */
	public static @Nullable MemoryBudget of(int requestThreads, boolean virtualThreads) {
		Jvm jvm;
		try {
			jvm = new PlatformJvm();
		}
		catch (LinkageError | RuntimeException ex) {
			return null;
		}
		return of(jvm, requestThreads, virtualThreads);
	}

	static MemoryBudget of(Jvm jvm, int requestThreads, boolean virtualThreads) {
		long total = jvm.totalMemory();
		long machine = jvm.machineMemory();
		long limit = total;
		String limitSource = (machine > 0 && total < machine) ? "container limit" : "machine memory";
		Long maxRam = jvm.explicitSize("MaxRAM");
		if (maxRam != null && maxRam < limit) {
			limit = maxRam;
			limitSource = "-XX:MaxRAM";
		}
		Long heap = jvm.size("MaxHeapSize");
		Long stackKilobytes = jvm.size("ThreadStackSize");
		long stackSize = (stackKilobytes != null && stackKilobytes > 0) ? stackKilobytes * 1024 : DEFAULT_STACK_SIZE;
		int threads = virtualThreads ? jvm.carrierThreads() : requestThreads;
		String threadKind = virtualThreads ? "virtual thread carriers" : "request threads";
		Long maxMetaspace = jvm.explicitSize("MaxMetaspaceSize");
		boolean metaspaceEstimated = maxMetaspace == null || maxMetaspace >= METASPACE_ESTIMATE;
		Long reservedCodeCache = jvm.size("ReservedCodeCacheSize");
		boolean codeCacheEstimated = reservedCodeCache == null || reservedCodeCache >= CODE_CACHE_ESTIMATE;
		return new MemoryBudget(limit, limitSource, (heap != null) ? heap : jvm.maxMemory(), threads, threadKind,
				stackSize, metaspaceEstimated ? METASPACE_ESTIMATE : maxMetaspace, metaspaceEstimated,
				codeCacheEstimated ? CODE_CACHE_ESTIMATE : reservedCodeCache, codeCacheEstimated);
	}

	/**
	 * Return the memory the JVM may use: the container's memory limit, or
	 * {@code -XX:MaxRAM} where it is given and lower, or else the machine's memory.
	 * @return the limit in bytes
	 */
	public long limit() {
		return this.limit;
	}

	/**
	 * Return the memory the budget adds up.
	 * @return the needed memory in bytes
	 */
	public long needed() {
		return this.heap + threadStacks() + this.metaspace + this.codeCache + OTHER_ESTIMATE;
	}

	/**
	 * Return the memory left over once everything in the budget has its share; negative when
	 * the budget does not fit.
	 * @return the memory left in bytes
	 */
	public long left() {
		return this.limit - needed();
	}

	/**
	 * Return whether the budget fits in the limit.
	 * @return whether it fits
	 */
	public boolean fits() {
		return left() >= 0;
	}

	long threadStacks() {
		return this.threads * this.stackSize;
	}

	/**
	 * Return how many threads' stacks fit in what the limit leaves once the heap and the
	 * JVM's other memory have their share.
	 * @return the number of stacks that fit, zero when none does
	 */
	int stacksThatFit() {
		long room = this.limit - (needed() - threadStacks());
		return (int) Math.min(Integer.MAX_VALUE, Math.max(0, room / this.stackSize));
	}

	/**
	 * Return the limit and where it comes from, such as {@code 512 MiB container limit}.
	 * @return the limit's description
	 */
	String describeLimit() {
		return mib(this.limit) + " " + this.limitSource;
	}

	/**
	 * Return the budget as the startup report shows it, for example
	 * {@code heap 308 MiB + stacks 5 MiB (5 request threads x 1 MiB) + metaspace ~80 MiB
	 * + code cache ~48 MiB + other ~32 MiB = 473 MiB of 512 MiB (container limit), 39 MiB left}.
	 * @return the description
	 */
	public String describe() {
		long left = left();
		return "heap " + mib(this.heap) + " + stacks " + mib(threadStacks()) + " (" + this.threads + " "
				+ this.threadKind + " x " + mib(this.stackSize) + ") + metaspace " + estimate(this.metaspaceEstimated)
				+ mib(this.metaspace) + " + code cache " + estimate(this.codeCacheEstimated) + mib(this.codeCache)
				+ " + other ~" + mib(OTHER_ESTIMATE) + " = " + mib(needed()) + " of " + mib(this.limit) + " ("
				+ this.limitSource + "), " + ((left >= 0) ? mib(left) + " left" : mib(-left) + " over");
	}

	/**
	 * Return why the budget does not fit and what to do about it.
	 * @return the explanation
	 */
	public String explain() {
		return "Memory budget does not fit: " + describe() + ". Under load the heap fills and the process is "
				+ "killed for running out of memory. Lower WEB_CONCURRENCY (or threads), the heap (-Xmx or "
				+ "-XX:MaxRAMPercentage) or the thread stack size (-Xss), or raise the memory limit.";
	}

	@Override
	public String toString() {
		return describe();
	}

	private static String estimate(boolean estimated) {
		return estimated ? "~" : "";
	}

	private static String mib(long bytes) {
		return (bytes < MIB && bytes > -MIB) ? Math.round((double) bytes / 1024) + " KiB"
				: Math.round((double) bytes / MIB) + " MiB";
	}

	/**
	 * What the budget reads from the JVM it runs in.
	 */
	interface Jvm {

		/**
		 * Return the value of a size or count option of the JVM.
		 * @param name the option, such as {@code MaxHeapSize}
		 * @return the value, or {@code null} when the JVM has no such option
		 */
		@Nullable Long size(String name);

		/**
		 * Return the value of a size option given on the command line, in
		 * {@code JAVA_TOOL_OPTIONS} or in a flags file, rather than left to its default.
		 * @param name the option, such as {@code MaxRAM}
		 * @return the value, or {@code null} when it was not given
		 */
		@Nullable Long explicitSize(String name);

		/**
		 * Return the memory the JVM sees: its container's limit where there is one, else
		 * the machine's memory.
		 * @return the memory in bytes
		 */
		long totalMemory();

		/**
		 * Return the machine's memory, whatever the container's limit is.
		 * @return the memory in bytes, or -1 when unknown
		 */
		long machineMemory();

		/**
		 * Return the most memory the heap may take, as {@link Runtime#maxMemory()}.
		 * @return the memory in bytes
		 */
		long maxMemory();

		/**
		 * Return the number of platform threads that carry virtual threads.
		 * @return the carrier threads
		 */
		int carrierThreads();

	}

	/**
	 * The running JVM, through its management beans. The JDK reads the container's limit
	 * from cgroup v1 or v2; {@code /proc/meminfo} keeps the machine's memory, so comparing
	 * the two tells whether there is a limit.
	 */
	static final class PlatformJvm implements Jvm {

		private static final Path MEMINFO = Path.of("/proc/meminfo");

		private static final List<VMOption.Origin> EXPLICIT = List.of(VMOption.Origin.VM_CREATION,
				VMOption.Origin.ENVIRON_VAR, VMOption.Origin.CONFIG_FILE);

		private final HotSpotDiagnosticMXBean diagnostic = ManagementFactory
			.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

		private final OperatingSystemMXBean system = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

		@Override
		public @Nullable Long size(String name) {
			VMOption option = option(name);
			return (option != null) ? parse(option.getValue()) : null;
		}

		@Override
		public @Nullable Long explicitSize(String name) {
			VMOption option = option(name);
			return (option != null && EXPLICIT.contains(option.getOrigin())) ? parse(option.getValue()) : null;
		}

		private @Nullable VMOption option(String name) {
			try {
				return this.diagnostic.getVMOption(name);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

		private static @Nullable Long parse(String value) {
			try {
				return Long.parseLong(value);
			}
			catch (NumberFormatException ex) {
				// Unsigned values past Long.MAX_VALUE mean "unlimited"
				return null;
			}
		}

		@Override
		public long totalMemory() {
			return this.system.getTotalMemorySize();
		}

		@Override
		public long machineMemory() {
			try {
				for (String line : Files.readAllLines(MEMINFO, StandardCharsets.US_ASCII)) {
					if (line.startsWith("MemTotal:")) {
						return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
					}
				}
			}
			catch (IOException | NumberFormatException ex) {
				// Not Linux, or not readable: the limit is then shown as the machine's
			}
			return -1;
		}

		@Override
		public long maxMemory() {
			return Runtime.getRuntime().maxMemory();
		}

		@Override
		public int carrierThreads() {
			String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism");
			try {
				return (parallelism != null) ? Integer.parseInt(parallelism.strip())
						: Runtime.getRuntime().availableProcessors();
			}
			catch (NumberFormatException ex) {
				return Runtime.getRuntime().availableProcessors();
			}
		}

	}

}
