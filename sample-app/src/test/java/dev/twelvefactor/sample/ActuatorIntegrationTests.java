package dev.twelvefactor.sample;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged sample app's actuator, on its own port, shows the effective configuration
 * with its sources, what Tomcat runs with, and the starter's and Tomcat's meters, and
 * keeps secrets masked even when values are shown. The sample app does not expose
 * {@code env} or {@code configprops} unless asked to.
 *
 * @author twelvefactor
 */
class ActuatorIntegrationTests {

	private static final String SECRET = "hunter2";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static SampleAppProcess app;

	@BeforeAll
	static void startApp() {
		app = SampleAppProcess.builder()
			.env("WEB_CONCURRENCY", "7")
			.env("DB_PASSWORD", SECRET)
			.env("SPRING_DATASOURCE_PASSWORD", SECRET)
			// A Spring Boot property bean with a secret in it, for configprops
			.env("SERVER_SSL_ENABLED", "false")
			.env("SERVER_SSL_KEY_PASSWORD", SECRET)
			.exposeEnvAndConfigprops()
			.env("MANAGEMENT_ENDPOINT_CONFIGPROPS_SHOWVALUES", "always")
			.env("MANAGEMENT_ENDPOINT_ENV_SHOWVALUES", "always")
			.start()
			.awaitReady();
	}

	@AfterAll
	static void stopApp() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void endpointShowsEachSettingWithItsSource() {
		JsonNode workers = read("/actuator/twelvefactor").at("/settings/twelvefactor.workers");
		assertThat(workers.get("value").asString()).isEqualTo("7");
		assertThat(workers.get("source").asString()).isEqualTo("WEB_CONCURRENCY");
		assertThat(workers.get("sourceKind").asString()).isEqualTo("ENVIRONMENT_VARIABLE");
	}

	@Test
	void endpointShowsWhatTheLiveConnectorRunsWith() {
		JsonNode endpoint = read("/actuator/twelvefactor");
		JsonNode tomcat = endpoint.get("tomcat");
		// Room for 7 admitted, 100 waiting for admission and 7 abandoned past their deadline
		assertThat(tomcat.get("maxThreads").asInt()).isEqualTo(114);
		assertThat(tomcat.get("port").asInt()).isEqualTo(app.port());
		assertThat(tomcat.get("address").asString()).isEqualTo("0.0.0.0");
		assertThat(tomcat.get("secure").asBoolean()).isFalse();
		assertThat(tomcat.get("connectionTimeoutMillis").asInt()).isEqualTo(60_000);
		assertThat(endpoint.at("/live/busyThreads").isNumber()).isTrue();
	}

	@Test
	void configpropsShowsEachValueWithItsOrigin() {
		JsonNode properties = bean(read("/actuator/configprops"), "twelvefactor");
		assertThat(properties.at("/properties/workers").asInt()).isEqualTo(7);
		assertThat(properties.at("/inputs/workers/value").asString()).isEqualTo("7");
		assertThat(properties.at("/inputs/workers/origin").asString())
			.isEqualTo("System Environment Property \"WEB_CONCURRENCY\"");
	}

	@Test
	void metricsShowTheConfiguredConcurrencyAndTimeout() {
		assertThat(value(read("/actuator/metrics/twelvefactor.workers"))).isEqualTo(7);
		JsonNode maxThreads = read("/actuator/metrics/twelvefactor.threads.max");
		assertThat(value(maxThreads)).isEqualTo(7);
		assertThat(maxThreads.get("baseUnit").asString()).isEqualTo("threads");
		JsonNode timeout = read("/actuator/metrics/twelvefactor.timeout");
		assertThat(value(timeout)).isEqualTo(60);
		assertThat(timeout.get("baseUnit").asString()).isEqualTo("seconds");
	}

	@Test
	void metricsShowTomcatsThreadPoolWithoutConfiguration() {
		assertThat(value(read("/actuator/metrics/tomcat.threads.config.max"))).isEqualTo(114);
		assertThat(value(read("/actuator/metrics/tomcat.threads.busy"))).isBetween(0.0, 114.0);
		assertThat(value(read("/actuator/metrics/tomcat.threads.current"))).isBetween(1.0, 114.0);
	}

