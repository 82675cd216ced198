package dev.twelvefactor.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SensitiveNames}.
 *
 * @author twelvefactor
 */
class SensitiveNamesTests {

	/**
	 * Names of secrets as real deployments spell them: the attacker's review found the first
	 * eight in clear in {@code /actuator/env}.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "REDIS_PASSWD", "DB_PASS", "PASSPHRASE", "GITHUB_PAT", "API_AUTH", "SENTRY_DSN",
			"SECRET_KEY_BASE", "PRIVATE_KEY_PEM", "DB_PASSWORD", "APP_SECRET", "GITHUB_TOKEN", "GH_TOKEN", "NPM_TOKEN",
			"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "GOOGLE_APPLICATION_CREDENTIALS",
			"STRIPE_API_KEY", "OPENAI_API_KEY", "DD_API_KEY", "PGPASSWORD", "MYSQL_ROOT_PASSWORD",
			"RABBITMQ_DEFAULT_PASS", "DJANGO_SECRET_KEY", "JWT_SIGNING_KEY", "OAUTH_CLIENT_SECRET", "SMTP_PASSWORD",
			"TWILIO_AUTH_TOKEN", "VAULT_TOKEN", "CONSUL_HTTP_TOKEN", "SESSION_SECRET", "APP_KEYS", "SSH_PRIVATE_KEY",
			"GPG_PASSPHRASE", "KEYSTORE_PASS", "LDAP_BIND_PW", "DOCKER_AUTH_CONFIG", "BASIC_AUTH_CREDENTIALS",
			"NEW_RELIC_LICENSE_KEY", "ELASTIC_APM_SECRET_TOKEN", "spring.datasource.password",
			"server.ssl.certificate-private-key", "server.ssl.key-store-password", "javax.net.ssl.trustStorePassword",
			"cloud.credentials.user", "app.apiKey", "app.jwt", "MAIL_PWD" })
	void namesOfSecretsAreSensitive(String name) {
		assertThat(SensitiveNames.isSensitive(name)).isTrue();
		assertThat(SensitiveNames.mask(name, "hunter2")).isEqualTo(SensitiveNames.MASK);
	}

	@ParameterizedTest
	@ValueSource(strings = { "SSL_KEYFILE", "twelvefactor.ssl.keyfile", "SSL_CERTFILE", "SSL_CA_CERTS",
			"WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "twelvefactor.workers", "twelvefactor.access-log-mask", "PORT",
			"PATH", "HOME", "HOSTNAME", "JAVA_HOME", "LANG", "BYPASS_CACHE", "PASSENGER_COUNT", "AUTHOR_NAME",
			"TOKENIZER_MODEL", "KEYCLOAK_REALM", "MANAGEMENT_SERVER_PORT", "server.ssl.enabled" })
	void namesOfPathsAndSettingsAreNotSensitive(String name) {
		assertThat(SensitiveNames.isSensitive(name)).isFalse();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			amqp://u:pw@h                                          | amqp://******@h
			mongodb://admin:s3cr3t@db1:27017,db2:27017/app         | mongodb://******@db1:27017,db2:27017/app
			redis://:p@ss@cache:6379/0                             | redis://******@cache:6379/0
			https://ghp_abc@github.com/org/repo.git                | https://******@github.com/org/repo.git
			http://proxy.local:3128                                | http://proxy.local:3128
			jdbc:postgresql://db/app?user=app&password=s3cr3t      | jdbc:postgresql://db/app?user=app&password=******
			Server=db;User Id=app;Password=s3cr3t;                 | Server=db;User Id=app;Password=******;
			-Xmx1g -Dspring.datasource.password=s3cr3t -Dapp.api-token=t0k -Ddb.pass=p | -Xmx1g -Dspring.datasource.password=****** -Dapp.api-token=****** -Ddb.pass=******
			{"user":"app","password":"s3cr3t"}                     | {"user":"app","password":"******"}
			username="app" password="s3cr3t";                      | username="app" password="******";
			-----BEGIN EC PRIVATE KEY-----MHcCAQEEI                | ******
			/var/run/secrets/tls.key                               | /var/run/secrets/tls.key
			""")
	void secretsInsideValuesAreMasked(String value, String masked) {
		assertThat(SensitiveNames.maskEmbedded(value)).isEqualTo(masked);
		assertThat(SensitiveNames.mask("SOME_VARIABLE", value)).isEqualTo(masked);
	}

}
