package dev.twelvefactor.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Process tests of the adaptive admission limit ({@code workers=auto}): it grows under
 * I/O-bound load, stays near its floor under CPU-bound load, keeps within its bounds, and
 * a set {@code WEB_CONCURRENCY} turns it off.
 *
 * @author twelvefactor
 */
class AdaptiveAdmissionIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final ExecutorService clients = Executors.newCachedThreadPool();

	private final AtomicBoolean loading = new AtomicBoolean(true);

	@AfterEach
	void stopClients() {
		this.loading.set(false);
		this.clients.shutdownNow();
	}

	@Test
	void limitGrowsUnderIoBoundLoadWithinItsBounds() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:ActiveProcessorCount=2")
			.env("TWELVEFACTOR_WORKERS", "auto")
			.env("TWELVEFACTOR_MAX_WORKERS", "24")
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("Workers: auto, 5..24 (TWELVEFACTOR_WORKERS)")
				.contains("admitting 5 requests at once (adapting up to 24)");
			AtomicInteger mostAtOnce = load(app, "/work?ms=100", 40);
			List<Integer> limits = pollLimit(app, Duration.ofSeconds(15), (limit) -> limit >= 24);
			assertThat(limits).allSatisfy((limit) -> assertThat(limit).isBetween(5, 24)).contains(24);
			// The handlers show it too: more of them ran at once than the floor
			awaitMostAtOnce(mostAtOnce, 6);
			assertThat(mostAtOnce.get()).isLessThanOrEqualTo(24);
		}
	}

	@Test
	void limitStaysNearItsFloorUnderCpuBoundLoad() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:ActiveProcessorCount=2")
			.env("TWELVEFACTOR_WORKERS", "auto")
			.start()
			.awaitReady()) {
			load(app, "/compute?ms=10", 16);
			List<Integer> limits = pollLimit(app, Duration.ofSeconds(8), (limit) -> false);
			assertThat(limits).isNotEmpty().allSatisfy((limit) -> assertThat(limit).isBetween(5, 10));
		}
	}

	@Test
	void setWebConcurrencyKeepsTheLimitFixed() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:ActiveProcessorCount=2")
			.env("WEB_CONCURRENCY", "5")
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("Workers: 5 (WEB_CONCURRENCY)").doesNotContain("adapting");
			AtomicInteger mostAtOnce = load(app, "/work?ms=100", 40);
			List<Integer> limits = pollLimit(app, Duration.ofSeconds(6), (limit) -> false);
			assertThat(limits).isNotEmpty().containsOnly(5);
			assertThat(mostAtOnce.get()).isEqualTo(5);
		}
	}

	/**
	 * Keep the given number of clients sending requests, each its next once the last is
	 * answered, until the test ends.
	 * @return the most handlers that the responses say ran at once
	 */
	private AtomicInteger load(SampleAppProcess app, String path, int clients) {
		AtomicInteger mostAtOnce = new AtomicInteger();
		for (int i = 0; i < clients; i++) {
			CompletableFuture.runAsync(() -> {
				while (this.loading.get()) {
					HttpResponse<String> response = app.get(path);
					if (response.statusCode() == 200 && response.body().contains("\"running\"")) {
						mostAtOnce.accumulateAndGet(json.readTree(response.body()).get("running").asInt(), Math::max);
					}
				}
			}, this.clients);
		}
		return mostAtOnce;
	}

	/**
	 * Read the admission limit from the meter every 200 ms until the condition holds or
	 * the time is up.
	 */
	private static List<Integer> pollLimit(SampleAppProcess app, Duration duration,
			java.util.function.IntPredicate done) throws InterruptedException {
		List<Integer> limits = new ArrayList<>();
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < end) {
			HttpResponse<String> response = app.management("/actuator/metrics/twelvefactor.requests.limit");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			int limit = json.readTree(response.body()).at("/measurements/0/value").asInt();
			limits.add(limit);
			if (done.test(limit)) {
				break;
			}
			Thread.sleep(200);
		}
		return limits;
	}

	private static void awaitMostAtOnce(AtomicInteger mostAtOnce, int atLeast) throws InterruptedException {
		long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (mostAtOnce.get() < atLeast && System.nanoTime() < end) {
			Thread.sleep(50);
		}
		assertThat(mostAtOnce.get()).isGreaterThanOrEqualTo(atLeast);
	}

}
