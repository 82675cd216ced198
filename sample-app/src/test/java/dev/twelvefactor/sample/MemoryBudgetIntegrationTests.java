package dev.twelvefactor.sample;

import java.io.IOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample app, started as a process with a memory limit given as
 * {@code -XX:MaxRAM} (as a container's limit, without a container), reports its memory
 * budget, warns when it cannot fit and refuses it in check mode.
 *
 * @author twelvefactor
 */
class MemoryBudgetIntegrationTests {

	@Test
	void checkModeRefusesABudgetThatCannotFit() throws IOException {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:MaxRAM=256m")
			.jvm("-Xmx192m")
			.env("WEB_CONCURRENCY", "200")
			.env("TWELVEFACTOR_CHECK", "true")
			.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isEqualTo(1);
			assertThat(app.output())
				.contains("Memory: heap 192 MiB + stacks 200 MiB (200 request threads x 1 MiB) + metaspace ~")
				.contains(" of 256 MiB (-XX:MaxRAM), ")
				.containsPattern("Configuration check failed\\. Memory budget does not fit: .* MiB over\\. ")
				.contains("Lower WEB_CONCURRENCY (or threads)")
				.doesNotContain("Configuration check passed")
				.doesNotContain("Tomcat initialized");
			try (ServerSocket port = new ServerSocket(app.port())) {
				assertThat(port.getLocalPort()).isEqualTo(app.port());
			}
		}
	}

	@Test
	void normalStartWarnsAboutABudgetThatCannotFitAndServes() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:MaxRAM=256m")
			.jvm("-Xmx192m")
			.env("WEB_CONCURRENCY", "200")
			.start()
			.awaitReady()) {
			assertThat(app.get("/").statusCode()).isEqualTo(200);
			assertThat(app.stderr()).containsPattern("WARN .* Memory budget does not fit: heap 192 MiB .* MiB over")
				.containsPattern("Memory: heap 192 MiB .* of 256 MiB \\(-XX:MaxRAM\\), \\d+ MiB over");
		}
	}

	@Test
	void reportShowsTheBudgetAndWhatIsLeft() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:MaxRAM=1g")
			.jvm("-Xmx256m")
			.env("WEB_CONCURRENCY", "4")
			.start()
			.awaitReady()) {
			assertThat(app.stderr())
				.containsPattern("Memory: heap 256 MiB \\+ stacks 4 MiB \\(4 request threads x 1 MiB\\) \\+ .* = \\d+ MiB "
						+ "of 1024 MiB \\(-XX:MaxRAM\\), \\d+ MiB left")
				.doesNotContain("Memory budget does not fit");
		}
	}

	@Test
	void adaptiveLimitLeftUnsetKeepsItsCeilingWithinTheBudget() {
		// The production image's heap share under a 512 MiB limit: 200 stacks would not fit
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:MaxRAM=512m")
			.jvm("-XX:MaxRAMPercentage=60")
			.jvm("-XX:MaxMetaspaceSize=128m")
			.start()
			.awaitReady()) {
			assertThat(app.stderr())
				.containsPattern("Max workers: (\\d+) \\(stacks that fit the memory budget, 512 MiB -XX:MaxRAM\\)")
				.containsPattern("Workers: auto, \\d+\\.\\.\\d+ \\(WEB_CONCURRENCY unset\\)")
				.containsPattern("Memory: heap 308 MiB \\+ stacks \\d+ MiB \\(\\d+ request threads x 1 MiB\\) \\+ .* "
						+ "of 512 MiB \\(-XX:MaxRAM\\), \\d+ (MiB|KiB) left")
				.doesNotContain("Memory budget does not fit")
				.doesNotContain("Max workers: 200");
		}
	}

	@Test
	void explicitCeilingIsKeptAndWarnedAboutWhenItCannotFit() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:MaxRAM=512m")
			.jvm("-XX:MaxRAMPercentage=60")
			.env("TWELVEFACTOR_MAX_WORKERS", "200")
			.start()
			.awaitReady()) {
			assertThat(app.stderr()).contains("Max workers: 200 (TWELVEFACTOR_MAX_WORKERS)")
				.containsPattern("WARN .* Memory budget does not fit: heap 308 MiB \\+ stacks 200 MiB .* MiB over");
		}
	}

}
