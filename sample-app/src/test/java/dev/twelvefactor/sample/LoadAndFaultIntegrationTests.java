package dev.twelvefactor.sample;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample app under load and faults: SIGTERM with many requests in flight, and
 * a flood of hung requests.
 *
 * @author twelvefactor
 */
class LoadAndFaultIntegrationTests {

	@Test
	void sigtermUnderLoadCompletesEveryAcceptedRequestAndRefusesNewConnections() throws Exception {
		int requests = 8;
		ExecutorService clients = Executors.newFixedThreadPool(requests);
		try (SampleAppProcess app = SampleAppProcess.builder().env("WEB_CONCURRENCY", "10").start().awaitReady()) {
			List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
			for (int i = 0; i < requests; i++) {
				inFlight.add(CompletableFuture.supplyAsync(() -> app.get("/sleep?ms=4000"), clients));
			}
			app.awaitOutput((output) -> output.split("Sleeping 4000 ms", -1).length - 1 == requests,
					Duration.ofSeconds(30));
			app.process().destroy();
			app.awaitOutput((output) -> output.contains("Stopping: draining"), Duration.ofSeconds(10));
			app.awaitOutput((output) -> output.contains("Commencing graceful shutdown"), Duration.ofSeconds(10));
			// Tomcat logs that it begins before it closes its server socket: poll
			awaitConnectionRefused(app.port(), Duration.ofSeconds(5));
			for (CompletableFuture<HttpResponse<String>> response : inFlight) {
				HttpResponse<String> completed = response.get(30, TimeUnit.SECONDS);
				assertThat(completed.statusCode()).isEqualTo(200);
				assertThat(completed.body()).isEqualTo("{\"slept\":4000}");
			}
			assertThat(app.awaitExit(Duration.ofSeconds(40))).isEqualTo(143);
			assertThat(app.stderr()).contains("Stopping: draining " + requests + " requests in flight")
				.contains("Exit: drained " + requests + " requests in flight");
			assertThat(app.stdout().lines().filter((line) -> line.contains("GET /sleep?ms=4000 HTTP/1.1\" 200")))
				.hasSize(requests);
		}
		finally {
			clients.shutdownNow();
		}
	}

	@Test
	void floodOfHungRequestsIsCutAtTheDeadlineAndThePoolRecovers() throws Exception {
		int workers = 3;
		int hung = 2 * workers;
		ExecutorService clients = Executors.newFixedThreadPool(hung + 1);
		// Waiting for admission as long as the deadline, so that the waiting requests run to it
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("WEB_CONCURRENCY", String.valueOf(workers))
			.env("GUNICORN_TIMEOUT", "2")
			.env("TWELVEFACTOR_MAX_QUEUE_WAIT", "2")
			.start()
			.awaitReady()) {
			assertThat(app.get("/sleep?ms=1").statusCode()).isEqualTo(200);
			List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
			for (int i = 0; i < hung; i++) {
				flood.add(CompletableFuture.supplyAsync(() -> app.get("/sleep?ms=60000"), clients));
			}
			app.awaitOutput((output) -> output.split("Sleeping 60000 ms", -1).length - 1 == workers,
					Duration.ofSeconds(30));
			long sent = System.nanoTime();
			HttpResponse<String> fresh = CompletableFuture.supplyAsync(() -> app.get("/"), clients)
				.get(30, TimeUnit.SECONDS);
			Duration waited = Duration.ofNanos(System.nanoTime() - sent);
			assertThat(fresh.statusCode()).isEqualTo(200);
			// Queued behind the hung requests, it is served once the running ones are cut at
			// their deadline: the ones waiting with it reach their deadline then too, and are
			// told to retry rather than run
			assertThat(waited).isLessThan(Duration.ofSeconds(2 + 1));
			for (CompletableFuture<HttpResponse<String>> response : flood) {
				assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			int busy = Integer.MAX_VALUE;
			while (busy > 1 && System.nanoTime() < deadline) {
				busy = (int) metric(app, "tomcat.threads.busy");
			}
			assertThat(busy).as("busy threads, the metrics request's own included").isLessThanOrEqualTo(1);
			// The waiting ones were either admitted with a few milliseconds left and cut at
			// their deadline too, or reached it waiting and were shed
			long deadlineErrors = app.stderr()
				.lines()
				.filter((line) -> line.contains(" ERROR ") && line.contains("Request deadline of 2s exceeded: GET /sleep"))
				.count();
			assertThat(deadlineErrors).isBetween((long) workers, (long) hung);
			assertThat(app.get("/").statusCode()).isEqualTo(200);
			assertThat(metric(app, "twelvefactor.requests.deadline.exceeded")).isEqualTo(deadlineErrors);
			assertThat(metric(app, "twelvefactor.requests.shed")).isEqualTo(hung - deadlineErrors);
			JsonNode live = JsonMapper.builder()
				.build()
				.readTree(app.management("/actuator/twelvefactor").body())
				.get("live");
			assertThat(live.get("deadlinesHit").asLong()).isEqualTo(deadlineErrors);
			assertThat(live.get("stuckThreads").asInt()).isZero();
			// the management server's own request is not one of the application's
			assertThat(live.get("requestsInFlight").asInt()).isZero();
		}
		finally {
			clients.shutdownNow();
		}
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

	private static void awaitConnectionRefused(int port, Duration timeout) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			try {
				connect(port);
			}
			catch (ConnectException ex) {
				return;
			}
			assertThat(System.nanoTime()).as("connections refused within " + timeout).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	private static void connect(int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
		}
	}

}
