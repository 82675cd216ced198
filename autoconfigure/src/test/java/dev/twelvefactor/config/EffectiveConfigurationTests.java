package dev.twelvefactor.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.logging.LogLevel;
import org.springframework.core.env.StandardEnvironment;

import dev.twelvefactor.config.TwelveFactorProperties.OnInvalid;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EffectiveConfiguration}: precedence, aliases, validation and what the settings
 * map to.
 *
 * @author twelvefactor
 */
class EffectiveConfigurationTests {

	@ParameterizedTest
	@CsvSource({ "1, 3", "2, 5", "4, 9", "16, 33" })
	void workersDefaultToAnAdaptiveLimitFromTwiceTheCoresPlusOneAndAtLeastThree(int cores, int workers) {
		EffectiveConfiguration configuration = TestEnvironments.create().resolve(cores);
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.AUTO);
		assertThat(configuration.adaptive()).isTrue();
		assertThat(configuration.requestThreads()).isEqualTo(workers);
		assertThat(configuration.maxRequestThreads()).isEqualTo(200);
		assertThat(configuration.get("workers").display()).isEqualTo("auto, " + workers + "..200");
		assertThat(configuration.get("workers").source().toString()).isEqualTo("WEB_CONCURRENCY unset");
	}

	@Test
	void conventionalVariableSetsWorkers() {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("WEB_CONCURRENCY", "7").resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.of(7));
		assertThat(configuration.get("workers").source())
			.isEqualTo(new SettingSource(SettingSource.Kind.ENVIRONMENT_VARIABLE, "WEB_CONCURRENCY", null));
	}

	@Test
	void canonicalVariableBeatsConventionalVariable() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("WEB_CONCURRENCY", "7")
			.variable("TWELVEFACTOR_WORKERS", "4")
			.resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.of(4));
		assertThat(configuration.get("workers").source().name()).isEqualTo("TWELVEFACTOR_WORKERS");
	}

	@Test
	void canonicalVariableMayUseUnderscoresOrSpringBootsRelaxedForm() {
		assertThat(TestEnvironments.create()
			.variable("TWELVEFACTOR_GRACEFUL_TIMEOUT", "12")
			.resolve()
			.properties().getGracefulTimeout()).isEqualTo(Duration.ofSeconds(12));
		assertThat(TestEnvironments.create()
			.variable("TWELVEFACTOR_GRACEFULTIMEOUT", "13")
			.resolve()
			.properties().getGracefulTimeout()).isEqualTo(Duration.ofSeconds(13));
	}

	@Test
	void commandLineBeatsEnvironmentVariables() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_WORKERS", "4")
			.arguments("--twelvefactor.workers=9")
			.resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.of(9));
		assertThat(configuration.get("workers").source().writtenName()).isEqualTo("--twelvefactor.workers");
	}

	@Test
	void conventionalVariableBeatsApplicationProperties() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.property("twelvefactor.timeout", "30")
			.variable("GUNICORN_TIMEOUT", "45")
			.resolve();
		assertThat(configuration.properties().getTimeout()).isEqualTo(Duration.ofSeconds(45));
	}

	@Test
	void applicationPropertiesBeatDefaults() {
		EffectiveConfiguration configuration = TestEnvironments.create().property("twelvefactor.timeout", "30").resolve();
		assertThat(configuration.properties().getTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(configuration.get("timeout").source().kind()).isEqualTo(SettingSource.Kind.PROPERTY);
	}

	@Test
	void emptyVariablesCountAsUnset() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_WORKERS", "")
			.variable("WEB_CONCURRENCY", "  ")
			.variable("LOG_LEVEL", "")
			.property("twelvefactor.workers", "6")
			.resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.of(6));
		assertThat(configuration.properties().getLogLevel()).isEqualTo(LogLevel.INFO);
		assertThat(configuration.invalidValues()).isEmpty();
	}

	@Test
	void emptyCanonicalVariableLetsConventionalVariableThrough() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_WORKERS", "")
			.variable("WEB_CONCURRENCY", "8")
			.resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.of(8));
	}

	@Test
	void explicitSpringBootPropertyIsLeftAloneWhenSettingIsUnset() {
		StandardEnvironment environment = TestEnvironments.create()
			.property("spring.lifecycle.timeout-per-shutdown-phase", "45s")
			.prepare();
		assertThat(environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase")).isEqualTo("45s");
		EffectiveConfiguration configuration = EffectiveConfiguration.find(environment);
		ConfiguredValue graceful = configuration.get("graceful-timeout");
		assertThat(graceful.display()).isEqualTo("45s");
		assertThat(graceful.source().name()).isEqualTo("spring.lifecycle.timeout-per-shutdown-phase");
	}

	@Test
	void settingOverridesExplicitSpringBootPropertyAndSaysSo() {
		StandardEnvironment environment = TestEnvironments.create()
			.property("logging.level.root", "debug")
			.variable("LOG_LEVEL", "warning")
			.prepare();
		assertThat(environment.getProperty("logging.level.root")).isEqualTo("WARN");
		EffectiveConfiguration configuration = EffectiveConfiguration.find(environment);
		assertThat(configuration.get("log-level").describeSource())
			.isEqualTo("LOG_LEVEL; overrides logging.level.root=debug");
	}

	@Test
	void threadPoolIsLeftToTheUserWhateverTheWorkers() {
		StandardEnvironment environment = TestEnvironments.create()
			.property("server.tomcat.threads.max", "50")
			.variable("WEB_CONCURRENCY", "7")
			.prepare();
		assertThat(environment.getProperty("server.tomcat.threads.max")).isEqualTo("50");
		assertThat(EffectiveConfiguration.find(environment).get("workers").describeSource())
			.isEqualTo("WEB_CONCURRENCY");
	}

	@ParameterizedTest
	@CsvSource({ "60, 10s", "10, 5s", "3, 1500ms", "0, 10s" })
	void maxQueueWaitDefaultsToHalfTheTimeoutAtMostTenSeconds(String timeout, String wait) {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("GUNICORN_TIMEOUT", timeout).resolve();
		assertThat(configuration.get("max-queue-wait").display()).isEqualTo(wait);
		assertThat(configuration.get("max-queue-wait").source().name()).isEqualTo("half the timeout, at most 10s");
	}

	@Test
	void maxQueueWaitLongerThanTheTimeoutIsInvalid() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_TIMEOUT", "5")
			.variable("TWELVEFACTOR_MAX_QUEUE_WAIT", "8")
			.variable("TWELVEFACTOR_ON_INVALID", "default")
			.resolve();
		assertThat(configuration.invalidValues()).singleElement().satisfies((invalid) -> {
			assertThat(invalid.name()).isEqualTo("TWELVEFACTOR_MAX_QUEUE_WAIT");
			assertThat(invalid.reason()).startsWith("longer than the timeout 5s");
		});
		assertThat(configuration.properties().getMaxQueueWait()).hasMillis(2500);
	}

	@Test
	void bindDefaultsToAllInterfacesOnPort8000() {
		StandardEnvironment environment = TestEnvironments.create().prepare();
		assertThat(EffectiveConfiguration.find(environment).properties().getBind()).isEqualTo(new Bind("0.0.0.0", 8000));
		assertThat(environment.getProperty("server.address")).isEqualTo("0.0.0.0");
		assertThat(environment.getProperty("server.port")).isEqualTo("8000");
	}

	@Test
	void portVariableSetsThePortOnAllInterfaces() {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("PORT", "9123").resolve();
		assertThat(configuration.properties().getBind()).isEqualTo(new Bind("0.0.0.0", 9123));
		assertThat(configuration.get("bind").source().name()).isEqualTo("PORT");
	}

	@Test
	void bindVariableBeatsPort() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("PORT", "9123")
			.variable("TWELVEFACTOR_BIND", "127.0.0.1:7000")
			.resolve();
		assertThat(configuration.properties().getBind()).isEqualTo(new Bind("127.0.0.1", 7000));
	}

	@Test
	void explicitServerPortIsLeftAloneAndShownInTheBind() {
		StandardEnvironment environment = TestEnvironments.create().property("server.port", "9000").prepare();
		assertThat(environment.getProperty("server.port")).isEqualTo("9000");
		assertThat(environment.getProperty("server.address")).isEqualTo("0.0.0.0");
		assertThat(EffectiveConfiguration.find(environment).get("bind").display()).isEqualTo("0.0.0.0:9000");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "127.0.0.1:80|127.0.0.1|80", ":9000|0.0.0.0|9000", "[::1]:8443|::1|8443",
			"localhost:8080|localhost|8080", " 0.0.0.0:8000 |0.0.0.0|8000" })
	void bindAcceptsGunicornsForms(String value, String host, int port) {
		assertThat(TestEnvironments.create().variable("TWELVEFACTOR_BIND", value).resolve().properties().getBind())
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
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.AUTO);
	}

	@Test
	void accessLogMaskDefaultsToCredentialLikeNames() {
		assertThat(TestEnvironments.create().resolve().properties().getAccessLogMask().names()).contains("token",
				"access_token", "password", "secret", "api_key", "signature");
	}

	@Test
	void accessLogMaskIsAListOfNamesInAnyCaseOrNone() {
		assertThat(TestEnvironments.create()
			.variable("TWELVEFACTOR_ACCESS_LOG_MASK", " Token, X-Session ,")
			.resolve()
			.properties()
			.getAccessLogMask()
			.names()).containsExactly("token", "x-session");
		assertThat(TestEnvironments.create()
			.variable("TWELVEFACTOR_ACCESS_LOG_MASK", "NONE")
			.resolve()
			.properties()
			.getAccessLogMask()
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
		assertThat(TestEnvironments.create().variable("WEB_CONCURRENCY", " 7\t").resolve().properties().getWorkers())
			.isEqualTo(Workers.of(7));
	}

	@ParameterizedTest
	@CsvSource({ "60, 60000", "0, 0", "500ms, 500", "2m, 120000", "PT30S, 30000", "1h, 3600000" })
	void timeoutIsADurationWhereABareNumberMeansSeconds(String value, long millis) {
		assertThat(TestEnvironments.create().variable("GUNICORN_TIMEOUT", value).resolve().properties().getTimeout())
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
		assertThat(TestEnvironments.create().variable("LOG_LEVEL", value).resolve().properties().getLogLevel()).isEqualTo(level);
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
		assertThat(configuration.properties().getOnInvalid()).isEqualTo(OnInvalid.DEFAULT);
		assertThat(configuration.failsStart()).isFalse();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.AUTO);
		assertThat(configuration.get("workers").source().toString())
			.isEqualTo("default, in place of invalid WEB_CONCURRENCY");
		assertThat(configuration.warnings()).anySatisfy((warning) -> assertThat(warning)
			.startsWith("Invalid WEB_CONCURRENCY=\"lots\"")
			.endsWith("using auto, 5..200 instead"));
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
		assertThat(configuration.properties().getSsl().getCertfile()).isNull();
	}

	@Test
	void certificateAndItsKeyTurnOnHttps() throws Exception {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", testFile("ssl/test-cert.pem"))
			.variable("TWELVEFACTOR_SSL_KEYFILE", testFile("ssl/test-key.pem"))
			.resolve();
		assertThat(configuration.invalidValues()).isEmpty();
		assertThat(configuration.properties().getSsl().getKeyfile()).endsWith("test-key.pem");
	}

	@Test
	void certificateFarFromItsExpiryGetsNoWarning() throws Exception {
		// The test certificate is valid until 2126, beyond the largest window
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", testFile("ssl/test-cert.pem"))
			.variable("SSL_KEYFILE", testFile("ssl/test-key.pem"))
			.variable("TWELVEFACTOR_SSL_EXPIRY_WARNING", "365")
			.resolve();
		assertThat(configuration.invalidValues()).isEmpty();
		assertThat(configuration.warnings()).noneSatisfy((warning) -> assertThat(warning).contains("expires"));
		assertThat(configuration.properties().getSsl().getExpiryWarning()).isEqualTo(java.time.Duration.ofDays(365));
	}

	@Test
	void keyFileHoldingACertificateIsInvalid() throws Exception {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("SSL_CERTFILE", testFile("ssl/test-cert.pem"))
			.variable("SSL_KEYFILE", testFile("ssl/test-cert.pem"))
			.resolve();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((invalid) -> assertThat(invalid.reason()).startsWith("the file does not hold a PEM private key"));
		assertThat(configuration.properties().getSsl().getCertfile()).isNull();
	}

	private static String testFile(String name) throws Exception {
		return java.nio.file.Path.of(EffectiveConfigurationTests.class.getClassLoader().getResource(name).toURI())
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
	void drainDelayDefaultsToFiveSecondsOnKubernetesAndZeroElsewhere() {
		EffectiveConfiguration kubernetes = TestEnvironments.create()
			.variable("KUBERNETES_SERVICE_HOST", "10.0.0.1")
			.variable("KUBERNETES_SERVICE_PORT", "443")
			.resolve();
		assertThat(kubernetes.properties().getDrainDelay()).isEqualTo(Duration.ofSeconds(5));
		assertThat(kubernetes.get("drain-delay").display()).isEqualTo("5s");
		assertThat(kubernetes.get("drain-delay").source().toString()).isEqualTo("on Kubernetes");
		EffectiveConfiguration elsewhere = TestEnvironments.create().resolve();
		assertThat(elsewhere.properties().getDrainDelay()).isEqualTo(Duration.ZERO);
		assertThat(elsewhere.get("drain-delay").source().isExplicit()).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "3, 3000", "0, 0", "1500ms, 1500", "1m, 60000" })
	void drainDelayIsADurationWhereABareNumberMeansSeconds(String value, long millis) {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("KUBERNETES_SERVICE_HOST", "10.0.0.1")
			.variable("KUBERNETES_SERVICE_PORT", "443")
			.variable("TWELVEFACTOR_DRAIN_DELAY", value)
			.resolve();
		assertThat(configuration.properties().getDrainDelay()).isEqualTo(Duration.ofMillis(millis));
		assertThat(configuration.get("drain-delay").source().toString()).isEqualTo("TWELVEFACTOR_DRAIN_DELAY");
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "five", "2 days", "1.5" })
	void drainDelayRejectsNegativeMalformedAndHugeDurations(String value) {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_DRAIN_DELAY", value)
			.resolve();
		assertThat(configuration.invalidValues()).extracting(InvalidValue::name)
			.containsExactly("TWELVEFACTOR_DRAIN_DELAY");
	}

	@Test
	void stopLongerThanThePlatformsGracePeriodWarns() {
		EffectiveConfiguration heroku = TestEnvironments.create()
			.variable("DYNO", "web.1")
			.variable("TWELVEFACTOR_DRAIN_DELAY", "5")
			.resolve();
		assertThat(heroku.warnings()).containsExactly("Drain delay 5s + graceful timeout 30s = 35s is longer than "
				+ "the 30s that Heroku waits between SIGTERM and SIGKILL: requests still running then are cut off");
		EffectiveConfiguration withinIt = TestEnvironments.create()
			.variable("DYNO", "web.1")
			.variable("TWELVEFACTOR_DRAIN_DELAY", "5")
			.variable("TWELVEFACTOR_GRACEFUL_TIMEOUT", "25")
			.variable("GUNICORN_TIMEOUT", "25")
			.resolve();
		assertThat(withinIt.warnings()).isEmpty();
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

	@Test
	void canonicalVariablesAreReadInAnyCaseWithoutAWarning() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("twelvefactor_workers", "7")
			.variable("twelvefactor_graceful_timeout", "90")
			.resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.of(7));
		assertThat(configuration.properties().getGracefulTimeout()).hasSeconds(90);
		assertThat(configuration.get("workers").source().name()).isEqualTo("twelvefactor_workers");
		assertThat(configuration.warnings()).isEmpty();
	}

	@Test
	void exactUpperCaseCanonicalVariableWinsOverAnotherSpellingOfIt() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("twelvefactor_workers", "7")
			.variable("TWELVEFACTOR_WORKERS", "4")
			.resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.of(4));
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1:8000", ":8000", "[::1]:8000" })
	void portWithAnAddressIsRefusedPointingToTheBindVariable(String value) {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("PORT", value).resolve();
		assertThat(configuration.invalidValues()).singleElement().satisfies((invalid) -> {
			assertThat(invalid.name()).isEqualTo("PORT");
			assertThat(invalid.value()).isEqualTo(value);
			assertThat(invalid.reason()).contains("accepted: a port from 1 to 65535; PORT sets the port only")
				.doesNotContain("host:port");
			assertThat(invalid.action()).contains("TWELVEFACTOR_BIND=127.0.0.1:8000").contains("unset PORT");
		});
	}

	@Test
	void loggersWithALevelOfTheirOwnAreFoundWithTheSourceThatWins() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("LOG_LEVEL", "warning")
			.variable("LOGGING_LEVEL_COM_EXAMPLE", "debug")
			.variable("LOGGING_LEVEL_ROOT", "error")
			.property("logging.level.org.springframework", "info")
			.property("logging.level.org.hibernate.SQL", "false")
			.arguments("--logging.level.com.example=trace")
			.resolve();
		assertThat(configuration.loggerLevels()).extracting(LoggerLevel::toString)
			.containsExactly("com.example keeps TRACE (--logging.level.com.example)",
					"org.springframework keeps INFO (logging.level.org.springframework)",
					"org.hibernate.SQL keeps OFF (logging.level.org.hibernate.SQL)");
	}

	@Test
	void acceptedValuesAreShownWithInvisibleCharactersEscaped() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("TWELVEFACTOR_ACCESS_LOG_EXCLUDE", "/health\u001bX|\u200b/x")
			.resolve();
		assertThat(configuration.invalidValues()).isEmpty();
		assertThat(configuration.get("access-log-exclude").display()).isEqualTo("/health\\u001bX|\\u200b/x");
	}

	@Test
	void noBreakSpaceIsNotTrimmedAndIsShownEscaped() {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("WEB_CONCURRENCY", "4\u00a0").resolve();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((invalid) -> assertThat(invalid.describe()).startsWith("WEB_CONCURRENCY=\"4\\u00a0\""));
	}

	@Test
	void effectiveConfigurationIsFoundInThePreparedEnvironment() {
		StandardEnvironment environment = TestEnvironments.create().variable("WEB_CONCURRENCY", "4").prepare();
		assertThat(EffectiveConfiguration.find(environment)).isNotNull()
			.satisfies((configuration) -> assertThat(configuration.properties().getWorkers())
				.isEqualTo(Workers.of(4)));
		assertThat(EffectiveConfiguration.get(environment)).isSameAs(EffectiveConfiguration.find(environment));
	}

	@Test
	void checkModeStartsTheApplicationWithoutAServerOrEagerBeans() {
		StandardEnvironment environment = TestEnvironments.create().variable("TWELVEFACTOR_CHECK", "true").prepare();
		assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
		assertThat(environment.getProperty("spring.main.lazy-initialization")).isEqualTo("true");
	}

}
