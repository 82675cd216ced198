package dev.twelvefactor.sample;

import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No value from a secret-bearing variable or file appears in the packaged app's messages or
 * actuator endpoints, in any form.
 *
 * @author twelvefactor
 */
class SecretsIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Variables as real deployments name and fill them, each with the part that must never
	 * be shown. The attacker's review found the first ten in clear in {@code /actuator/env}.
	 */
	private static final Map<String, String[]> VARIABLES = variables();

	private static Map<String, String[]> variables() {
		Map<String, String[]> variables = new LinkedHashMap<>();
		secret(variables, "REDIS_PASSWD", "S3redispasswd");
		secret(variables, "DB_PASS", "S3dbpass");
		secret(variables, "PASSPHRASE", "S3passphrase");
		secret(variables, "GITHUB_PAT", "ghp_S3githubpat");
		secret(variables, "API_AUTH", "Basic S3apiauth");
		secret(variables, "SENTRY_DSN", "https://S3sentrykey@o1.ingest.sentry.io/2", "S3sentrykey");
		secret(variables, "SECRET_KEY_BASE", "S3secretkeybase");
		secret(variables, "PRIVATE_KEY_PEM", "-----BEGIN PRIVATE KEY-----\nS3privatekeypem\n-----END PRIVATE KEY-----",
				"S3privatekeypem");
		secret(variables, "AMQP_CONNECTION", "amqp://u:S3amqp@h", "S3amqp");
		secret(variables, "MONGO_URI_PRIMARY", "mongodb://admin:S3mongo@db1:27017,db2:27017/app", "S3mongo");
		secret(variables, "DATABASE_URL", "postgres://app:S3databaseurl@db:5432/app", "S3databaseurl");
		secret(variables, "REDIS_TLS_URL", "rediss://:S3redisurl@cache:6380/0", "S3redisurl");
		secret(variables, "HTTPS_PROXY", "http://proxyuser:S3proxy@proxy:3128", "S3proxy");
		secret(variables, "JDBC_DATABASE_URL", "jdbc:postgresql://db:5432/app?user=app&password=S3jdbc", "S3jdbc");
		secret(variables, "KAFKA_SASL_JAAS_CONFIG",
				"org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\" password=\"S3kafka\";",
				"S3kafka");
		secret(variables, "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/S3slackwebhook",
				"S3slackwebhook");
		secret(variables, "AWS_ACCESS_KEY_ID", "AKIAS3AWSACCESSKEY");
		secret(variables, "AWS_SECRET_ACCESS_KEY", "S3awssecretaccesskey");
		secret(variables, "AWS_SESSION_TOKEN", "S3awssessiontoken");
		secret(variables, "GOOGLE_APPLICATION_CREDENTIALS", "/var/run/S3googlecredentials.json");
		secret(variables, "STRIPE_API_KEY", "sk_live_S3stripe");
		secret(variables, "DD_API_KEY", "S3datadog");
		secret(variables, "PGPASSWORD", "S3pgpassword");
		secret(variables, "MYSQL_ROOT_PASSWORD", "S3mysqlroot");
		secret(variables, "RABBITMQ_DEFAULT_PASS", "S3rabbitmq");
		secret(variables, "DJANGO_SECRET_KEY", "S3django");
		secret(variables, "JWT_SIGNING_KEY", "S3jwtsigning");
		secret(variables, "OAUTH_CLIENT_SECRET", "S3oauthclient");
		secret(variables, "SMTP_PASSWORD", "S3smtp");
		secret(variables, "TWILIO_AUTH_TOKEN", "S3twilio");
		secret(variables, "VAULT_TOKEN", "hvs.S3vault");
		secret(variables, "NPM_TOKEN", "npm_S3npm");
		secret(variables, "SESSION_SECRET", "S3session");
		secret(variables, "LDAP_BIND_PW", "S3ldapbind");
		secret(variables, "KEYSTORE_PASS", "S3keystorepass");
		secret(variables, "GPG_PASSPHRASE", "S3gpg");
		secret(variables, "DOCKER_AUTH_CONFIG", "{\"auths\":{\"r\":{\"auth\":\"S3dockerauth\"}}}", "S3dockerauth");
		secret(variables, "APP_KEYS", "S3appkeys1,S3appkeys2", "S3appkeys");
		// System properties passed through JAVA_TOOL_OPTIONS
		secret(variables, "JAVA_TOOL_OPTIONS",
				"-Xss1m -Dspring.datasource.password=S3sysprop1 -Dapp.keystore-password=S3sysprop2 "
						+ "-Dapp.api-token=S3sysprop3 -Ddb.pass=S3sysprop4",
				"S3sysprop");
		return variables;
	}

	private static void secret(Map<String, String[]> variables, String name, String value) {
		secret(variables, name, value, value);
	}

	private static void secret(Map<String, String[]> variables, String name, String value, String secret) {
		variables.put(name, new String[] { value, secret });
	}

	@Test
	void secretsOfRealDeploymentsStayMaskedInEnvConfigpropsAndTheEndpoint() {
		assertThat(VARIABLES).hasSizeGreaterThanOrEqualTo(30);
		SampleAppProcess.Builder builder = SampleAppProcess.builder()
			.env("WEB_CONCURRENCY", "7")
			.env("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", "health,env,configprops,twelvefactor")
			.env("MANAGEMENT_ENDPOINT_ENV_SHOWVALUES", "always")
			.env("MANAGEMENT_ENDPOINT_CONFIGPROPS_SHOWVALUES", "always")
			// A Spring Boot property bean with a secret in it, for configprops
			.env("SERVER_SSL_ENABLED", "false")
			.env("SERVER_SSL_KEY_PASSWORD", "S3serversslkey");
		VARIABLES.forEach((name, value) -> builder.env(name, value[0]));
		try (SampleAppProcess app = builder.start().awaitReady()) {
			String env = body(app, "/actuator/env");
			String configprops = body(app, "/actuator/configprops");
			String twelvefactor = body(app, "/actuator/twelvefactor");
			// The JVM itself prints JAVA_TOOL_OPTIONS when it starts: not ours to mask
			String output = app.output()
				.lines()
				.filter((line) -> !line.startsWith("Picked up JAVA_TOOL_OPTIONS"))
				.collect(Collectors.joining("\n"));
			VARIABLES.forEach((name, value) -> {
				assertThat(env).as("/actuator/env, %s", name).doesNotContain(value[1]);
				assertThat(configprops).as("/actuator/configprops, %s", name).doesNotContain(value[1]);
				assertThat(twelvefactor).as("/actuator/twelvefactor, %s", name).doesNotContain(value[1]);
				assertThat(output).as("the application's output, %s", name).doesNotContain(value[1]);
			});
			assertThat(configprops).doesNotContain("S3serversslkey");
			JsonNode variables = json.readTree(env)
				.get("propertySources")
				.valueStream()
				.filter((source) -> source.get("name").asString().equals("systemEnvironment"))
				.findFirst()
				.orElseThrow()
				.get("properties");
			// What is not a secret is still shown, and so are the hosts of masked URIs
			assertThat(variables.at("/WEB_CONCURRENCY/value").asString()).isEqualTo("7");
			assertThat(variables.at("/AMQP_CONNECTION/value").asString()).isEqualTo("amqp://******@h");
			assertThat(variables.at("/JAVA_TOOL_OPTIONS/value").asString()).startsWith("-Xss1m -Dspring.datasource");
			assertThat(variables.at("/DB_PASS/value").asString()).isEqualTo("******");
		}
	}

	@ParameterizedTest(name = "on-invalid=default: {0}")
	@ValueSource(booleans = { false, true })
	void keyGivenWithoutItsPemArmourIsNeverShown(boolean onInvalidDefault, @TempDir Path directory) throws Exception {
		// For a P-256 key, the first 80 characters of the body hold the whole private scalar
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		String body = Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
		Path[] pair = TestCertificates.generate(directory, "server");
		SampleAppProcess.Builder builder = SampleAppProcess.builder()
			.env("SSL_CERTFILE", pair[0].toString())
			.env("SSL_KEYFILE", body);
		if (onInvalidDefault) {
			builder.env("TWELVEFACTOR_ON_INVALID", "default");
		}
		try (SampleAppProcess app = builder.start()) {
			assertThat(app.awaitExit(SampleAppProcess.STARTUP)).isEqualTo(1);
			String output = app.output();
			assertThat(output).contains("SSL_KEYFILE=(value hidden): ")
				.contains("accepted: the path of a readable PEM file holding a private key")
				.doesNotContain("Tomcat initialized");
			for (int i = 0; i + 8 <= body.length(); i++) {
				assertThat(output).doesNotContain(body.substring(i, i + 8));
			}
		}
	}

	private static String body(SampleAppProcess app, String path) {
		var response = app.management(path);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return response.body();
	}

}
