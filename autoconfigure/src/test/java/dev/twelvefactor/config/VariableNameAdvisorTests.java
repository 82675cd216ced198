package dev.twelvefactor.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link VariableNameAdvisor}: its warnings agree with what runs.
 *
 * @author twelvefactor
 */
class VariableNameAdvisorTests {

	@ParameterizedTest
	@ValueSource(strings = { "twelvefactor_workers", "Twelvefactor_Workers", "twelvefactor__workers",
			"TWELVEFACTOR_WORKERS_", "twelvefactor.workers" })
	void spellingThatSpringBootReadsIsAppliedAndNotCalledIgnored(String variable) {
		EffectiveConfiguration configuration = TestEnvironments.create().variable(variable, "7").resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.of(7));
		assertThat(configuration.get("workers").source().name()).isEqualTo(variable);
		assertThat(configuration.warnings()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "TWELVEFACTOR-WORKERS", "twelvefactor-workers" })
	void spellingThatNothingReadsIsFlaggedAndNotApplied(String variable) {
		EffectiveConfiguration configuration = TestEnvironments.create().variable(variable, "7").resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.AUTO);
		assertThat(configuration.warnings()).containsExactly("Environment variable \"" + variable
				+ "\" is not read by twelvefactor; did you mean TWELVEFACTOR_WORKERS?");
	}

	@Test
	void lowerCaseConventionalVariableIsNeitherAppliedNorCalledRead() {
		EffectiveConfiguration configuration = TestEnvironments.create().variable("web_concurrency", "7").resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.AUTO);
		assertThat(configuration.warnings()).containsExactly(
				"Environment variable \"web_concurrency\" is not read by twelvefactor; did you mean WEB_CONCURRENCY?");
	}

	@Test
	void portAndBindBothSetWarnNamingBothAndWhichWins() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("PORT", "9000")
			.variable("TWELVEFACTOR_BIND", "127.0.0.1:8000")
			.resolve();
		assertThat(configuration.properties().getBind()).isEqualTo(new Bind("127.0.0.1", 8000));
		assertThat(configuration.warnings()).containsExactly("Environment variables TWELVEFACTOR_BIND and PORT both "
				+ "set twelvefactor.bind: TWELVEFACTOR_BIND wins and PORT is ignored");
	}

	@Test
	void portAndBindThatAgreeDoNotWarn() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("PORT", "8000")
			.variable("TWELVEFACTOR_BIND", " :8000")
			.resolve();
		assertThat(configuration.warnings()).isEmpty();
	}

	@Test
	void canonicalAndConventionalVariablesWithDifferentValuesWarn() {
		EffectiveConfiguration configuration = TestEnvironments.create()
			.variable("WEB_CONCURRENCY", "3")
			.variable("TWELVEFACTOR_WORKERS", "9")
			.variable("LOG_LEVEL", "info")
			.variable("TWELVEFACTOR_LOG_LEVEL", "info")
			.resolve();
		assertThat(configuration.properties().getWorkers()).isEqualTo(Workers.of(9));
		assertThat(configuration.warnings()).containsExactly("Environment variables TWELVEFACTOR_WORKERS and "
				+ "WEB_CONCURRENCY both set twelvefactor.workers: TWELVEFACTOR_WORKERS wins and WEB_CONCURRENCY "
				+ "is ignored");
	}

}
