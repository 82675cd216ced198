package dev.twelvefactor.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Process tests of admission control: what {@code WEB_CONCURRENCY} means on a JVM, the
 * deadline counted from arrival, stuck handlers abandoned, overload shed fast, probes
 * that answer through it all, and slow clients that cannot hold a worker. Each runs on
 * Tomcat's pool of platform threads, and on virtual threads (a Java 21+ runtime, which CI
 * must have), where Tomcat's pool bounds nothing.
 *
 * @author twelvefactor
 */
@ParameterizedClass(name = "{0} threads")
@ValueSource(strings = { "platform", "virtual" })
class AdmissionIntegrationTests {

	@Parameter
	String threads;

	private static final JsonMapper json = JsonMapper.builder().build();

	private final ExecutorService clients = Executors.newCachedThreadPool();

	@AfterEach
	void stopClients() {
		this.clients.shutdownNow();
	}

	@Test
	void webConcurrencyBoundsTheHandlersRunningAtOnce() {
		try (SampleAppProcess app = app().env("WEB_CONCURRENCY", "4")
			.env("GUNICORN_TIMEOUT", "30")
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("admitting 4 requests at once on " + this.threads + " threads");
			List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				responses.add(CompletableFuture.supplyAsync(() -> app.get("/work?ms=400"), this.clients));
			}
			int most = 0;
			for (CompletableFuture<HttpResponse<String>> response : responses) {
				HttpResponse<String> answer = response.join();
				assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
				most = Math.max(most, json.readTree(answer.body()).get("running").asInt());
			}
			assertThat(most).isEqualTo(4);
			JsonNode live = json.readTree(app.management("/actuator/twelvefactor").body()).get("live");
			assertThat(live.get("admissionLimit").asInt()).isEqualTo(4);
			assertThat(live.get("requestsShed").asLong()).isZero();
		}
	}

	@Test
	void handlersIgnoringInterruptsAreAnsweredAtTheirDeadlineAndGiveTheirSlotBack() throws Exception {
		// Waiting for admission as long as the deadline, so that every request runs to it
		try (SampleAppProcess app = app()
			.env("WEB_CONCURRENCY", "3")
			.env("GUNICORN_TIMEOUT", "2")
			.env("TWELVEFACTOR_MAX_QUEUE_WAIT", "2")
			.start()
			.awaitReady()) {
			long start = System.nanoTime();
			List<Timed> stuck = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				stuck.add(Timed.get(app, "/stuck?ms=60000", this.clients));
			}
			// A fresh request once the first are answered at their deadline: the slots they
			// held go to the requests waiting, then to it, while their threads stay stuck
			awaitAnswered(stuck, 3);
			Timed fresh = Timed.get(app, "/", this.clients);
			for (Timed request : stuck) {
				HttpResponse<String> response = request.response.get(10, TimeUnit.SECONDS);
				assertThat(response.statusCode()).isEqualTo(503);
				assertThat(request.millis()).isBetween(2000L - 50, 2000L + 100 + 200);
				assertThat(response.body()).contains("\"status\":503");
			}
			// Three were admitted and answered at their deadline; the three that waited
			// were admitted with milliseconds left and answered at their deadline too, or
			// reached it waiting and were told to retry
			long atDeadline = stuck.stream()
				.filter((request) -> request.response.join().body().contains("deadline"))
				.count();
			long toRetry = stuck.stream()
				.filter((request) -> request.response.join().headers().firstValue("Retry-After").isPresent())
				.count();
			assertThat(atDeadline).isGreaterThanOrEqualTo(3);
			assertThat(atDeadline + toRetry).isEqualTo(6);
			assertThat(fresh.response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			assertThat(fresh.millisSince(start)).isLessThanOrEqualTo(2000 + 1000);
			app.awaitOutput((output) -> output.contains("Request deadline of 2s exceeded: GET /stuck"),
					Duration.ofSeconds(10));
		}
	}

	@Test
	void overloadIsShedWith503AndRetryAfterBeforeAnyDeadlineWhileProbesAnswer() throws Exception {
		try (SampleAppProcess app = app()
			.env("WEB_CONCURRENCY", "2")
			.env("GUNICORN_TIMEOUT", "3")
			.start()
			.awaitReady()) {
			List<Timed> requests = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				requests.add(Timed.get(app, "/sleep?ms=1000", this.clients));
			}
			// Answered, not shed: a probe waiting for admission would get a 503 at 1.5 s
			long probeStart = System.nanoTime();
			HttpResponse<String> readiness = app.management("/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(200);
			assertThat(Duration.ofNanos(System.nanoTime() - probeStart)).isLessThan(Duration.ofSeconds(3));
			int served = 0;
			for (Timed request : requests) {
				HttpResponse<String> response = request.response.get(10, TimeUnit.SECONDS);
				assertThat(request.millis()).isLessThanOrEqualTo(3000 + 200);
				if (response.statusCode() == 200) {
					served++;
				}
				else {
					assertThat(response.statusCode()).isEqualTo(503);
					assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
					assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
				}
			}
			assertThat(served).isBetween(2, 6);
			JsonNode live = json.readTree(app.management("/actuator/twelvefactor").body()).get("live");
			assertThat(live.get("requestsShed").asLong()).isEqualTo(40 - served);
			assertThat(live.get("deadlinesHit").asLong()).isZero();
			JsonNode shed = json.readTree(app.management("/actuator/metrics/twelvefactor.requests.shed").body());
			assertThat(shed.at("/measurements/0/value").asDouble()).isEqualTo(40 - served);
		}
	}

	@Test
	void livenessGoesDownWhenMoreThreadsThanTheLimitAreStuck() throws Exception {
		try (SampleAppProcess app = app()
			.env("WEB_CONCURRENCY", "2")
			.env("GUNICORN_TIMEOUT", "1")
			.start()
			.awaitReady()) {
			assertThat(app.management("/actuator/health/liveness").statusCode()).isEqualTo(200);
			for (int round = 0; round < 2; round++) {
				List<Timed> stuck = new ArrayList<>();
				for (int i = 0; i < 2; i++) {
					stuck.add(Timed.get(app, "/stuck?ms=60000", this.clients));
				}
				for (Timed request : stuck) {
					assertThat(request.response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
				}
			}
			// Four stuck threads, more than the limit of two
			app.awaitOutput((output) -> output.contains("liveness is broken"), Duration.ofSeconds(10));
			HttpResponse<String> liveness = app.management("/actuator/health/liveness");
			assertThat(liveness.statusCode()).isEqualTo(503);
			assertThat(liveness.body()).contains("DOWN");
			JsonNode live = json.readTree(app.management("/actuator/twelvefactor").body()).get("live");
			assertThat(live.get("stuckThreads").asInt()).isEqualTo(4);
			assertThat(live.get("requestsInFlight").asInt()).isZero();
			// The replica still serves while it waits to be restarted
			assertThat(app.get("/").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void clientTricklingABodyTheHandlerDoesNotReadHoldsNoWorker() throws Exception {
		try (SampleAppProcess app = app().env("WEB_CONCURRENCY", "2").start().awaitReady()) {
			List<Socket> tricklers = new ArrayList<>();
			try {
				for (int i = 0; i < 4; i++) {
					Socket socket = new Socket("127.0.0.1", app.port());
					socket.setSoTimeout(15_000);
					OutputStream output = socket.getOutputStream();
					output.write(("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nx")
						.getBytes(StandardCharsets.US_ASCII));
					output.flush();
					tricklers.add(socket);
				}
				for (Socket socket : tricklers) {
					// Answered without its body (GET only), and the connection closed rather
					// than the rest of the body waited for, which would time the read out
					String answer = readUntilClosed(socket.getInputStream());
					assertThat(answer).startsWith("HTTP/1.1 405");
				}
				long start = System.nanoTime();
				assertThat(app.get("/").statusCode()).isEqualTo(200);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			}
			finally {
				for (Socket socket : tricklers) {
					socket.close();
				}
			}
		}
	}

	private static void awaitAnswered(List<Timed> requests, int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (requests.stream().filter((request) -> request.response.isDone()).count() < count) {
			assertThat(System.nanoTime()).as("%d answered in time", count).isLessThan(deadline);
			Thread.sleep(5);
		}
	}

	/**
	 * Return a builder of the sample app on this run's threads.
	 */
	private SampleAppProcess.Builder app() {
		SampleAppProcess.Builder builder = SampleAppProcess.builder();
		if (this.threads.equals("virtual")) {
			builder.java(ExternalTool.javaWithVirtualThreads()).env("SPRING_THREADS_VIRTUAL_ENABLED", "true");
		}
		return builder;
	}

	private static String readUntilClosed(InputStream input) throws IOException {
		return new String(input.readAllBytes(), StandardCharsets.US_ASCII);
	}

	/**
	 * A request sent on a client thread, timed from just before it was sent.
	 */
	private static final class Timed {

		private final long sentNanos;

		private final CompletableFuture<HttpResponse<String>> response;

		private volatile long answeredNanos;

		private Timed(SampleAppProcess app, String path, ExecutorService clients) {
			this.sentNanos = System.nanoTime();
			this.response = CompletableFuture.supplyAsync(() -> {
				HttpResponse<String> response = app.get(path);
				this.answeredNanos = System.nanoTime();
				return response;
			}, clients);
		}

		static Timed get(SampleAppProcess app, String path, ExecutorService clients) {
			return new Timed(app, path, clients);
		}

		long millis() {
			return millisSince(this.sentNanos);
		}

		long millisSince(long nanoTime) {
			this.response.join();
			return TimeUnit.NANOSECONDS.toMillis(this.answeredNanos - nanoTime);
		}

	}

}
