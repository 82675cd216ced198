package dev.twelvefactor.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TwelveFactorEnvironmentPostProcessor}.
 *
 * @author twelvefactor
 */
class TwelveFactorEnvironmentPostProcessorTests {

	@ParameterizedTest
	@ValueSource(strings = { "false", "FALSE", " false " })
	void offSwitchLeavesTheEnvironmentAsItWas(String enabled) {
		StandardEnvironment environment = TestEnvironments.create()
			.variable("TWELVEFACTOR_ENABLED", enabled)
			.variable("PORT", "9000")
			.variable("LOG_LEVEL", "error")
			.build();
		int sources = environment.getPropertySources().size();
		new TwelveFactorEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getPropertySources().size()).isEqualTo(sources);
		assertThat(EffectiveConfiguration.find(environment)).isNull();
		assertThat(environment.getProperty("server.port")).isNull();
		assertThat(environment.getProperty("logging.level.root")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "", "yes" })
	void anythingButFalseLeavesTheStarterOn(String enabled) {
		StandardEnvironment environment = TestEnvironments.create()
			.variable("TWELVEFACTOR_ENABLED", enabled)
			.variable("PORT", "9000")
			.build();
		new TwelveFactorEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		assertThat(EffectiveConfiguration.find(environment)).isNotNull();
		assertThat(environment.getProperty("server.port")).isEqualTo("9000");
	}

}