	@Test
	void secretsStayMaskedWhenValuesAreShown() {
		assertThat(body("/actuator/twelvefactor")).doesNotContain(SECRET);
		JsonNode environment = read("/actuator/env");
		assertThat(environment.toString()).doesNotContain(SECRET);
		JsonNode variables = environment.get("propertySources")
			.valueStream()
			.filter((source) -> source.get("name").asString().equals("systemEnvironment"))
			.findFirst()
			.orElseThrow()
			.get("properties");
		assertThat(variables.at("/WEB_CONCURRENCY/value").asString()).isEqualTo("7");
		assertThat(variables.at("/DB_PASSWORD/value").asString()).isEqualTo("******");
		assertThat(variables.at("/SPRING_DATASOURCE_PASSWORD/value").asString()).isEqualTo("******");
		JsonNode configprops = read("/actuator/configprops");
		assertThat(configprops.toString()).doesNotContain(SECRET);
		JsonNode server = bean(configprops, "server");
		assertThat(server.at("/properties/ssl/keyPassword").asString()).isEqualTo("******");
		assertThat(server.at("/inputs/ssl/keyPassword/value").asString()).isEqualTo("******");
		assertThat(server.at("/properties/ssl/enabled").asBoolean(true)).isFalse();
		assertThat(app.output()).as("startup report and logs").doesNotContain(SECRET);
	}

	@Test
	void actuatorIsOnTheManagementPortOnly() {
		assertThat(app.get("/actuator/health").statusCode()).isEqualTo(404);
		assertThat(read("/actuator/health/liveness").get("status").asString()).isEqualTo("UP");
		assertThat(read("/actuator/health/readiness").get("status").asString()).isEqualTo("UP");
	}

	@Test
	void sampleAppExposesNeitherEnvNorConfigpropsByDefault() {
		try (SampleAppProcess plain = SampleAppProcess.builder().start().awaitReady()) {
			assertThat(plain.management("/actuator/env").statusCode()).isEqualTo(404);
			assertThat(plain.management("/actuator/configprops").statusCode()).isEqualTo(404);
			assertThat(plain.management("/actuator/twelvefactor").statusCode()).isEqualTo(200);
			assertThat(plain.management("/actuator/health/readiness").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void endpointShowsTlsAndTheKeyFilePathButNotTheKey(@TempDir Path directory) throws Exception {
		Path[] files = TestCertificates.generate(directory, "server");
		try (SampleAppProcess tls = SampleAppProcess.builder()
			.env("SSL_CERTFILE", files[0].toString())
			.env("SSL_KEYFILE", files[1].toString())
			.start()
			.awaitReady()) {
			// Without management.server.ssl.*, the management port inherits the server's TLS
			HttpClient client = HttpClient.newBuilder().sslContext(trusting(files[0])).build();
			HttpResponse<String> response = client.send(HttpRequest
				.newBuilder(URI.create("https://127.0.0.1:" + tls.managementPort() + "/actuator/twelvefactor"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode endpoint = json.readTree(response.body());
			assertThat(endpoint.at("/tomcat/secure").asBoolean()).isTrue();
			assertThat(endpoint.at("/tomcat/scheme").asString()).isEqualTo("https");
			assertThat(endpoint.at("/settings/twelvefactor.ssl.keyfile/value").asString())
				.isEqualTo(files[1].toString());
			assertThat(endpoint.at("/settings/twelvefactor.ssl.keyfile/source").asString()).isEqualTo("SSL_KEYFILE");
			String key = Files.readString(files[1]);
			assertThat(response.body()).doesNotContain("PRIVATE KEY")
				.doesNotContain(key.lines().skip(1).findFirst().orElseThrow());
		}
	}

	private static SSLContext trusting(Path certificateFile) throws Exception {
		KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
		trustStore.load(null, null);
		try (InputStream input = Files.newInputStream(certificateFile)) {
			trustStore.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(input));
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trustStore);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trustManagers.getTrustManagers(), null);
		return context;
	}

	private static JsonNode bean(JsonNode configprops, String prefix) {
		return configprops.get("contexts")
			.valueStream()
			.flatMap((context) -> context.get("beans").valueStream())
			.filter((bean) -> bean.get("prefix").asString().equals(prefix))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No bean with prefix " + prefix + " in " + configprops));
	}

	private static double value(JsonNode meter) {
		return meter.get("measurements").get(0).get("value").asDouble();
	}

	private static JsonNode read(String path) {
		return json.readTree(body(path));
	}

	private static String body(String path) {
		HttpResponse<String> response = app.management(path);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return response.body();
	}

}
