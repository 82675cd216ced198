package dev.twelvefactor.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The packaged sample app's runtime behaviour, as a process: log streams, graceful drain,
 * HTTPS and check mode.
 *
 * @author twelvefactor
 */
class RuntimeBehaviourIntegrationTests {

	/**
	 * Apache combined: host ident user [time] "request" status bytes "referer" "user agent".
	 */
	private static final String COMBINED = "\\S+ - - \\[[^\\]]+\\] \"[^\"]*\" \\d{3} (\\d+|-) \"[^\"]*\" \"[^\"]*\"";

	@Test
	void standardOutputCarriesOneCombinedAccessLinePerRequestAndNothingElse() {
		try (SampleAppProcess app = SampleAppProcess.builder().start().awaitReady()) {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/?q=1"))
				.header("User-Agent", "integration-test/1.0")
				.header("Referer", "http://example.com/")
				.build();
			assertThat(SampleAppProcess.send(request).statusCode()).isEqualTo(200);
			assertThat(app.get("/missing").statusCode()).isEqualTo(404);
			app.awaitOutput((output) -> app.stdout().lines().count() >= 2, Duration.ofSeconds(10));
			List<String> lines = app.stdout().lines().toList();
			assertThat(lines).hasSize(2);
			assertThat(lines.get(0)).matches(COMBINED)
				.contains("\"GET /?q=1 HTTP/1.1\" 200 ")
				.endsWith("\"http://example.com/\" \"integration-test/1.0\"");
			assertThat(lines.get(1)).matches(COMBINED).contains("\"GET /missing HTTP/1.1\" 404 ");
			assertThat(app.stderr()).contains("Workers: ").contains("Ready: listening on port " + app.port());
		}
	}

