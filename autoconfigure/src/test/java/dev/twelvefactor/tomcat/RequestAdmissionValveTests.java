package dev.twelvefactor.tomcat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.twelvefactor.autoconfigure.TwelveFactorAutoConfiguration;
import dev.twelvefactor.tomcat.AdmissionControl.Admission;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequestAdmissionValve}, on a real embedded Tomcat.
 *
 * @author twelvefactor
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestAdmissionValveTests {

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private static final long TIMEOUT_MILLIS = 1000;

	private static final long ALLOWED_LATENESS_MILLIS = 100;

	private static final String PROBLEM = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
			+ "\"detail\":\"Request exceeded the 1s deadline\",\"instance\":\"%s\"}";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner(
			AnnotationConfigServletWebServerApplicationContext::new)
		.withConfiguration(AutoConfigurations.of(TwelveFactorAutoConfiguration.class,
				TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
				WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
				ErrorMvcAutoConfiguration.class))
		.withUserConfiguration(HandlersConfiguration.class)
		.withPropertyValues("server.port=0", "server.address=127.0.0.1", "twelvefactor.timeout=1");

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void sleepingHandlerIsAnsweredWithProblemAtTheDeadlineAndInterrupted(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			warmUp(context);
			Exchange exchange = Exchange.send(port(context), "/sleep?ms=10000");
			assertAnsweredAtTheDeadline(exchange, "/sleep");
			assertThat(context.getBean(Handlers.class).interrupted.await(5, TimeUnit.SECONDS)).isTrue();
			// The handler throws once interrupted: no second response follows, the
			// connection closes
			assertThat(exchange.readToEnd()).isEmpty();
			assertThat(monitor(context).deadlinesHit()).isEqualTo(1);
			assertThat(output).containsPattern(
					"ERROR .*Request deadline of 1s exceeded: GET /sleep on thread http-nio-\\S+ after 1\\d{3} ms;"
							+ " answered 503 Service Unavailable and interrupted the thread");
			// What the interrupted handler threw is not logged again by Tomcat
			assertThat(output).doesNotContain("Servlet.service()").doesNotContain("sleep interrupted");
		});
	}

	@Test
	void handlerIgnoringInterruptsIsAnsweredAtTheDeadlineAndItsLaterOutputDiscarded() {
		this.contextRunner.run((context) -> {
			warmUp(context);
			Exchange exchange = Exchange.send(port(context), "/busy?ms=1600");
			assertAnsweredAtTheDeadline(exchange, "/busy");
			assertThat(exchange.readToEnd()).isEmpty();
			assertThat(context.getBean(Handlers.class).interruptIgnored.getCount()).isZero();
			assertThat(monitor(context).deadlinesHit()).isEqualTo(1);
		});
	}

	@Test
	void threadIgnoringTheInterruptIsReportedStuckUntilItFinishes() {
		this.contextRunner.run((context) -> {
			AdmissionControl monitor = monitor(context);
			Handlers handlers = context.getBean(Handlers.class);
			Exchange exchange = Exchange.send(port(context), "/stuck");
			assertThat(exchange.status()).isEqualTo(503);
			// Answered at its deadline, it no longer holds a slot
			assertThat(monitor.inFlight()).isZero();
			awaitTrue(() -> monitor.stuckThreads() == 1);
			assertThat(monitor.stuckRequests()).singleElement().satisfies((stuck) -> {
				assertThat(stuck.method()).isEqualTo("GET");
				assertThat(stuck.path()).isEqualTo("/stuck");
				assertThat(stuck.thread()).startsWith("http-nio-");
				assertThat(stuck.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
			});
			handlers.release.countDown();
			awaitTrue(() -> monitor.stuckThreads() == 0);
			assertThat(monitor.stuckRequests()).isEmpty();
		});
	}

	@Test
	void otherRequestsAreAnsweredWhileOneIsHung() {
		this.contextRunner.run((context) -> {
			AdmissionControl monitor = monitor(context);
			CompletableFuture<Exchange> hung = CompletableFuture
				.supplyAsync(() -> Exchange.send(port(context), "/sleep?ms=10000"));
			awaitTrue(() -> monitor.inFlight() == 1);
			Exchange fast = Exchange.send(port(context), "/fast");
			assertThat(fast.status()).isEqualTo(200);
			assertThat(fast.body()).isEqualTo("fast, interrupted: false");
			assertThat(hung.get(5, TimeUnit.SECONDS).status()).isEqualTo(503);
			assertThat(monitor.deadlinesHit()).isEqualTo(1);
		});
	}

	@Test
	void committedResponseHasItsConnectionCut(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			warmUp(context);
			Exchange exchange = Exchange.sendHeadOnly(port(context), "/partial");
			assertThat(exchange.head()).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked");
			String rest = exchange.readToEnd();
			// Cut before the handler's 10 s sleep ends, without the last chunk
			assertThat(exchange.millisUntilEnd()).isLessThan(5000);
			assertThat(rest).contains("partial").doesNotContain("after").doesNotEndWith("0\r\n\r\n");
			assertThat(context.getBean(Handlers.class).interrupted.getCount()).isZero();
			assertThat(monitor(context).deadlinesHit()).isEqualTo(1);
			assertThat(output).containsPattern("ERROR .*Request deadline of 1s exceeded: GET /partial on thread "
					+ "http-nio-\\S+ after 1\\d{3} ms; interrupted the thread; the response was already committed");
		});
	}

	@Test
	void threadAnsweredLateIsNotLeftInterruptedForItsNextRequests() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=1").run((context) -> {
			assertThat(Exchange.send(port(context), "/sleep?ms=10000").status()).isEqualTo(503);
			assertThat(monitor(context).awaitIdle(Duration.ofSeconds(5))).isTrue();
			for (int i = 0; i < 5; i++) {
				Exchange fast = Exchange.send(port(context), "/fast");
				assertThat(fast.status()).isEqualTo(200);
				assertThat(fast.head()).doesNotContainIgnoringCase("Connection: close");
				assertThat(fast.body()).isEqualTo("fast, interrupted: false");
			}
			assertThat(monitor(context).deadlinesHit()).isEqualTo(1);
			assertThat(monitor(context).awaitIdle(Duration.ofSeconds(5))).isTrue();
		});
	}

	@Test
	void zeroTimeoutLeavesLongRequestsAloneAndStillTracksThem() {
		this.contextRunner.withPropertyValues("twelvefactor.timeout=0").run((context) -> {
			AdmissionControl monitor = monitor(context);
			CompletableFuture<Exchange> slow = CompletableFuture
				.supplyAsync(() -> Exchange.send(port(context), "/sleep?ms=2000"));
			awaitTrue(() -> monitor.inFlight() == 1);
			Exchange exchange = slow.get(10, TimeUnit.SECONDS);
			assertThat(exchange.status()).isEqualTo(200);
			assertThat(exchange.body()).isEqualTo("slept");
			assertThat(monitor.awaitIdle(Duration.ofSeconds(5))).isTrue();
			assertThat(monitor.deadlinesHit()).isZero();
		});
	}

	@Test
	void asyncRequestIsLeftToSpringMvcAndCountedInFlightUntilItCompletes() {
		this.contextRunner.withPropertyValues("spring.mvc.async.request-timeout=10s").run((context) -> {
			AdmissionControl monitor = monitor(context);
			CompletableFuture<Exchange> async = CompletableFuture
				.supplyAsync(() -> Exchange.send(port(context), "/async?ms=1500"));
			awaitTrue(() -> monitor.inFlight() == 1);
			Exchange exchange = async.get(10, TimeUnit.SECONDS);
			assertThat(exchange.status()).isEqualTo(200);
			assertThat(exchange.body()).isEqualTo("async");
			assertThat(monitor.awaitIdle(Duration.ofSeconds(5))).isTrue();
			assertThat(monitor.deadlinesHit()).isZero();
		});
	}

	@Test
	void atMostTheLimitOfHandlersRunAtOnceAndTheOthersWaitTheirTurn() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=2", "twelvefactor.timeout=0").run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			List<CompletableFuture<Exchange>> exchanges = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				exchanges.add(CompletableFuture.supplyAsync(() -> Exchange.send(port(context), "/count?ms=300"),
						this.threads));
			}
			for (CompletableFuture<Exchange> exchange : exchanges) {
				assertThat(exchange.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
			}
			assertThat(handlers.mostAtOnce.get()).isEqualTo(2);
			assertThat(monitor(context).queueWaits()).isGreaterThanOrEqualTo(1);
		});
	}

	@Test
	void requestPastTheBacklogIsAnswered503WithRetryAfterAtOnce() {
		this.contextRunner
			.withPropertyValues("twelvefactor.workers=1", "twelvefactor.backlog=1", "twelvefactor.timeout=5")
			.run((context) -> {
				AdmissionControl admission = monitor(context);
				CompletableFuture<Exchange> running = CompletableFuture
					.supplyAsync(() -> Exchange.send(port(context), "/sleep?ms=800"), this.threads);
				awaitTrue(() -> admission.inFlight() == 1);
				CompletableFuture<Exchange> waiting = CompletableFuture
					.supplyAsync(() -> Exchange.send(port(context), "/fast"), this.threads);
				awaitTrue(() -> admission.waiting() == 1);
				Exchange shed = Exchange.send(port(context), "/fast");
				assertThat(shed.status()).isEqualTo(503);
				assertThat(shed.millisSinceSent()).isLessThan(500);
				assertThat(shed.header("Retry-After")).isEqualTo("1");
				assertThat(shed.header("Connection")).isEqualTo("close");
				assertThat(shed.header("Content-Type")).isEqualTo("application/problem+json");
				assertThat(shed.body()).contains("\"status\":503").contains("too many requests waiting");
				assertThat(running.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
				assertThat(waiting.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
				assertThat(admission.shed(Admission.BACKLOG_FULL)).isOne();
			});
	}

	@Test
	void requestThatWaitsAsLongAsItMayIsAnswered503AtTheWaitBound() {
		this.contextRunner
			.withPropertyValues("twelvefactor.workers=1", "twelvefactor.max-queue-wait=500ms", "twelvefactor.timeout=5")
			.run((context) -> {
				AdmissionControl admission = monitor(context);
				CompletableFuture<Exchange> running = CompletableFuture
					.supplyAsync(() -> Exchange.send(port(context), "/sleep?ms=2000"), this.threads);
				awaitTrue(() -> admission.inFlight() == 1);
				Exchange shed = Exchange.send(port(context), "/fast");
				assertThat(shed.status()).isEqualTo(503);
				assertThat(shed.millisSinceSent()).isBetween(450L, 1500L);
				assertThat(shed.header("Retry-After")).isEqualTo("1");
				assertThat(shed.body()).contains("waited too long for admission");
				assertThat(admission.shed(Admission.WAITED_TOO_LONG)).isOne();
				assertThat(running.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			});
	}

	@Test
	void responsesCloseTheirConnectionWhileTheReadinessRefusesTraffic() {
		this.contextRunner.run((context) -> {
			RequestDrain drain = context.getBean(RequestDrain.class);
			Exchange before = Exchange.send(port(context), "/fast");
			assertThat(before.status()).isEqualTo(200);
			assertThat(before.header("Connection")).isNull();
			AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
			Exchange during = Exchange.send(port(context), "/fast");
			assertThat(during.status()).isEqualTo(200);
			assertThat(during.header("Connection")).isEqualTo("close");
			assertThat(during.readToEnd()).isEmpty();
			assertThat(drain.closedConnections()).isOne();
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(Exchange.send(port(context), "/fast").header("Connection")).isNull();
			assertThat(drain.closedConnections()).isOne();
		});
	}

	@Test
	void cutOffAnswersTheRequestsRunningAndWaitingWith503AndClosesTheirConnections(CapturedOutput output) {
		// Without a deadline, so that only the cut-off answers the running request
		this.contextRunner.withPropertyValues("twelvefactor.workers=1", "twelvefactor.timeout=0").run((context) -> {
			AdmissionControl admission = monitor(context);
			RequestDrain drain = context.getBean(RequestDrain.class);
			CompletableFuture<Exchange> running = CompletableFuture
				.supplyAsync(() -> Exchange.send(port(context), "/sleep?ms=20000"), this.threads);
			awaitTrue(() -> admission.inFlight() == 1);
			List<CompletableFuture<Exchange>> waiting = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				waiting.add(CompletableFuture.supplyAsync(() -> Exchange.send(port(context), "/fast"), this.threads));
			}
			awaitTrue(() -> admission.waiting() == 2);
			long cutOff = System.nanoTime();
			assertThat(drain.cutOff(Duration.ofSeconds(5))).isEqualTo(3);
			assertThat(Duration.ofNanos(System.nanoTime() - cutOff)).isLessThan(Duration.ofSeconds(2));
			List<Exchange> answered = new ArrayList<>();
			answered.add(running.get(10, TimeUnit.SECONDS));
			for (CompletableFuture<Exchange> exchange : waiting) {
				answered.add(exchange.get(10, TimeUnit.SECONDS));
			}
			// And so is a request that arrives afterwards
			answered.add(Exchange.send(port(context), "/fast"));
			for (Exchange exchange : answered) {
				assertThat(exchange.status()).isEqualTo(503);
				assertThat(exchange.header("Connection")).isEqualTo("close");
				assertThat(exchange.header("Retry-After")).isEqualTo("1");
				assertThat(exchange.body()).contains("Server shutting down: the graceful shutdown is over");
				assertThat(exchange.readToEnd()).isEmpty();
			}
			assertThat(drain.cutOffRequests()).isEqualTo(4);
			assertThat(context.getBean(Handlers.class).interrupted.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(admission.awaitIdle(Duration.ofSeconds(5))).isTrue();
			assertThat(admission.deadlinesHit()).isZero();
			assertThat(output).contains("WARN").contains("Graceful shutdown over with the request still running: "
					+ "GET /sleep on thread http-nio-");
		});
	}

	@Test
	void stuckHandlerGivesItsSlotBackAtItsDeadline() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=1").run((context) -> {
			AdmissionControl admission = monitor(context);
			Exchange stuck = Exchange.send(port(context), "/stuck");
			assertThat(stuck.status()).isEqualTo(503);
			Exchange fresh = Exchange.send(port(context), "/fast");
			assertThat(fresh.status()).isEqualTo(200);
			assertThat(fresh.millisSinceSent()).isLessThan(TIMEOUT_MILLIS);
			awaitTrue(() -> admission.stuckThreads() == 1);
			context.getBean(Handlers.class).release.countDown();
			awaitTrue(() -> admission.stuckThreads() == 0);
		});
	}

	@Test
	void actuatorRequestsAreNeitherLimitedNorShed() {
		this.contextRunner
			.withPropertyValues("twelvefactor.workers=1", "twelvefactor.backlog=1", "twelvefactor.timeout=5")
			.run((context) -> {
				AdmissionControl admission = monitor(context);
				CompletableFuture<Exchange> running = CompletableFuture
					.supplyAsync(() -> Exchange.send(port(context), "/sleep?ms=800"), this.threads);
				awaitTrue(() -> admission.inFlight() == 1);
				CompletableFuture<Exchange> waiting = CompletableFuture
					.supplyAsync(() -> Exchange.send(port(context), "/fast"), this.threads);
				awaitTrue(() -> admission.waiting() == 1);
				Exchange probe = Exchange.send(port(context), "/actuator/ping");
				assertThat(probe.status()).isEqualTo(200);
				assertThat(probe.millisSinceSent()).isLessThan(500);
				assertThat(running.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
				assertThat(waiting.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
				assertThat(admission.shed(Admission.BACKLOG_FULL)).isZero();
			});
	}

	private static void assertAnsweredAtTheDeadline(Exchange exchange, String path) {
		assertThat(exchange.status()).isEqualTo(503);
		assertThat(exchange.millisSinceSent()).isBetween(TIMEOUT_MILLIS, TIMEOUT_MILLIS + ALLOWED_LATENESS_MILLIS);
		assertThat(exchange.header("Connection")).isEqualTo("close");
		assertThat(exchange.header("Content-Type")).isEqualTo("application/problem+json");
		String body = PROBLEM.formatted(path);
		assertThat(exchange.header("Content-Length")).isEqualTo(String.valueOf(body.length()));
		assertThat(exchange.body()).isEqualTo(body);
	}

	private static void warmUp(AssertableWebApplicationContext context) {
		assertThat(Exchange.send(port(context), "/fast").status()).isEqualTo(200);
	}

	private static int port(AssertableWebApplicationContext context) {
		return ((ServletWebServerApplicationContext) context.getSourceApplicationContext()).getWebServer().getPort();
	}

	private static AdmissionControl monitor(AssertableWebApplicationContext context) {
		return context.getBean(AdmissionControl.class);
	}

	private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

	/**
	 * One HTTP/1.1 exchange over a plain socket, timed from the moment the request was
	 * sent until the whole response arrived.
	 */
	private static final class Exchange {

		private final Socket socket;

		private final InputStream input;

		private final long sentNanos;

		private final String head;

		private final String body;

		private final long receivedNanos;

		private long endNanos;

		private Exchange(Socket socket, long sentNanos, boolean readBody) throws IOException {
			this.socket = socket;
			this.input = socket.getInputStream();
			this.sentNanos = sentNanos;
			this.head = readHead();
			String length = header("Content-Length");
			this.body = (readBody && length != null) ? new String(this.input.readNBytes(Integer.parseInt(length)),
					StandardCharsets.UTF_8) : "";
			this.receivedNanos = System.nanoTime();
		}

		static Exchange send(int port, String path) {
			return send(port, path, true);
		}

		static Exchange sendHeadOnly(int port, String path) {
			return send(port, path, false);
		}

		private static Exchange send(int port, String path, boolean readBody) {
			try {
				Socket socket = new Socket("127.0.0.1", port);
				socket.setSoTimeout(10_000);
				OutputStream output = socket.getOutputStream();
				byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII);
				long sent = System.nanoTime();
				output.write(request);
				output.flush();
				return new Exchange(socket, sent, readBody);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private String readHead() throws IOException {
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
				int b = this.input.read();
				if (b == -1) {
					throw new IOException("Connection closed before the end of the response head: " + head);
				}
				head.write(b);
			}
			return head.toString(StandardCharsets.US_ASCII);
		}

		String head() {
			return this.head;
		}

		int status() {
			return Integer.parseInt(this.head.substring(9, 12));
		}

		String header(String name) {
			for (String line : this.head.split("\r\n")) {
				if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
					return line.substring(name.length() + 1).trim();
				}
			}
			return null;
		}

		String body() {
			return this.body;
		}

		long millisSinceSent() {
			return TimeUnit.NANOSECONDS.toMillis(this.receivedNanos - this.sentNanos);
		}

		/**
		 * Read what follows until the server closes the connection.
		 * @return what was read
		 */
		String readToEnd() throws IOException {
			try (Socket socket = this.socket) {
				return new String(this.input.readAllBytes(), StandardCharsets.UTF_8);
			}
			finally {
				this.endNanos = System.nanoTime();
			}
		}

		long millisUntilEnd() {
			return TimeUnit.NANOSECONDS.toMillis(this.endNanos - this.sentNanos);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HandlersConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	@RestController
	static class Handlers {

		final CountDownLatch interrupted = new CountDownLatch(1);

		final CountDownLatch interruptIgnored = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger atOnce = new AtomicInteger();

		final AtomicInteger mostAtOnce = new AtomicInteger();

		@GetMapping("/count")
		String count(@RequestParam long ms) throws InterruptedException {
			this.mostAtOnce.accumulateAndGet(this.atOnce.incrementAndGet(), Math::max);
			try {
				Thread.sleep(ms);
				return "counted";
			}
			finally {
				this.atOnce.decrementAndGet();
			}
		}

		@GetMapping("/actuator/ping")
		String ping() {
			return "pong";
		}

		@GetMapping("/fast")
		String fast() {
			return "fast, interrupted: " + Thread.currentThread().isInterrupted();
		}

		@GetMapping("/sleep")
		String sleep(@RequestParam long ms) {
			try {
				Thread.sleep(ms);
				return "slept";
			}
			catch (InterruptedException ex) {
				this.interrupted.countDown();
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted", ex);
			}
		}

		@GetMapping("/busy")
		String busy(@RequestParam long ms) {
			long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
			for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
				LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
				if (Thread.interrupted()) {
					this.interruptIgnored.countDown();
				}
			}
			return "busy";
		}

		@GetMapping("/stuck")
		String stuck() {
			while (this.release.getCount() > 0) {
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					// ignored, as non-interruptible I/O would
				}
			}
			return "released";
		}

		@GetMapping("/partial")
		void partial(HttpServletResponse response) throws IOException {
			response.getOutputStream().write("partial".getBytes(StandardCharsets.UTF_8));
			response.flushBuffer();
			try {
				Thread.sleep(10_000);
			}
			catch (InterruptedException ex) {
				this.interrupted.countDown();
				response.getOutputStream().write("after".getBytes(StandardCharsets.UTF_8));
				response.flushBuffer();
			}
		}

		@GetMapping("/async")
		CompletableFuture<String> async(@RequestParam long ms) {
			return CompletableFuture.supplyAsync(() -> "async",
					CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
		}

	}

}
