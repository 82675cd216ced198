package dev.twelvefactor.config;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The variables of Gunicorn's official image and the flags of {@code GUNICORN_CMD_ARGS}
 * and {@code GUNICORN_ARGS}: what they set, where they stand in the precedence, and what
 * becomes of a flag with no meaning here or a bad value.
 *
 * @author twelvefactor
 */
class GunicornVariablesTests {

	@Test
	void commandArgumentsSetTheSettingsTheirFlagsMapToNamingTheFlag() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS", "--workers 3 --timeout=45 -b 127.0.0.1:9000 --log-level warning "
					+ "--graceful-timeout 50 --keep-alive 5 --threads 2 --backlog 64 --access-logfile - "
					+ "--error-logfile - --forwarded-allow-ips=10.0.0.0/8 --limit-request-line 2048 "
					+ "--limit-request-fields 50 --limit-request-field_size 4096")
			.resolve();
		assertThat(configuration.invalidValues()).isEmpty();
		assertThat(configuration.warnings()).isEmpty();
		assertSetting(configuration, "workers", "3", "GUNICORN_CMD_ARGS --workers");
		assertSetting(configuration, "timeout", "45s", "GUNICORN_CMD_ARGS --timeout");
		assertSetting(configuration, "bind", "127.0.0.1:9000", "GUNICORN_CMD_ARGS -b");
		assertSetting(configuration, "log-level", "warn", "GUNICORN_CMD_ARGS --log-level");
		assertSetting(configuration, "graceful-timeout", "50s", "GUNICORN_CMD_ARGS --graceful-timeout");
		assertSetting(configuration, "keep-alive", "5s", "GUNICORN_CMD_ARGS --keep-alive");
		assertSetting(configuration, "threads", "2", "GUNICORN_CMD_ARGS --threads");
		assertSetting(configuration, "backlog", "64", "GUNICORN_CMD_ARGS --backlog");
		assertSetting(configuration, "access-log", "stdout", "GUNICORN_CMD_ARGS --access-logfile");
		assertSetting(configuration, "error-log", "stderr", "GUNICORN_CMD_ARGS --error-logfile");
		assertSetting(configuration, "forwarded-allow-ips", "10.0.0.0/8", "GUNICORN_CMD_ARGS --forwarded-allow-ips");
		assertSetting(configuration, "limit-request-line", "2048", "GUNICORN_CMD_ARGS --limit-request-line");
		assertSetting(configuration, "limit-request-fields", "50", "GUNICORN_CMD_ARGS --limit-request-fields");
		assertSetting(configuration, "limit-request-field-size", "4096",
				"GUNICORN_CMD_ARGS --limit-request-field_size");
	}

	@Test
	void certificateFlagsSetTheCertificateTheKeyAndTheClientCertificateAuthority() throws Exception {
		String certificate = testFile("ssl/test-cert.pem");
		String key = testFile("ssl/test-key.pem");
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS",
					"--certfile " + certificate + " --keyfile=" + key + " --ca-certs '" + certificate + "'")
			.resolve();
		assertThat(configuration.invalidValues()).isEmpty();
		// The test certificate names no host, which only a warning of its own says
		assertThat(configuration.warnings()).allSatisfy((warning) -> assertThat(warning).contains("names no host"));
		assertThat(configuration.get("ssl.certfile").source().name()).isEqualTo("GUNICORN_CMD_ARGS --certfile");
		assertThat(configuration.get("ssl.keyfile").source().name()).isEqualTo("GUNICORN_CMD_ARGS --keyfile");
		assertThat(configuration.get("ssl.ca-certs").source().name()).isEqualTo("GUNICORN_CMD_ARGS --ca-certs");
		assertThat(configuration.properties().getSsl().getCertfile()).isEqualTo(certificate);
		assertThat(configuration.properties().getSsl().getKeyfile()).isEqualTo(key);
		assertThat(configuration.properties().getSsl().getCaCerts()).isEqualTo(certificate);
	}

	@Test
	void shortFlagsTakeTheirValueAttachedOrNext() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS", "-w4 -t 30")
			.resolve();
		assertSetting(configuration, "workers", "4", "GUNICORN_CMD_ARGS -w");
		assertThat(configuration.properties().getTimeout()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void lastOfARepeatedFlagWinsAsInGunicorn() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS", "--workers 3 -w 5")
			.resolve();
		assertSetting(configuration, "workers", "5", "GUNICORN_CMD_ARGS -w");
	}

	@Test
	void accessLogFormatIsQuotedAsInAShellAndTranslatedToTomcatsElements() {
		EffectiveConfiguration combined = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS",
					"--access-logformat '%(h)s %(l)s %(u)s %(t)s \"%(r)s\" %(s)s %(b)s \"%(f)s\" \"%(a)s\"'")
			.resolve();
		assertSetting(combined, "access-log-format", "combined", "GUNICORN_CMD_ARGS --access-logformat");
		EffectiveConfiguration pattern = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS", "--access-logformat \"%(h)s %(r)s %(s)s %(M)s %({X-Request-Id}i)s\"")
			.resolve();
		assertThat(pattern.get("access-log-format").display()).isEqualTo("%h %r %s %{ms}T %{X-Request-Id}i");
	}

	@Test
	void accessLogFormatWithAnAtomTomcatCannotWriteIsIgnoredWithAWarning() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS", "--access-logformat '%(p)s %(r)s'")
			.resolve();
		assertThat(configuration.get("access-log-format").display()).isEqualTo("combined");
		assertThat(configuration.warnings()).singleElement()
			.asString()
			.contains("GUNICORN_CMD_ARGS --access-logformat \"%(p)s %(r)s\"")
			.contains("TWELVEFACTOR_ACCESS_LOG_FORMAT");
	}

	@Test
	void flagsWithNoMeaningHereGetAWarningNamingThemAndTheirValuesAreSkipped() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS",
					"--preload -k gevent --max-requests=1000 --max-requests-jitter 50 --workers 2 --statsd-host x:1 app:app")
			.resolve();
		assertSetting(configuration, "workers", "2", "GUNICORN_CMD_ARGS --workers");
		assertThat(configuration.warnings()).containsExactly(
				"GUNICORN_CMD_ARGS --preload has no meaning for twelvefactor and is ignored",
				"GUNICORN_CMD_ARGS -k has no meaning for twelvefactor and is ignored",
				"GUNICORN_CMD_ARGS --max-requests has no meaning for twelvefactor and is ignored",
				"GUNICORN_CMD_ARGS --max-requests-jitter has no meaning for twelvefactor and is ignored",
				"GUNICORN_CMD_ARGS --statsd-host has no meaning for twelvefactor and is ignored",
				"GUNICORN_CMD_ARGS: \"app:app\" is not a flag and is ignored (the application is the jar's)");
	}

	@Test
	void malformedValueIsInvalidNamingTheVariableAndTheFlag() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS", "--workers lots --timeout -5")
			.resolve();
		assertThat(configuration.invalidValues()).extracting(InvalidValue::describe)
			.containsExactly(
					"GUNICORN_CMD_ARGS --workers=\"lots\": not a whole number; accepted: auto, or a whole number from 1 to 10000",
					"GUNICORN_CMD_ARGS --timeout=\"-5\": negative; accepted: " + Values.DURATION_ACCEPTED);
		assertThat(configuration.failsStart()).isTrue();
	}

	@Test
	void flagWithoutAValueIsInvalidAndStopsTheVariablesBelow() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS", "--workers --timeout 10")
			.variable("WEB_CONCURRENCY", "4")
			.resolve();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((value) -> assertThat(value.describe())
				.startsWith("GUNICORN_CMD_ARGS --workers=(not set): no value given"));
		assertThat(configuration.properties().getTimeout()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void unclosedQuotationIsInvalid() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS", "--workers 2 --access-logformat '%(h)s")
			.resolve();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((value) -> assertThat(value.name())
				.isEqualTo("GUNICORN_CMD_ARGS --access-logformat (no closing quotation)"));
	}

	@Test
	void gunicornListensOnEveryBindButTheStarterOnTheFirstAndSaysSo() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS", "-b 127.0.0.1:9000 --bind [::1]:9000")
			.resolve();
		assertThat(configuration.get("bind").display()).isEqualTo("127.0.0.1:9000");
		assertThat(configuration.warnings()).singleElement()
			.asString()
			.contains("--bind \"[::1]:9000\" is ignored: twelvefactor listens on one address, the first");
	}

	@Test
	void checkConfigFlagIsCheckMode() {
		assertThat(TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS", "--check-config")
			.resolve()
			.properties()
			.isCheck()).isTrue();
	}

	@Test
	void imageArgumentsAreSplitOnWhiteSpaceAsTheImagesEntryPointDoes() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_ARGS", "--timeout 120 --access-logfile -")
			.resolve();
		assertSetting(configuration, "timeout", "120s", "GUNICORN_ARGS --timeout");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = ';', value = { "GUNICORN_BIND=127.0.0.1:9000;127.0.0.1:9000;GUNICORN_BIND",
			"GUNICORN_PORT=9001;0.0.0.0:9001;GUNICORN_PORT",
			"GUNICORN_HOST=127.0.0.1;127.0.0.1:8000;GUNICORN_HOST",
			"GUNICORN_HOST=::1;[::1]:8000;GUNICORN_HOST",
			"GUNICORN_HOST=127.0.0.1,GUNICORN_PORT=9002;127.0.0.1:9002;GUNICORN_HOST, GUNICORN_PORT",
			"GUNICORN_BIND=127.0.0.1:9003,GUNICORN_PORT=9002;127.0.0.1:9003;GUNICORN_BIND",
			"GUNICORN_PORT=9004,PORT=9005;0.0.0.0:9004;GUNICORN_PORT" })
	void imageVariablesSetTheBindAsTheImageDoes(String variables, String bind, String source) {
		TestEnvironments environment = TestEnvironments.create();
		for (String variable : variables.split(",")) {
			environment.variable(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
		}
		EffectiveConfiguration configuration = environment.resolve();
		assertSetting(configuration, "bind", bind, source);
	}

	@Test
	void gunicornPortTakesAPortOnly() {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("GUNICORN_PORT", "80x").resolve();
		assertThat(configuration.invalidValues()).singleElement()
			.satisfies((value) -> assertThat(value.describe()).startsWith("GUNICORN_PORT=\"80x\": not a whole number")
				.contains("GUNICORN_PORT sets the port only"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = ';', value = {
			"TWELVEFACTOR_WORKERS=7,GUNICORN_ARGS=-w 6,GUNICORN_WORKERS=5,GUNICORN_CMD_ARGS=-w 4,WEB_CONCURRENCY=3;7;TWELVEFACTOR_WORKERS",
			"GUNICORN_ARGS=-w 6,GUNICORN_WORKERS=5,GUNICORN_CMD_ARGS=-w 4,WEB_CONCURRENCY=3;6;GUNICORN_ARGS -w",
			"GUNICORN_WORKERS=5,GUNICORN_CMD_ARGS=-w 4,WEB_CONCURRENCY=3;5;GUNICORN_WORKERS",
			"GUNICORN_CMD_ARGS=-w 4,WEB_CONCURRENCY=3;4;GUNICORN_CMD_ARGS -w",
			"GUNICORN_CMD_ARGS=--timeout 9,WEB_CONCURRENCY=3;3;WEB_CONCURRENCY" })
	void precedenceFollowsGunicornsCommandLineThenCommandArgumentsThenItsVariables(String variables, String workers,
			String source) {
		TestEnvironments environment = TestEnvironments.create();
		for (String variable : variables.split(",")) {
			environment.variable(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
		}
		assertSetting(environment.resolve(), "workers", workers, source);
	}

	@Test
	void applicationPropertiesLoseToGunicornsVariables() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("GUNICORN_CMD_ARGS", "--workers 4")
			.property("twelvefactor.workers", "9")
			.resolve();
		assertSetting(configuration, "workers", "4", "GUNICORN_CMD_ARGS --workers");
	}

	@Test
	void nearMissOfAGunicornVariableGetsADidYouMean() {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("GUNICORN_WORKER", "4").resolve();
		assertThat(configuration.warnings()).singleElement().asString().contains("did you mean GUNICORN_WORKERS?");
	}

	@Test
	void endpointListsTheImageVariablesOfASetting() {
		assertThat(Setting.named("workers").variables()).containsExactly("TWELVEFACTOR_WORKERS", "GUNICORN_WORKERS",
				"WEB_CONCURRENCY");
		assertThat(Setting.named("bind").variables()).containsExactly("TWELVEFACTOR_BIND", "GUNICORN_BIND",
				"GUNICORN_HOST", "GUNICORN_PORT", "PORT");
	}

	private static String testFile(String name) throws Exception {
		return Path.of(GunicornVariablesTests.class.getClassLoader().getResource(name).toURI()).toString();
	}

	private static void assertSetting(EffectiveConfiguration configuration, String name, String display,
			String source) {
		ConfiguredValue value = configuration.get(name);
		assertThat(value.display()).as(name).isEqualTo(display);
		assertThat(value.source().name()).as(name).isEqualTo(source);
		assertThat(value.source().kind()).as(name).isEqualTo(SettingSource.Kind.ENVIRONMENT_VARIABLE);
	}

}
