package dev.twelvefactor.config;

import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigurationRules} and the TLS settings: certificates checked at start,
 * TLS failing closed whatever {@code on-invalid} says, and key material never shown.
 *
 * @author twelvefactor
 */
class ConfigurationRulesTests {

	@TempDir
	Path directory;

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void keyGivenWithoutItsPemArmourIsRefusedWithoutShowingAnyOfIt(boolean onInvalidDefault) throws Exception {
		// The attacker's review: a P-256 key's base64 body, whose first 80 characters hold
		// the whole private scalar, was echoed in the failure report
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		String body = Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
		Path[] pair = TestCertificates.generate(this.directory, "server", "RSA", 2048, null, 90);
		TestEnvironments environment = TestEnvironments.create()
			.variable("SSL_CERTFILE", pair[0].toString())
			.variable("SSL_KEYFILE", body);
		if (onInvalidDefault) {
			environment.variable("TWELVEFACTOR_ON_INVALID", "default");
		}
		EffectiveConfiguration configuration = environment.resolve();
		assertThat(configuration.failsStart()).isTrue();
		assertThat(configuration.invalidValues()).singleElement().satisfies((invalid) -> {
			assertThat(invalid.describe()).startsWith("SSL_KEYFILE=(value hidden): ")
				.endsWith("accepted: the path of a readable PEM file holding a private key");
			String shown = invalid.describe() + invalid.action()
					+ new InvalidConfigurationException(configuration.invalidValues()).getMessage();
			for (int i = 0; i + 8 <= body.length(); i++) {
				assertThat(shown).doesNotContain(body.substring(i, i + 8));
			}
		});
		assertThat(String.join("\n", configuration.warnings())).doesNotContain(body.substring(0, 8))
			.doesNotContain("SSL_KEYFILE");
	}

	@Test
	void pathOfAKeyThatIsNotTheCertificatesIsNotShownEither() throws Exception {
		Path[] server = TestCertificates.generate(this.directory, "server", "RSA", 2048, null, 90);
		Path[] other = TestCertificates.generate(this.directory, "other", "RSA", 2048, null, 90);
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", server[0].toString())
			.variable("SSL_KEYFILE", other[1].toString())
			.resolve();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((invalid) -> assertThat(invalid.describe()).isEqualTo(
					"SSL_KEYFILE=(value hidden): not the private key of the certificate in SSL_CERTFILE"));
	}

	@Test
	void missingKeyStopsTheStartEvenWithOnInvalidDefault() throws Exception {
		Path[] pair = TestCertificates.generate(this.directory, "server", "RSA", 2048, null, 90);
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", pair[0].toString())
			.variable("TWELVEFACTOR_ON_INVALID", "default")
			.variable("WEB_CONCURRENCY", "lots")
			.resolve();
		assertThat(configuration.failsStart()).isTrue();
		assertThat(configuration.invalidValues()).extracting(InvalidValue::name)
			.containsExactly("WEB_CONCURRENCY", "SSL_KEYFILE");
		assertThat(configuration.warnings()).noneSatisfy((warning) -> assertThat(warning).contains("SSL_KEYFILE"));
		String report = new InvalidConfigurationFailureAnalyzer()
			.analyze(new InvalidConfigurationException(configuration.invalidValues()))
			.getDescription();
		assertThat(report).contains("SSL_KEYFILE=(not set): required when SSL_CERTFILE is set")
			.contains("TLS settings are never replaced by their default");
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			value = { "TWELVEFACTOR_BIND|127.0.0.1:80800|The address to listen on is never",
					"PORT|http|The address to listen on is never",
					"TWELVEFACTOR_ACCESS_LOG_MASK|session_id,o&tp|The access log's masked parameters are never" })
	void invalidBindOrAccessLogMaskStopsTheStartEvenWithOnInvalidDefault(String variable, String value, String reason) {
		// Their defaults, every interface and the standard list, are less safe than what was meant
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable(variable, value)
			.variable("TWELVEFACTOR_ON_INVALID", "default")
			.variable("WEB_CONCURRENCY", "lots")
			.resolve();
		assertThat(configuration.failsStart()).isTrue();
		assertThat(configuration.invalidValues()).extracting(InvalidValue::name)
			.containsExactlyInAnyOrder("WEB_CONCURRENCY", variable);
		assertThat(configuration.warnings()).noneSatisfy((warning) -> assertThat(warning).contains(variable));
		String report = new InvalidConfigurationFailureAnalyzer()
			.analyze(new InvalidConfigurationException(configuration.invalidValues()))
			.getDescription();
		assertThat(report).contains(reason).doesNotContain("TLS settings");
	}

