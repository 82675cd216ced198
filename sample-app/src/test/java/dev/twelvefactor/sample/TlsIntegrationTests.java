package dev.twelvefactor.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * TLS in the packaged app: certificates checked at start, TLS settings failing closed even
 * with {@code on-invalid=default}, and the production image's health check over TLS.
 *
 * @author twelvefactor
 */
class TlsIntegrationTests {

	@Test
	void expiredCertificateStopsTheStartEvenWithOnInvalidDefault(@TempDir Path directory) throws Exception {
		Path[] pair = TestCertificates.generate(directory, "server", 2048, "-10d", 5);
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", pair[0].toString())
			.env("SSL_KEYFILE", pair[1].toString())
			.env("TWELVEFACTOR_ON_INVALID", "default")
			.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isEqualTo(1);
			assertThat(app.output()).containsPattern("SSL_CERTFILE=\"" + Pattern.quote(pair[0].toString())
					+ "\": the certificate \"CN=localhost\" expired on \\S+Z")
				.contains("TLS settings are never replaced by their default")
				.contains("or set TWELVEFACTOR_SSL_ALLOW_INVALID_DATES=true to start with it anyway")
				.doesNotContain("Tomcat initialized");
			assertPortIsFree(app.port());
		}
	}

	@Test
	void certificateNotValidYetStopsTheStart(@TempDir Path directory) throws Exception {
		Path[] pair = TestCertificates.generate(directory, "server", 2048, "+2d", 90);
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", pair[0].toString())
			.env("SSL_KEYFILE", pair[1].toString())
			.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isEqualTo(1);
			assertThat(app.output()).containsPattern("the certificate \"CN=localhost\" is not valid yet: "
					+ "not before \\S+Z");
		}
	}

	@Test
	void expiredCertificateStartsWithAWarningWhenInvalidDatesAreAllowed(@TempDir Path directory) throws Exception {
		Path[] pair = TestCertificates.generate(directory, "server", 2048, "-10d", 5);
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", pair[0].toString())
			.env("SSL_KEYFILE", pair[1].toString())
			.env("TWELVEFACTOR_SSL_ALLOW_INVALID_DATES", "true")
			.start()
			.awaitReady()) {
			assertThat(app.stderr()).containsPattern("WARN .* SSL_CERTFILE: the certificate \"CN=localhost\" expired "
					+ "on \\S+Z; starting with it anyway, as TWELVEFACTOR_SSL_ALLOW_INVALID_DATES=true says");
		}
	}

	@Test
	void weakOrSoonExpiringCertificateStartsWithAWarning(@TempDir Path directory) throws Exception {
		Path[] pair = TestCertificates.generate(directory, "server", 1024, null, 10);
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", pair[0].toString())
			.env("SSL_KEYFILE", pair[1].toString())
			.start()
			.awaitReady()) {
			assertThat(app.stderr())
				.containsPattern("WARN .* SSL_CERTFILE: the certificate \"CN=localhost\" expires in (9|10) days, on "
						+ "\\S+Z; renew it \\(warned 30d ahead, TWELVEFACTOR_SSL_EXPIRY_WARNING\\)")
				.containsPattern("WARN .* SSL_CERTFILE: the certificate \"CN=localhost\" has an RSA key of 1024 bits");
		}
	}

	@Test
	void certificateForAnotherHostStartsWithAWarning(@TempDir Path directory) throws Exception {
		Path[] other = TestCertificates.generate(directory, "other", 2048, null, 90, "dns:wrong.example");
		int port = SampleAppProcess.freePort();
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", other[0].toString())
			.env("SSL_KEYFILE", other[1].toString())
			.env("TWELVEFACTOR_BIND", "127.0.0.1:" + port)
			.port(port)
			.start()
			.awaitReady()) {
			assertThat(app.stderr()).containsPattern("WARN .* SSL_CERTFILE: the certificate \"CN=localhost\" does not "
					+ "name 127\\.0\\.0\\.1, where TWELVEFACTOR_BIND listens \\(it names DNS:wrong\\.example\\): "
					+ "clients that connect to 127\\.0\\.0\\.1 refuse it");
		}
		Path[] unnamed = TestCertificates.generate(directory, "unnamed", 2048, null, 90, null);
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", unnamed[0].toString())
			.env("SSL_KEYFILE", unnamed[1].toString())
			.start()
			.awaitReady()) {
			assertThat(app.stderr()).containsPattern("WARN .* SSL_CERTFILE: the certificate \"CN=localhost\" names no "
					+ "host in its subject alternative names");
		}
	}

	@Test
	void missingKeyStopsTheStartEvenWithOnInvalidDefault(@TempDir Path directory) throws Exception {
		Path[] pair = TestCertificates.generate(directory, "server");
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", pair[0].toString())
			.env("TWELVEFACTOR_ON_INVALID", "default")
			.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isEqualTo(1);
			assertThat(app.output()).contains("SSL_KEYFILE=(not set): required when SSL_CERTFILE is set")
				.contains("TLS settings are never replaced by their default")
				.doesNotContain("Or set TWELVEFACTOR_ON_INVALID=default")
				.doesNotContain("Tomcat initialized")
				.doesNotContain("\tat ");
			assertPortIsFree(app.port());
		}
	}

	@Test
	void healthCheckPassesOverTlsWithClientCertificatesRequired(@TempDir Path directory) throws Exception {
		Path openssl = ExternalTool.require("openssl", "apt-get install openssl");
		Path[] server = TestCertificates.generate(directory, "server");
		Path[] client = TestCertificates.generate(directory, "client");
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", server[0].toString())
			.env("SSL_KEYFILE", server[1].toString())
			.env("SSL_CA_CERTS", client[0].toString())
			.start()
			.awaitReady()) {
			Map<String, String> environment = Map.of("PATH", openssl.getParent() + ":/usr/bin:/bin",
					"MANAGEMENT_SERVER_PORT", String.valueOf(app.managementPort()), "SSL_CERTFILE",
					server[0].toString());
			assertThat(healthCheck(environment)).isZero();
			assertThat(healthCheck(environment, "/actuator/health/liveness")).isZero();
			// The management port asks for no client certificate; the application's port does
			HttpClient withoutCertificate = HttpClient.newBuilder()
				.sslContext(TestCertificates.trustingAnyServer())
				.connectTimeout(Duration.ofSeconds(10))
				.build();
			HttpResponse<String> readiness = withoutCertificate.send(HttpRequest
				.newBuilder(URI.create("https://127.0.0.1:" + app.managementPort() + "/actuator/health/readiness"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(readiness.statusCode()).isEqualTo(200);
			assertThatIOException().isThrownBy(() -> withoutCertificate.send(
					HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + app.port() + "/")).build(),
					HttpResponse.BodyHandlers.ofString()));
			// A certificate the server does not serve is not trusted
			Map<String, String> other = Map.of("PATH", openssl.getParent() + ":/usr/bin:/bin", "MANAGEMENT_SERVER_PORT",
					String.valueOf(app.managementPort()), "SSL_CERTFILE", client[0].toString());
			assertThat(healthCheck(other)).isNotZero();
		}
	}

	@Test
	void healthCheckPassesOverPlainHttp() throws Exception {
		try (SampleAppProcess app = SampleAppProcess.builder().start().awaitReady()) {
			assertThat(healthCheck(Map.of("PATH", "/usr/bin:/bin", "MANAGEMENT_SERVER_PORT",
					String.valueOf(app.managementPort())))).isZero();
			assertThat(healthCheck(Map.of("PATH", "/usr/bin:/bin", "PORT", String.valueOf(app.port())),
					"/actuator/nothing-here")).isNotZero();
		}
	}

	/**
	 * Run the production image's health check, {@code docker/production/healthcheck}, with
	 * the given environment only, and return its exit status.
	 */
	private static int healthCheck(Map<String, String> environment, String... arguments) throws Exception {
		List<String> command = new ArrayList<>(List.of("bash", Path.of("../docker/production/healthcheck").toString()));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().clear();
		builder.environment().putAll(environment);
		Process process = builder.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(output).as("the health check prints nothing").isEmpty();
		return process.exitValue();
	}

	private static void assertPortIsFree(int port) throws IOException {
		try (ServerSocket socket = new ServerSocket(port)) {
			assertThat(socket.getLocalPort()).isEqualTo(port);
		}
	}

}
