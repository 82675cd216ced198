package dev.twelvefactor.sample;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * HTTPS from {@code SSL_CERTFILE} and {@code SSL_KEYFILE} mounted as Kubernetes mounts a
 * secret: the files are links through {@code ..data}, a link to a directory of the
 * secret's current version, which the kubelet swaps by renaming a new link over it. Three
 * successive swaps are each served without a restart, while handshakes running all along
 * never fail, and the startup report, the endpoint and Spring Boot's
 * {@code ssl.chain.expiry} gauge follow the certificate; one that expires within the
 * window of {@code ssl.expiry-warning} gets a warning at start.
 *
 * @author twelvefactor
 */
class CertificateRotationIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Duration RELOAD = Duration.ofSeconds(90);

	@Test
	void threeKubernetesSecretSwapsAreServedWithoutAFailedHandshake(@TempDir Path directory) throws Exception {
		List<X509Certificate> certificates = new ArrayList<>();
		List<Path[]> files = new ArrayList<>();
		for (int version = 1; version <= 4; version++) {
			Path[] pair = TestCertificates.generate(directory, "v" + version, 10 * version);
			files.add(pair);
			certificates.add(read(pair[0]));
		}
		Path secret = Files.createDirectory(directory.resolve("secret"));
		Path current = version(secret, 1, files.get(0));
		Files.createSymbolicLink(secret.resolve("..data"), current.getFileName());
		Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data", "tls.crt"));
		Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data", "tls.key"));
		try (SampleAppProcess app = SampleAppProcess.builder()
			.env("SSL_CERTFILE", secret.resolve("tls.crt").toString())
			.env("SSL_KEYFILE", secret.resolve("tls.key").toString())
			.start()
			.awaitReady();
				Handshakes handshakes = new Handshakes(app.port())) {
			assertThat(app.output()).contains("; expires "
					+ certificates.get(0).getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS) + " (in ",
					"; reloaded when the files change");
			// Valid for 10 days, within the default window of 30: a warning at start
			X509Certificate first = certificates.get(0);
			assertThat(app.stderr().lines().filter((line) -> line.contains(" WARN ")))
				.anySatisfy((line) -> assertThat(line).contains(
						"SSL_CERTFILE: the certificate \"CN=localhost\" expires in ",
						", on " + first.getNotAfter().toInstant() + "; renew it",
						"TWELVEFACTOR_SSL_EXPIRY_WARNING"));
			assertServed(app, handshakes, certificates.get(0), 0);
			for (int version = 2; version <= 4; version++) {
				Path next = version(secret, version, files.get(version - 1));
				swap(secret, next);
				deleteRecursively(current);
				current = next;
				assertServed(app, handshakes, certificates.get(version - 1), version - 1);
			}
			handshakes.stop();
			assertThat(handshakes.failures).as("handshakes that failed").isEmpty();
			assertThat(handshakes.serials).containsExactlyElementsOf(
					certificates.stream().map(X509Certificate::getSerialNumber).toList());
			assertThat(handshakes.count.get()).as("handshakes during the swaps").isGreaterThan(20);
			assertThat(app.output().lines().filter((line) -> line.contains("SSL: certificate reloaded, serial")))
				.hasSizeGreaterThanOrEqualTo(3);
		}
	}

	/**
	 * Write a version of the secret to a directory of its own, as the kubelet names them.
	 */
	private static Path version(Path secret, int version, Path[] pair) throws Exception {
		Path directory = Files.createDirectory(secret.resolve("..2026_01_0" + version + "_12_00_00.12345678" + version));
		Files.copy(pair[0], directory.resolve("tls.crt"));
		Files.copy(pair[1], directory.resolve("tls.key"));
		return directory;
	}

	/**
	 * Point {@code ..data} to the new version at once, as the kubelet does: a new link
	 * renamed over the old one.
	 */
	private static void swap(Path secret, Path version) throws Exception {
		Path link = Files.createSymbolicLink(secret.resolve("..data_tmp"), version.getFileName());
		Files.move(link, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
	}

	private static void deleteRecursively(Path directory) throws Exception {
		try (var files = Files.list(directory)) {
			for (Path file : files.toList()) {
				Files.delete(file);
			}
		}
		Files.delete(directory);
	}

	private static void assertServed(SampleAppProcess app, Handshakes handshakes, X509Certificate certificate,
			int reloads) throws Exception {
		String serial = certificate.getSerialNumber().toString(16);
		await(() -> certificate.getSerialNumber().equals(handshakes.latest), "a handshake sees serial " + serial);
		HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trustingAnyServer()).build();
		long secondsLeft = Duration.between(Instant.now(), certificate.getNotAfter().toInstant()).toSeconds();
		JsonNode ssl = json.readTree(get(client, app, "/actuator/twelvefactor")).get("ssl");
		assertThat(ssl.get("serialNumber").asString()).isEqualTo(serial);
		assertThat(ssl.get("notAfter").asString()).isEqualTo(certificate.getNotAfter().toInstant().toString());
		assertThat(ssl.get("expiresInSeconds").asLong()).isBetween(secondsLeft - 300, secondsLeft);
		assertThat(ssl.get("reloads").asInt()).isGreaterThanOrEqualTo(reloads);
		// Spring Boot's gauge of the bundle, tagged with the certificate it measures
		JsonNode gauge = json.readTree(get(client, app, "/actuator/metrics/ssl.chain.expiry?tag=bundle:twelvefactor"));
		assertThat(gauge.get("availableTags").valueStream()
			.filter((tag) -> tag.get("tag").asString().equals("certificate"))
			.flatMap((tag) -> tag.get("values").valueStream())
			.map(JsonNode::asString)).containsExactly(serial);
		assertThat(gauge.at("/measurements/0/value").asDouble()).isGreaterThan((reloads + 1) * 10 * 86400 - 86400);
	}

	private static String get(HttpClient client, SampleAppProcess app, String path) throws Exception {
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + app.managementPort() + path)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return response.body();
	}

	private static void await(BooleanSupplier condition, String description) throws InterruptedException {
		long deadline = System.nanoTime() + RELOAD.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return;
			}
			Thread.sleep(100);
		}
		fail("Not within " + RELOAD + ": " + description);
	}

	private static X509Certificate read(Path file) throws Exception {
		try (InputStream input = Files.newInputStream(file)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(input);
		}
	}

	/**
	 * TLS clients connecting one after the other, each with a context of its own so that
	 * no session is resumed, each sending a request: the serial numbers of the
	 * certificates seen, in order, and every failure.
	 */
	private static final class Handshakes implements AutoCloseable {

		private final int port;

		private final Thread thread;

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicInteger count = new AtomicInteger();

		private final List<BigInteger> serials = new CopyOnWriteArrayList<>();

		private final List<String> failures = new CopyOnWriteArrayList<>();

		private final ConcurrentHashMap<BigInteger, Integer> seen = new ConcurrentHashMap<>();

		private volatile BigInteger latest;

		Handshakes(int port) {
			this.port = port;
			this.thread = new Thread(this::run, "handshakes");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void run() {
			while (this.running.get()) {
				try (SSLSocket socket = (SSLSocket) TestCertificates.trustingAnyServer().getSocketFactory().createSocket()) {
					socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
					socket.setSoTimeout(10_000);
					socket.startHandshake();
					BigInteger serial = ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
					OutputStream output = socket.getOutputStream();
					output.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
						.getBytes(StandardCharsets.US_ASCII));
					output.flush();
					String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
					if (!response.startsWith("HTTP/1.1 200")) {
						this.failures.add("Response: " + response);
					}
					if (this.seen.putIfAbsent(serial, 1) == null) {
						this.serials.add(serial);
					}
					this.latest = serial;
					this.count.incrementAndGet();
				}
				catch (Exception ex) {
					if (this.running.get()) {
						this.failures.add(ex.toString());
					}
				}
			}
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.thread.join(30_000);
		}

		@Override
		public void close() throws InterruptedException {
			stop();
		}

	}

}
