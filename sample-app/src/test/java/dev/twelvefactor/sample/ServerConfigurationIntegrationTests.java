package dev.twelvefactor.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged sample app, started as a process with environment variables, runs Tomcat as
 * the variables say and reports what it applied.
 *
 * @author twelvefactor
 */
class ServerConfigurationIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void servesOnPort8000OfAllInterfacesWithNoConfiguration() {
		assumeTrue(portIsFree(8000), "port 8000 is in use on this machine");
		try (SampleAppProcess app = SampleAppProcess.builder().ownPort().start().awaitReady()) {
			assertThat(app.output()).contains("Bind: 0.0.0.0:8000 (default)");
			assertThat(app.get("/").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void portVariableMovesThePort() {
		int port = SampleAppProcess.freePort();
		try (SampleAppProcess app = SampleAppProcess.builder().env("PORT", String.valueOf(port)).start().awaitReady()) {
			assertThat(app.output()).contains("Bind: 0.0.0.0:" + port + " (PORT)");
			HttpResponse<String> response = app.get("/");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("Hello from twelvefactor");
		}
	}

	@Test
	void webConcurrencySetsTheAdmissionLimit() {
		try (SampleAppProcess app = SampleAppProcess.builder().env("WEB_CONCURRENCY", "7").start().awaitReady()) {
			assertThat(app.output()).contains("Workers: 7 (WEB_CONCURRENCY)");
			assertThat(admissionLimit(app)).isEqualTo(7);
			// Tomcat's pool only executes: room for 7 admitted, 100 waiting, 7 abandoned
			assertThat(maxThreads(app)).isEqualTo(114);
		}
	}

	@ParameterizedTest
	@CsvSource({ "1, 3", "4, 9", "16, 33" })
	void workersDefaultToAnAdaptiveLimitFromTwiceTheCoresPlusOne(int cores, int workers) {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:ActiveProcessorCount=" + cores)
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("Workers: auto, " + workers + "..200 (WEB_CONCURRENCY unset)");
			assertThat(admissionLimit(app)).isEqualTo(workers);
		}
	}

	@Test
	void canonicalVariableBeatsTheConventionalOne() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("WEB_CONCURRENCY", "7")
			.env("TWELVEFACTOR_WORKERS", "4")
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("Workers: 4 (TWELVEFACTOR_WORKERS)");
			assertThat(admissionLimit(app)).isEqualTo(4);
		}
	}

	@Test
	void commandLineBeatsTheEnvironment() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("TWELVEFACTOR_WORKERS", "4")
			.arg("--twelvefactor.workers=6")
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("Workers: 6 (--twelvefactor.workers)");
			assertThat(admissionLimit(app)).isEqualTo(6);
		}
	}

	@Test
	void explicitSpringBootMaxThreadsAreLeftAlone() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.jvm("-XX:ActiveProcessorCount=2")
			.env("SERVER_TOMCAT_THREADS_MAX", "50")
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("Workers: auto, 5..200 (WEB_CONCURRENCY unset)");
			assertThat(admissionLimit(app)).isEqualTo(5);
			assertThat(maxThreads(app)).isEqualTo(50);
		}
	}

	@Test
	void workersAreTheAdmissionLimitWhateverTheSpringBootMaxThreads() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SERVER_TOMCAT_THREADS_MAX", "50")
			.env("WEB_CONCURRENCY", "7")
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("Workers: 7 (WEB_CONCURRENCY)").doesNotContain("overrides");
			assertThat(admissionLimit(app)).isEqualTo(7);
			assertThat(maxThreads(app)).isEqualTo(50);
		}
	}

	@Test
	void gunicornTimeoutSetsTheConnectionTimeout() throws IOException {
		try (SampleAppProcess app = SampleAppProcess.builder().env("GUNICORN_TIMEOUT", "3").start().awaitReady()) {
			assertThat(app.output()).contains("Timeout: 3s (GUNICORN_TIMEOUT)");
			try (Socket idle = new Socket()) {
				idle.connect(new InetSocketAddress("127.0.0.1", app.port()), 5000);
				idle.setSoTimeout(20_000);
				long start = System.nanoTime();
				int read = readUntilClosed(idle.getInputStream());
				Duration open = Duration.ofNanos(System.nanoTime() - start);
				assertThat(read).isEqualTo(-1);
				assertThat(open).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(15));
			}
		}
	}

	@Test
	void logLevelWarningSetsTheRootLevelToWarnAndKeepsTheReport() {
		try (SampleAppProcess app = SampleAppProcess.builder().env("LOG_LEVEL", "warning").start().awaitReady()) {
			JsonNode root = json.readTree(app.management("/actuator/loggers/ROOT").body());
			assertThat(root.get("configuredLevel").asString()).isEqualTo("WARN");
			assertThat(app.output()).contains("Log level: warn (LOG_LEVEL)")
				.contains("Workers: ")
				.doesNotContain("Started SampleApplication");
		}
	}

	@Test
	void badValuesInTwoVariablesProduceOneReportNamingBoth() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("WEB_CONCURRENCY", "lots")
			.env("GUNICORN_TIMEOUT", "-5")
			.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isNotZero();
			String output = app.output();
			assertThat(output).containsOnlyOnce("APPLICATION FAILED TO START")
				.contains("twelvefactor found 2 invalid settings")
				.contains("WEB_CONCURRENCY=\"lots\": not a whole number; accepted: auto, or a whole number from 1 to 10000")
				.contains("GUNICORN_TIMEOUT=\"-5\": negative")
				.contains("TWELVEFACTOR_ON_INVALID=default")
				.doesNotContain("\tat ")
				.doesNotContain("Exception");
		}
	}

	@Test
	void onInvalidDefaultStartsWithTheDefaultAndWarns() {
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("WEB_CONCURRENCY", "lots")
			.env("TWELVEFACTOR_ON_INVALID", "default")
			.jvm("-XX:ActiveProcessorCount=2")
			.start()
			.awaitReady()) {
			assertThat(app.output()).contains("WARN")
				.contains("Invalid WEB_CONCURRENCY=\"lots\": not a whole number")
				.contains("using auto, 5..200 instead")
				.contains("Workers: auto, 5..200 (default, in place of invalid WEB_CONCURRENCY)");
			assertThat(admissionLimit(app)).isEqualTo(5);
		}
	}

	@Test
	void mistypedVariableGetsADidYouMeanWarning() {
		try (SampleAppProcess app = SampleAppProcess.builder().env("WEB_CONCURENCY", "4").start().awaitReady()) {
			assertThat(app.output()).contains(
					"Environment variable \"WEB_CONCURENCY\" is not read by twelvefactor; did you mean WEB_CONCURRENCY?");
		}
	}

	private static int maxThreads(SampleAppProcess app) {
		return metric(app, "tomcat.threads.config.max");
	}

	private static int admissionLimit(SampleAppProcess app) {
		return metric(app, "twelvefactor.requests.limit");
	}

	private static int metric(SampleAppProcess app, String name) {
		HttpResponse<String> response = app.management("/actuator/metrics/" + name);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body()).get("measurements").get(0).get("value").asInt();
	}

	private static int readUntilClosed(InputStream input) throws IOException {
		try {
			return input.read();
		}
		catch (SocketTimeoutException ex) {
			return 0;
		}
	}

	private static boolean portIsFree(int port) {
		try (ServerSocket socket = new ServerSocket(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