	@Test
	void otherInvalidValuesAreStillReplacedWithOnInvalidDefault() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_ON_INVALID", "default")
			.variable("WEB_CONCURRENCY", "lots")
			.resolve();
		assertThat(configuration.failsStart()).isFalse();
		assertThat(configuration.warnings()).anySatisfy((warning) -> assertThat(warning)
			.startsWith("Invalid WEB_CONCURRENCY=\"lots\": not a whole number"));
	}

	@Test
	void unreadableCertificateStopsTheStartEvenWithOnInvalidDefault() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", "/nonexistent/cert.pem")
			.variable("SSL_KEYFILE", "/nonexistent/key.pem")
			.variable("SSL_CA_CERTS", "/nonexistent/ca.pem")
			.variable("TWELVEFACTOR_ON_INVALID", "default")
			.resolve();
		assertThat(configuration.failsStart()).isTrue();
		assertThat(configuration.invalidValues()).extracting(InvalidValue::name)
			.containsExactly("SSL_CERTFILE", "SSL_KEYFILE", "SSL_CA_CERTS");
	}

	@Test
	void caCertificatesWithoutACertificateToServeAreInvalid() throws Exception {
		Path[] client = TestCertificates.generate(this.directory, "client", "RSA", 2048, null, 90);
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CA_CERTS", client[0].toString())
			.variable("TWELVEFACTOR_ON_INVALID", "default")
			.resolve();
		assertThat(configuration.failsStart()).isTrue();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((invalid) -> assertThat(invalid.describe()).endsWith(
					": client certificates are verified only over HTTPS, which needs SSL_CERTFILE and SSL_KEYFILE"));
	}

	@Test
	void expiredCertificateIsRefused() throws Exception {
		Path[] pair = TestCertificates.generate(this.directory, "server", "RSA", 2048, "-10d", 5);
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", pair[0].toString())
			.variable("SSL_KEYFILE", pair[1].toString())
			.variable("TWELVEFACTOR_ON_INVALID", "default")
			.resolve();
		assertThat(configuration.failsStart()).isTrue();
		assertThat(configuration.invalidValues()).singleElement().satisfies((invalid) -> {
			assertThat(invalid.name()).isEqualTo("SSL_CERTFILE");
			assertThat(invalid.reason()).matches("the certificate \"CN=localhost\" expired on \\S+Z");
			assertThat(invalid.action()).contains("TWELVEFACTOR_SSL_ALLOW_INVALID_DATES=true");
		});
	}

	@Test
	void certificateNotValidYetIsRefused() throws Exception {
		Path[] pair = TestCertificates.generate(this.directory, "server", "RSA", 2048, "+2d", 90);
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", pair[0].toString())
			.variable("SSL_KEYFILE", pair[1].toString())
			.resolve();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((invalid) -> assertThat(invalid.reason())
				.matches("the certificate \"CN=localhost\" is not valid yet: not before \\S+Z"));
	}

	@Test
	void expiredCertificateStartsWithAWarningWhenInvalidDatesAreAllowed() throws Exception {
		Path[] pair = TestCertificates.generate(this.directory, "server", "RSA", 2048, "-10d", 5);
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", pair[0].toString())
			.variable("SSL_KEYFILE", pair[1].toString())
			.variable("TWELVEFACTOR_SSL_ALLOW_INVALID_DATES", "true")
			.resolve();
		assertThat(configuration.failsStart()).isFalse();
		assertThat(configuration.properties().getSsl().getCertfile()).isEqualTo(pair[0].toString());
		assertThat(configuration.warnings()).anySatisfy((warning) -> assertThat(warning).matches(
				"SSL_CERTFILE: the certificate \"CN=localhost\" expired on \\S+Z; starting with it anyway, as "
						+ "TWELVEFACTOR_SSL_ALLOW_INVALID_DATES=true says"));
	}

	@Test
	void certificateExpiringWithinTheWarningGetsAWarning() throws Exception {
		Path[] pair = TestCertificates.generate(this.directory, "server", "RSA", 2048, null, 10);
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", pair[0].toString())
			.variable("SSL_KEYFILE", pair[1].toString())
			.resolve();
		assertThat(configuration.failsStart()).isFalse();
		assertThat(configuration.warnings()).anySatisfy((warning) -> assertThat(warning).matches(
				"SSL_CERTFILE: the certificate \"CN=localhost\" expires in (9|10) days, on \\S+Z; renew it "
						+ "\\(warned 30d ahead, TWELVEFACTOR_SSL_EXPIRY_WARNING\\)"));
		EffectiveConfiguration shorter = TestEnvironments.create()
			.variable("SSL_CERTFILE", pair[0].toString())
			.variable("SSL_KEYFILE", pair[1].toString())
			.variable("TWELVEFACTOR_SSL_EXPIRY_WARNING", "7")
			.resolve();
		assertThat(shorter.properties().getSsl().getExpiryWarning()).hasDays(7);
		assertThat(shorter.warnings()).noneSatisfy((warning) -> assertThat(warning).contains("expires in"));
	}

	@Test
	void weakKeyGetsAWarning() throws Exception {
		Path[] pair = TestCertificates.generate(this.directory, "server", "RSA", 1024, null, 90);
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", pair[0].toString())
			.variable("SSL_KEYFILE", pair[1].toString())
			.resolve();
		assertThat(configuration.failsStart()).isFalse();
		assertThat(configuration.warnings()).anySatisfy((warning) -> assertThat(warning)
			.startsWith("SSL_CERTFILE: the certificate \"CN=localhost\" has an RSA key of 1024 bits"));
	}

	@Test
	void strongKeysValidForLongGetNoWarning() throws Exception {
		Path[] rsa = TestCertificates.generate(this.directory, "rsa", "RSA", 2048, null, 90);
		Path[] ec = TestCertificates.generate(this.directory, "ec", "EC", 256, null, 90);
		for (Path[] pair : new Path[][] { rsa, ec }) {
			EffectiveConfiguration configuration = TestEnvironments.create()
				.variable("SSL_CERTFILE", pair[0].toString())
				.variable("SSL_KEYFILE", pair[1].toString())
				.resolve();
			assertThat(configuration.invalidValues()).isEmpty();
			assertThat(configuration.warnings()).isEmpty();
		}
	}

	@Test
	void certificateWithoutSubjectAlternativeNamesGetsAWarning() throws Exception {
		// What keytool and "openssl req -subj /CN=..." make unless told otherwise
		Path[] pair = TestCertificates.generate(this.directory, "server", "RSA", 2048, null, 90, null);
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", pair[0].toString())
			.variable("SSL_KEYFILE", pair[1].toString())
			.resolve();
		assertThat(configuration.failsStart()).isFalse();
		assertThat(configuration.warnings()).containsExactly("SSL_CERTFILE: the certificate \"CN=localhost\" names no "
				+ "host in its subject alternative names, which clients check rather than its common name: they "
				+ "refuse it whatever host they connect to; issue it with subjectAltName=DNS:<host>");
	}

	@Test
	void certificateNotNamingTheHostThatBindNamesGetsAWarning() throws Exception {
		Path[] other = TestCertificates.generate(this.directory, "other", "RSA", 2048, null, 90, "dns:wrong.example");
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", other[0].toString())
			.variable("SSL_KEYFILE", other[1].toString())
			.variable("TWELVEFACTOR_BIND", "127.0.0.1:8443")
			.resolve();
		assertThat(configuration.failsStart()).isFalse();
		assertThat(configuration.warnings()).containsExactly("SSL_CERTFILE: the certificate \"CN=localhost\" does "
				+ "not name 127.0.0.1, where TWELVEFACTOR_BIND listens (it names DNS:wrong.example): clients that "
				+ "connect to 127.0.0.1 refuse it");
		// On every interface, the server cannot know the name its clients use
		assertThat(TestEnvironments.create()
			.variable("SSL_CERTFILE", other[0].toString())
			.variable("SSL_KEYFILE", other[1].toString())
			.resolve()
			.warnings()).isEmpty();
		// A host name is matched against the DNS names only
		Path[] address = TestCertificates.generate(this.directory, "address", "RSA", 2048, null, 90, "ip:127.0.0.1");
		assertThat(TestEnvironments.create()
			.variable("SSL_CERTFILE", address[0].toString())
			.variable("SSL_KEYFILE", address[1].toString())
			.variable("TWELVEFACTOR_BIND", "localhost:8443")
			.resolve()
			.warnings()).singleElement().asString().contains("does not name localhost, where TWELVEFACTOR_BIND listens");
	}

	@Test
	void certificateNamingTheHostThatBindNamesGetsNoWarning() throws Exception {
		Path[] pair = TestCertificates.generate(this.directory, "server", "RSA", 2048, null, 90);
		Path[] byName = TestCertificates.generate(this.directory, "name", "RSA", 2048, null, 90, "dns:localhost");
		for (String bind : new String[] { "127.0.0.1:8443", "localhost:8443" }) {
			for (Path[] certificate : new Path[][] { pair, byName }) {
				EffectiveConfiguration configuration = TestEnvironments.create()
					.variable("SSL_CERTFILE", certificate[0].toString())
					.variable("SSL_KEYFILE", certificate[1].toString())
					.variable("TWELVEFACTOR_BIND", bind)
					.resolve();
				assertThat(configuration.warnings()).as(bind + " " + certificate[0]).isEmpty();
			}
		}
	}

	@Test
	void subSecondTimeoutWarnsThatTheConnectionTimeoutStaysAtOneSecond() {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("GUNICORN_TIMEOUT", "1ms").resolve();
		assertThat(configuration.properties().getTimeout()).hasMillis(1);
		assertThat(configuration.warnings()).containsExactly("Timeout 1ms is shorter than 1s: it is the request "
				+ "deadline, but the connection timeout stays at 1s, so that clients have time to send their request");
	}

}
