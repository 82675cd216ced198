package dev.twelvefactor.actuate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SensitiveNames}.
 *
 * @author twelvefactor
 */
class SensitiveNamesTests {

	@ParameterizedTest
	@ValueSource(strings = { "DB_PASSWORD", "APP_SECRET", "GITHUB_TOKEN", "AWS_ACCESS_KEY", "spring.datasource.password",
			"server.ssl.certificate-private-key", "cloud.credentials.user" })
	void namesOfSecretsAreSensitive(String name) {
		assertThat(SensitiveNames.isSensitive(name)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "SSL_KEYFILE", "twelvefactor.ssl.keyfile", "SSL_CERTFILE", "WEB_CONCURRENCY",
			"GUNICORN_TIMEOUT", "twelvefactor.workers" })
	void namesOfPathsAndSettingsAreNotSensitive(String name) {
		assertThat(SensitiveNames.isSensitive(name)).isFalse();
	}

}