	@Test
	void jsonAccessLinesParseAndKeepAHostileUserAgentInsideItsField() {
		String hostile = "evil\" \\ \"} {\"status\": 200, \"x\": \"";
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_ACCESS_LOG_FORMAT", "json")
			.start()
			.awaitReady()) {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/?a=b"))
				.header("User-Agent", hostile)
				.build();
			assertThat(SampleAppProcess.send(request).statusCode()).isEqualTo(200);
			app.awaitOutput((output) -> app.stdout().lines().count() >= 1, Duration.ofSeconds(10));
			List<String> lines = app.stdout().lines().toList();
			assertThat(lines).hasSize(1);
			JsonNode line = JsonMapper.builder().build().readTree(lines.get(0));
			assertThat(line.get("user_agent").asString()).isEqualTo(hostile);
			assertThat(line.get("status").asInt()).isEqualTo(200);
			assertThat(line.get("method").asString()).isEqualTo("GET");
			assertThat(line.get("path").asString()).isEqualTo("/");
			assertThat(line.get("query").asString()).isEqualTo("a=b");
			assertThat(line.get("duration_ms").isNumber()).isTrue();
		}
	}

	@Test
	void errorLogStdoutPutsTheApplicationLogBackOnStandardOutput() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_ERROR_LOG", "stdout")
			.start()
			.awaitReady()) {
			assertThat(app.stdout()).contains("Workers: ").contains("Error log: stdout (TWELVEFACTOR_ERROR_LOG)");
		}
	}

	@Test
	void sigtermDrainsTheRequestInFlightThenLogsTheExit() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.builder().start().awaitReady()) {
			CompletableFuture<HttpResponse<String>> slow = CompletableFuture
				.supplyAsync(() -> app.get("/sleep?ms=3000"));
			app.awaitOutput((output) -> output.contains("Sleeping 3000 ms"), Duration.ofSeconds(30));
			app.process().destroy();
			HttpResponse<String> response = slow.get(30, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("{\"slept\":3000}");
			assertThat(app.awaitExit(Duration.ofSeconds(40))).isEqualTo(143);
			String stderr = app.stderr();
			assertThat(stderr).contains("Stopping: draining 1 request in flight")
				.contains("Exit: drained 1 request in flight");
			assertThat(stderr.indexOf("Exit: drained")).isGreaterThan(stderr.indexOf("Graceful shutdown complete"));
		}
	}

	@Test
	void requestPastTheDeadlineGetsA503ProblemWhileOthersAreServed() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.builder().env("GUNICORN_TIMEOUT", "2").start().awaitReady()) {
			// Warm up: the first request also initializes the DispatcherServlet
			assertThat(app.get("/sleep?ms=1").statusCode()).isEqualTo(200);
			AtomicLong sent = new AtomicLong();
			CompletableFuture<HttpResponse<String>> hung = CompletableFuture.supplyAsync(() -> {
				sent.set(System.nanoTime());
				return app.get("/sleep?ms=10000");
			});
			app.awaitOutput((output) -> output.contains("Sleeping 10000 ms"), Duration.ofSeconds(10));
			assertThat(app.get("/").statusCode()).isEqualTo(200);
			HttpResponse<String> response = hung.get(30, TimeUnit.SECONDS);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - sent.get());
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(response.body()).contains("\"status\":503").contains("\"instance\":\"/sleep\"");
			// At the 2 s deadline, not at the end of the 10 s sleep: room for a loaded machine
			assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(4));
			assertThat(app.get("/").statusCode()).isEqualTo(200);
			app.awaitOutput((output) -> output.contains("ERROR"), Duration.ofSeconds(5));
			assertThat(app.stderr()).contains("GET").contains("/sleep").doesNotContain("\tat ");
		}
	}

	@Test
	void servesHttpsFromPemFiles(@TempDir Path directory) throws Exception {
		Path[] files = TestCertificates.generate(directory, "server");
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", files[0].toString())
			.env("SSL_KEYFILE", files[1].toString())
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("SSL: on, certificate " + files[0] + ", key " + files[1]
					+ " (SSL_CERTFILE, SSL_KEYFILE)");
			HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trustingAnyServer()).build();
			HttpResponse<String> response = client.send(
					HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + app.port() + "/")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("Hello from twelvefactor");
		}
	}

	@Test
	void caCertificatesRequireAClientCertificate(@TempDir Path directory) throws Exception {
		Path[] server = TestCertificates.generate(directory, "server");
		Path[] client = TestCertificates.generate(directory, "client");
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", server[0].toString())
			.env("SSL_KEYFILE", server[1].toString())
			.env("SSL_CA_CERTS", client[0].toString())
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("client certificates required, CA " + client[0]);
			HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + app.port() + "/"))
				.timeout(Duration.ofSeconds(10))
				.build();
			HttpClient withCertificate = HttpClient.newBuilder()
				.sslContext(TestCertificates.clientContext(directory, "client"))
				.build();
			assertThat(withCertificate.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
			HttpClient withoutCertificate = HttpClient.newBuilder().sslContext(TestCertificates.trustingAnyServer()).build();
			assertThatExceptionOfType(IOException.class)
				.isThrownBy(() -> withoutCertificate.send(request, HttpResponse.BodyHandlers.ofString()));
		}
	}

	@Test
	void certificateWithoutKeyIsRefusedNamingTheKeyVariable(@TempDir Path directory) throws Exception {
		Path[] files = TestCertificates.generate(directory, "server");
		try (SampleAppProcess app = SampleAppProcess.builder().env("SSL_CERTFILE", files[0].toString()).start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isNotZero();
			assertThat(app.output()).contains("SSL_KEYFILE=(not set): required when SSL_CERTFILE is set")
				.doesNotContain("\tat ");
		}
	}

	@Test
	void keyOfAnotherCertificateIsRefused(@TempDir Path directory) throws Exception {
		Path[] server = TestCertificates.generate(directory, "server");
		Path[] other = TestCertificates.generate(directory, "other");
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", server[0].toString())
			.env("SSL_KEYFILE", other[1].toString())
			.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isNotZero();
			assertThat(app.output()).contains("SSL_KEYFILE=(value hidden): not the private key of the "
					+ "certificate in SSL_CERTFILE")
				.doesNotContain(other[1].toString());
		}
	}

	@Test
	void checkModeReportsAndExitsZeroWithoutOpeningThePort() throws IOException {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_CHECK", "true")
			.env("WEB_CONCURRENCY", "4")
			.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isZero();
			assertThat(app.output()).contains("Workers: 4 (WEB_CONCURRENCY)")
				.contains("Configuration check passed")
				.doesNotContain("Tomcat initialized")
				.doesNotContain("Ready: listening");
			try (ServerSocket port = new ServerSocket(app.port())) {
				assertThat(port.getLocalPort()).isEqualTo(app.port());
			}
		}
	}

	@Test
	void checkModeExitsOneOnAnInvalidValue() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_CHECK", "true")
			.env("LOG_LEVEL", "loud")
			.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isEqualTo(1);
			assertThat(app.output()).contains("LOG_LEVEL=\"loud\": not a log level")
				.doesNotContain("Tomcat initialized");
		}
	}

}
