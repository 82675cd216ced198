package dev.twelvefactor.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample app's runtime behaviour, as a process: log streams, graceful drain,
 * HTTPS and check mode.
 *
 * @author twelvefactor
 */
class RuntimeBehaviourIntegrationTests {

	@Test
	void applicationLogGoesToStandardErrorLeavingStandardOutputToTheAccessLog() {
		try (SampleAppProcess app = SampleAppProcess.builder().start().awaitReady()) {
			assertThat(app.get("/").statusCode()).isEqualTo(200);
			assertThat(app.stderr()).contains("Workers: ").contains("Ready: listening on port " + app.port());
			assertThat(app.stdout()).doesNotContain("Workers: ")
				.doesNotContain("Started SampleApplication")
				.doesNotContain(":: Spring Boot ::");
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
			assertThat(stderr).contains("Stopping: draining").contains("Exit: drained");
			assertThat(stderr.indexOf("Exit: drained")).isGreaterThan(stderr.indexOf("Graceful shutdown complete"));
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
			HttpClient client = HttpClient.newBuilder().sslContext(trustingEverything()).build();
			HttpResponse<String> response = client.send(
					HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + app.port() + "/")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("Hello from twelvefactor");
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
			assertThat(app.output()).contains("SSL_KEYFILE=\"" + other[1] + "\": not the private key of the "
					+ "certificate in SSL_CERTFILE");
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

	private static SSLContext trustingEverything() throws Exception {
		TrustManager trustAll = new X509TrustManager() {

			@Override
			public void checkClientTrusted(X509Certificate[] chain, String authType) {
			}

			@Override
			public void checkServerTrusted(X509Certificate[] chain, String authType) {
			}

			@Override
			public X509Certificate[] getAcceptedIssuers() {
				return new X509Certificate[0];
			}

		};
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, new TrustManager[] { trustAll }, new SecureRandom());
		return context;
	}

}
