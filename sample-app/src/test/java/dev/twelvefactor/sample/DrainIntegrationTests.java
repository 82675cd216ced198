package dev.twelvefactor.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.twelvefactor.sample.KeepAliveClient.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The packaged sample app stopped by SIGTERM: the drain delay, during which it refuses
 * traffic yet serves with {@code Connection: close}, a second signal that ends it, and the
 * graceful shutdown that answers every request it accepted.
 *
 * @author twelvefactor
 */
class DrainIntegrationTests {

	@Test
	void sigtermTurnsReadinessToRefusingWhileRequestsAreStillServedWithConnectionClose() throws IOException {
		try (SampleAppProcess app = SampleAppProcess.builder().env("TWELVEFACTOR_DRAIN_DELAY", "4").start().awaitReady();
				KeepAliveClient client = new KeepAliveClient(app.port())) {
			assertThat(app.output()).contains("Drain delay: 4s (TWELVEFACTOR_DRAIN_DELAY)");
			Response before = client.get("/");
			assertThat(before.status()).isEqualTo(200);
			assertThat(before.header("Connection")).isNull();
			assertThat(app.management("/actuator/health/readiness").statusCode()).isEqualTo(200);
			long signalled = System.nanoTime();
			app.process().destroy();
			app.awaitOutput((output) -> output.contains("Received SIGTERM: readiness is refusing traffic"),
					Duration.ofSeconds(10));
			HttpResponse<String> readiness = app.management("/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(503);
			assertThat(readiness.body()).contains("OUT_OF_SERVICE");
			// The kept-alive connection is served, and told to close
			Response kept = client.get("/");
			assertThat(kept.status()).isEqualTo(200);
			assertThat(kept.newConnection()).isFalse();
			assertThat(kept.header("Connection")).isEqualTo("close");
			// A new connection is still accepted and served
			Response fresh = client.get("/");
			assertThat(fresh.status()).isEqualTo(200);
			assertThat(fresh.newConnection()).isTrue();
			assertThat(fresh.header("Connection")).isEqualTo("close");
			assertThat(app.process().isAlive()).isTrue();
			assertThat(app.stderr()).doesNotContain("Stopping: draining");
			assertThat(app.awaitExit(Duration.ofSeconds(40))).isEqualTo(143);
			assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
			String stderr = app.stderr();
			assertThat(stderr).containsPattern("Drain delay over after 4\\d{3} ms")
				.containsPattern("Exit: drained 0 requests in flight in \\d+ ms, 0 of them answered 503 at the "
						+ "graceful timeout; before that, served for 4\\d{3} ms of drain delay, closing 2 connections");
			assertThat(stderr.indexOf("Drain delay over")).isLessThan(stderr.indexOf("Stopping: draining"));
			assertThat(stderr.indexOf("Stopping: draining")).isLessThan(stderr.indexOf("Commencing graceful shutdown"));
			assertThat(app.stdout().lines().filter((line) -> line.contains("\"GET / HTTP/1.1\" 200"))).hasSize(3);
		}
	}

	@Test
	void secondSigtermEndsTheDrainDelayAtOnce() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_DRAIN_DELAY", "120")
			.start()
			.awaitReady()) {
			long signalled = System.nanoTime();
			app.process().destroy();
			app.awaitOutput((output) -> output.contains("Received SIGTERM: readiness is refusing traffic"),
					Duration.ofSeconds(10));
			app.process().destroy();
			assertThat(app.awaitExit(Duration.ofSeconds(40))).isEqualTo(143);
			assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(40));
			assertThat(app.stderr()).contains("Received SIGTERM: the drain delay ends now")
				.containsPattern("Drain delay cut short after \\d+ ms")
				.containsPattern("Exit: drained 0 requests in flight in \\d+ ms, .*drain delay \\(cut short\\)");
		}
	}

	@Test
	void everyRequestAcceptedBeforeSigtermIsServedEvenThoseWaitingForAdmission() throws Exception {
		int requests = 8;
		ExecutorService clients = Executors.newFixedThreadPool(requests);
		try (SampleAppProcess app = SampleAppProcess.builder().env("WEB_CONCURRENCY", "2").start().awaitReady()) {
			List<CompletableFuture<Response>> responses = send(app, clients, requests, "/sleep?ms=1000");
			awaitTrue(() -> metric(app, "twelvefactor.requests.waiting") == requests - 2, Duration.ofSeconds(30));
			app.process().destroy();
			for (CompletableFuture<Response> response : responses) {
				Response completed = response.get(30, TimeUnit.SECONDS);
				assertThat(completed.status()).isEqualTo(200);
				assertThat(completed.body()).isEqualTo("{\"slept\":1000}");
			}
			assertThat(app.awaitExit(Duration.ofSeconds(40))).isEqualTo(143);
			assertThat(app.stderr()).contains("Stopping: draining 8 requests in flight")
				.contains("Exit: drained 8 requests in flight in ")
				.contains(", 0 of them answered 503 at the graceful timeout");
			assertThat(app.stdout().lines().filter((line) -> line.contains("GET /sleep?ms=1000 HTTP/1.1\" 200")))
				.hasSize(requests);
		}
		finally {
			clients.shutdownNow();
		}
	}

	@Test
	void requestsLeftAtTheGracefulTimeoutAreAnswered503WithConnectionClose() throws Exception {
		int requests = 8;
		ExecutorService clients = Executors.newFixedThreadPool(requests);
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("WEB_CONCURRENCY", "2")
			.env("TWELVEFACTOR_GRACEFUL_TIMEOUT", "2")
			.start()
			.awaitReady()) {
			List<CompletableFuture<Response>> responses = send(app, clients, requests, "/sleep?ms=1500");
			awaitTrue(() -> metric(app, "twelvefactor.requests.waiting") == requests - 2, Duration.ofSeconds(30));
			app.process().destroy();
			// The first two are served within the 2 s; the next two would end a second
			// past it, and the last four could not even start
			List<Response> answered = new ArrayList<>();
			for (CompletableFuture<Response> response : responses) {
				answered.add(response.get(30, TimeUnit.SECONDS));
			}
			assertThat(answered).filteredOn((response) -> response.status() == 200).hasSize(2);
			assertThat(answered).filteredOn((response) -> response.status() == 503).hasSize(6).allSatisfy((response) -> {
				assertThat(response.header("Connection")).isEqualTo("close");
				assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
				assertThat(response.body()).contains("Server shutting down: the graceful shutdown is over");
			});
			assertThat(app.awaitExit(Duration.ofSeconds(40))).isEqualTo(143);
			assertThat(app.stderr()).contains("Graceful timeout of 2s over: answered 6 requests")
				.contains("Exit: drained 8 requests in flight in ")
				.contains(", 6 of them answered 503 at the graceful timeout");
			assertThat(app.stdout().lines().filter((line) -> line.contains("GET /sleep?ms=1500 HTTP/1.1\" 503")))
				.hasSize(6);
		}
		finally {
			clients.shutdownNow();
		}
	}

	private static List<CompletableFuture<Response>> send(SampleAppProcess app, ExecutorService clients, int requests,
			String path) {
		List<CompletableFuture<Response>> responses = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			responses.add(CompletableFuture.supplyAsync(() -> {
				try (KeepAliveClient client = new KeepAliveClient(app.port())) {
					return client.get(path);
				}
				catch (IOException ex) {
					throw new IllegalStateException("A request accepted before SIGTERM was not answered", ex);
				}
			}, clients));
		}
		return responses;
	}

	private static double metric(SampleAppProcess app, String name) {
		HttpResponse<String> response = app.management("/actuator/metrics/" + name);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonMapper.builder()
			.build()
			.readTree(response.body())
			.get("measurements")
			.get(0)
			.get("value")
			.asDouble();
	}

	private static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				fail("Condition not met within " + timeout);
			}
			Thread.sleep(20);
		}
	}

}
