package dev.twelvefactor.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.logging.LogLevel;

import dev.twelvefactor.autoconfigure.TwelveFactorProperties.OnInvalid;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigurationResolver}: precedence, aliases and validation.
 *
 * @author twelvefactor
 */
class ConfigurationResolverTests {

	@ParameterizedTest
	@CsvSource({ "1, 3", "2, 5", "4, 9", "16, 33" })
	void workersDefaultToTwiceTheCoresPlusOneAndAtLeastThree(int cores, int workers) {
		EffectiveConfiguration configuration = TestEnvironments.create().resolve(cores);
		assertThat(configuration.workers()).isEqualTo(workers);
		assertThat(configuration.maxThreads()).isEqualTo(workers);
		assertThat(configuration.get(Setting.WORKERS).source().toString())
			.isEqualTo("max(3, 2 x " + cores + " cores + 1)");
	}

	@Test
	void conventionalVariableSetsWorkers() {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("WEB_CONCURRENCY", "7").resolve();
		assertThat(configuration.workers()).isEqualTo(7);
		assertThat(configuration.get(Setting.WORKERS).source())
			.isEqualTo(new SettingSource(SettingSource.Kind.ENVIRONMENT_VARIABLE, "WEB_CONCURRENCY", null));
	}

	@Test
	void canonicalVariableBeatsConventionalVariable() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("WEB_CONCURRENCY", "7")
			.variable("TWELVEFACTOR_WORKERS", "4")
			.resolve();
		assertThat(configuration.workers()).isEqualTo(4);
		assertThat(configuration.get(Setting.WORKERS).source().name()).isEqualTo("TWELVEFACTOR_WORKERS");
	}

	@Test
	void canonicalVariableMayUseUnderscoresOrSpringBootsRelaxedForm() {
		assertThat(TestEnvironments.create()
			.variable("TWELVEFACTOR_GRACEFUL_TIMEOUT", "12")
			.resolve()
			.gracefulTimeout()).isEqualTo(Duration.ofSeconds(12));
		assertThat(TestEnvironments.create()
			.variable("TWELVEFACTOR_GRACEFULTIMEOUT", "13")
			.resolve()
			.gracefulTimeout()).isEqualTo(Duration.ofSeconds(13));
	}

	@Test
	void commandLineBeatsEnvironmentVariables() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_WORKERS", "4")
			.arguments("--twelvefactor.workers=9")
			.resolve();
		assertThat(configuration.workers()).isEqualTo(9);
		assertThat(configuration.get(Setting.WORKERS).source().writtenName()).isEqualTo("--twelvefactor.workers");
	}

	@Test
	void conventionalVariableBeatsApplicationProperties() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.property("twelvefactor.timeout", "30")
			.variable("GUNICORN_TIMEOUT", "45")
			.resolve();
		assertThat(configuration.timeout()).isEqualTo(Duration.ofSeconds(45));
	}

	@Test
	void applicationPropertiesBeatDefaults() {
		EffectiveConfiguration configuration = TestEnvironments.create().property("twelvefactor.timeout", "30").resolve();
		assertThat(configuration.timeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(configuration.get(Setting.TIMEOUT).source().kind()).isEqualTo(SettingSource.Kind.PROPERTY);
	}

	@Test
	void emptyVariablesCountAsUnset() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_WORKERS", "")
			.variable("WEB_CONCURRENCY", "  ")
			.variable("LOG_LEVEL", "")
			.property("twelvefactor.workers", "6")
			.resolve();
		assertThat(configuration.workers()).isEqualTo(6);
		assertThat(configuration.logLevel()).isEqualTo(LogLevel.INFO);
		assertThat(configuration.invalidValues()).isEmpty();
	}

	@Test
	void emptyCanonicalVariableLetsConventionalVariableThrough() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_WORKERS", "")
			.variable("WEB_CONCURRENCY", "8")
			.resolve();
		assertThat(configuration.workers()).isEqualTo(8);
	}

	@Test
	void explicitSpringBootPropertyIsLeftAloneWhenSettingIsUnset() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.property("server.tomcat.threads.max", "50")
			.resolve();
		assertThat(configuration.applies("server.tomcat.threads.max")).isFalse();
		ConfiguredValue workers = configuration.get(Setting.WORKERS);
		assertThat(workers.display()).isEqualTo("50");
		assertThat(workers.source().name()).isEqualTo("server.tomcat.threads.max");
	}

	@Test
	void settingOverridesExplicitSpringBootPropertyAndSaysSo() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.property("server.tomcat.threads.max", "50")
			.variable("WEB_CONCURRENCY", "7")
			.resolve();
		assertThat(configuration.applies("server.tomcat.threads.max")).isTrue();
		assertThat(configuration.get(Setting.WORKERS).describeSource())
			.isEqualTo("WEB_CONCURRENCY; overrides server.tomcat.threads.max=50");
	}

	@Test
	void bindDefaultsToAllInterfacesOnPort8000() {
		EffectiveConfiguration configuration = TestEnvironments.create().resolve();
		assertThat(configuration.bind()).isEqualTo(new Bind("0.0.0.0", 8000));
		assertThat(configuration.applies("server.port")).isTrue();
	}

	@Test
	void portVariableSetsThePortOnAllInterfaces() {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("PORT", "9123").resolve();
		assertThat(configuration.bind()).isEqualTo(new Bind("0.0.0.0", 9123));
		assertThat(configuration.get(Setting.BIND).source().name()).isEqualTo("PORT");
	}

	@Test
	void bindVariableBeatsPort() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("PORT", "9123")
			.variable("TWELVEFACTOR_BIND", "127.0.0.1:7000")
			.resolve();
		assertThat(configuration.bind()).isEqualTo(new Bind("127.0.0.1", 7000));
	}

	@Test
	void explicitServerPortIsLeftAloneAndShownInTheBind() {
		EffectiveConfiguration configuration = TestEnvironments.create().property("server.port", "9000").resolve();
		assertThat(configuration.applies("server.port")).isFalse();
		assertThat(configuration.applies("server.address")).isTrue();
		assertThat(configuration.get(Setting.BIND).display()).isEqualTo("0.0.0.0:9000");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "127.0.0.1:80|127.0.0.1|80", ":9000|0.0.0.0|9000", "[::1]:8443|::1|8443",
			"localhost:8080|localhost|8080", " 0.0.0.0:8000 |0.0.0.0|8000" })
	void bindAcceptsGunicornsForms(String value, String host, int port) {
		assertThat(TestEnvironments.create().variable("TWELVEFACTOR_BIND", value).resolve().bind())
			.isEqualTo(new Bind(host, port));
	}

	@ParameterizedTest
	@ValueSource(strings = { "8000", "0.0.0.0:0", "0.0.0.0:65536", "host:port", "[::1:80", "a:b:c",
			"no-such-host.invalid:80", "0.0.0.0:+80" })
	void bindRejectsOtherForms(String value) {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("TWELVEFACTOR_BIND", value).resolve();
		assertThat(configuration.failsStart()).isTrue();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((invalid) -> assertThat(invalid.name()).isEqualTo("TWELVEFACTOR_BIND"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "0", "abc", "1.5", "0x10", "1e3", "+7", "\u0663", "99999999999999999999", "10001",
			"7;rm -rf /", "" + "\u00a0" })
	void workersRejectAnythingButAWholeNumberFromOneTo10000(String value) {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("WEB_CONCURRENCY", value).resolve();
		if (value.isBlank()) {
			assertThat(configuration.invalidValues()).isEmpty();
			return;
		}
		assertThat(configuration.invalidValues()).singleElement().satisfies((invalid) -> {
			assertThat(invalid.name()).isEqualTo("WEB_CONCURRENCY");
			assertThat(invalid.value()).isEqualTo(value);
			assertThat(invalid.reason()).contains("a whole number from 1 to 10000");
		});
		assertThat(configuration.workers()).isEqualTo(5);
	}

	@Test
	void accessLogMaskDefaultsToCredentialLikeNames() {
		assertThat(TestEnvironments.create().resolve().accessLogMask().names()).contains("token", "access_token",
				"password", "secret", "api_key", "signature");
	}

	@Test
	void accessLogMaskIsAListOfNamesInAnyCaseOrNone() {
		assertThat(TestEnvironments.create()
			.variable("TWELVEFACTOR_ACCESS_LOG_MASK", " Token, X-Session ,")
			.resolve()
			.accessLogMask()
			.names()).containsExactly("token", "x-session");
		assertThat(TestEnvironments.create()
			.variable("TWELVEFACTOR_ACCESS_LOG_MASK", "NONE")
			.resolve()
			.accessLogMask()
			.names()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { ",", "a=b", "a&b", "a b", "caf\u00e9", "q\"" })
	void accessLogMaskRejectsWhatCannotBeAQueryParameterName(String value) {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_ACCESS_LOG_MASK", value)
			.resolve();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((invalid) -> assertThat(invalid.name()).isEqualTo("TWELVEFACTOR_ACCESS_LOG_MASK"));
	}

	@Test
	void valuesAreTrimmed() {
		assertThat(TestEnvironments.create().variable("WEB_CONCURRENCY", " 7\t").resolve().workers()).isEqualTo(7);
	}

	@ParameterizedTest
	@CsvSource({ "60, 60000", "0, 0", "500ms, 500", "2m, 120000", "PT30S, 30000", "1h, 3600000" })
	void timeoutIsADurationWhereABareNumberMeansSeconds(String value, long millis) {
		assertThat(TestEnvironments.create().variable("GUNICORN_TIMEOUT", value).resolve().timeout())
			.isEqualTo(Duration.ofMillis(millis));
	}

	@ParameterizedTest
	@ValueSource(strings = { "-5", "1.5", "abc", "1e3", "0x10", "25h", "PT-5S", "99999999999999999999" })
	void timeoutRejectsNegativeMalformedAndHugeDurations(String value) {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("GUNICORN_TIMEOUT", value).resolve();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((invalid) -> assertThat(invalid.name()).isEqualTo("GUNICORN_TIMEOUT"));
	}

	@ParameterizedTest
	@CsvSource({ "trace, TRACE", "DEBUG, DEBUG", "Info, INFO", "warn, WARN", "warning, WARN", "WARNING, WARN",
			"error, ERROR", "critical, ERROR", "off, OFF" })
	void logLevelAcceptsGunicornsAndJavasNamesInAnyCase(String value, LogLevel level) {
		assertThat(TestEnvironments.create().variable("LOG_LEVEL", value).resolve().logLevel()).isEqualTo(level);
	}

	@Test
	void everyInvalidValueIsReportedAtOnceWithTheNameAsWritten() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("WEB_CONCURRENCY", "lots")
			.variable("LOG_LEVEL", "loud")
			.property("twelvefactor.backlog", "0")
			.resolve();
		assertThat(configuration.failsStart()).isTrue();
		assertThat(configuration.invalidValues()).extracting(InvalidValue::name)
			.containsExactly("WEB_CONCURRENCY", "twelvefactor.backlog", "LOG_LEVEL");
		assertThat(configuration.invalidValues()).allSatisfy((invalid) -> assertThat(invalid.action()).isNotBlank());
	}

	@Test
	void onInvalidDefaultReplacesInvalidValuesWithDefaultsAndWarns() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("WEB_CONCURRENCY", "lots")
			.variable("TWELVEFACTOR_ON_INVALID", "default")
			.resolve();
		assertThat(configuration.onInvalid()).isEqualTo(OnInvalid.DEFAULT);
		assertThat(configuration.failsStart()).isFalse();
		assertThat(configuration.workers()).isEqualTo(5);
		assertThat(configuration.get(Setting.WORKERS).source().toString())
			.isEqualTo("max(3, 2 x 2 cores + 1), in place of invalid WEB_CONCURRENCY");
		assertThat(configuration.warnings()).anySatisfy((warning) -> assertThat(warning)
			.startsWith("Invalid WEB_CONCURRENCY=\"lots\"")
			.endsWith("using 5 instead"));
	}

	@Test
	void invalidOnInvalidFails() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_ON_INVALID", "ignore")
			.resolve();
		assertThat(configuration.failsStart()).isTrue();
	}

	@Test
	void workersTimesThreadsMustNotExceed10000() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("WEB_CONCURRENCY", "5000")
			.variable("TWELVEFACTOR_THREADS", "3")
			.resolve();
		assertThat(configuration.invalidValues()).singleElement().satisfies((invalid) -> {
			assertThat(invalid.name()).isEqualTo("TWELVEFACTOR_THREADS");
			assertThat(invalid.reason()).contains("15000");
		});
	}

	@Test
	void certificateWithoutKeyIsInvalidNamingTheKeyVariable() throws Exception {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", testFile("ssl/test-cert.pem"))
			.resolve();
		assertThat(configuration.invalidValues()).singleElement().satisfies((invalid) -> {
			assertThat(invalid.name()).isEqualTo("SSL_KEYFILE");
			assertThat(invalid.reason()).isEqualTo("required when SSL_CERTFILE is set");
		});
		assertThat(configuration.sslCertfile()).isNull();
	}

	@Test
	void certificateAndItsKeyTurnOnHttps() throws Exception {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", testFile("ssl/test-cert.pem"))
			.variable("TWELVEFACTOR_SSL_KEYFILE", testFile("ssl/test-key.pem"))
			.resolve();
		assertThat(configuration.invalidValues()).isEmpty();
		assertThat(configuration.sslKeyfile()).hasFileName("test-key.pem");
	}

	@Test
	void keyFileHoldingACertificateIsInvalid() throws Exception {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", testFile("ssl/test-cert.pem"))
			.variable("SSL_KEYFILE", testFile("ssl/test-cert.pem"))
			.resolve();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((invalid) -> assertThat(invalid.reason()).startsWith("the file does not hold a PEM private key"));
		assertThat(configuration.sslCertfile()).isNull();
	}

	private static String testFile(String name) throws Exception {
		return java.nio.file.Path.of(ConfigurationResolverTests.class.getClassLoader().getResource(name).toURI())
			.toString();
	}

	@Test
	void keyContentGivenInPlaceOfAPathIsRefusedWithoutShowingIt() {
		String key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7secret\n"
				+ "-----END PRIVATE KEY-----\n";
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", key)
			.variable("SSL_KEYFILE", key)
			.resolve();
		assertThat(configuration.invalidValues()).hasSize(2).allSatisfy((invalid) -> {
			assertThat(invalid.describe()).endsWith("=(value hidden): holds PEM content rather than the path of a file"
					+ "; accepted: " + invalid.setting().accepted())
				.doesNotContain("MIIE")
				.doesNotContain("secret");
			assertThat(invalid.action()).doesNotContain("MIIE");
		});
	}

	@Test
	void missingCertificateFileIsInvalid() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", "/nonexistent/cert.pem")
			.variable("SSL_KEYFILE", "/nonexistent/key.pem")
			.resolve();
		assertThat(configuration.invalidValues()).extracting(InvalidValue::name)
			.containsExactly("SSL_CERTFILE", "SSL_KEYFILE");
	}

	@Test
	void timeoutLongerThanGracefulTimeoutWarns() {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("GUNICORN_TIMEOUT", "120").resolve();
		assertThat(configuration.warnings())
			.containsExactly("Timeout 120s is longer than the graceful timeout 30s: requests still running at "
					+ "shutdown may be cut off");
	}

	@Test
	void defaultTimeoutsDoNotWarn() {
		assertThat(TestEnvironments.create().resolve().warnings()).isEmpty();
	}

	@Test
	void nearMissVariableNamesGetADidYouMeanWarning() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("WEB_CONCURENCY", "4")
			.variable("LOG_LEVL", "debug")
			.variable("TWELVEFACTOR_WORKRS", "4")
			.variable("TWELVEFACTOR_COLOUR", "blue")
			.variable("web_concurrency", "4")
			.variable("HOST", "example")
			.variable("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt")
			.variable("HOME", "/root")
			.resolve();
		assertThat(configuration.warnings()).containsExactlyInAnyOrder(
				"Environment variable \"WEB_CONCURENCY\" is not read by twelvefactor; did you mean WEB_CONCURRENCY?",
				"Environment variable \"LOG_LEVL\" is not read by twelvefactor; did you mean LOG_LEVEL?",
				"Environment variable \"TWELVEFACTOR_WORKRS\" is not read by twelvefactor; did you mean "
						+ "TWELVEFACTOR_WORKERS?",
				"Environment variable \"TWELVEFACTOR_COLOUR\" is not a twelvefactor setting and is ignored",
				"Environment variable \"web_concurrency\" is not read by twelvefactor; did you mean WEB_CONCURRENCY?");
	}

	@Test
	void invalidValuesAreQuotedEscapedAndCut() {
		String hostile = "x\"\n\u001b[31m" + "y".repeat(10_000);
		EffectiveConfiguration configuration = TestEnvironments.create().variable("LOG_LEVEL", hostile).resolve();
		String description = configuration.invalidValues().get(0).describe();
		assertThat(description).startsWith("LOG_LEVEL=\"x\\\"\\u000a\\u001b[31myyy")
			.contains("(9928 more characters)")
			.doesNotContain("\n")
			.hasSizeLessThan(400);
	}

}
