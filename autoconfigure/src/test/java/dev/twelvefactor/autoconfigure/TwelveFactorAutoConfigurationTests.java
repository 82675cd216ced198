package dev.twelvefactor.autoconfigure;

import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.InvalidConfigurationException;
import dev.twelvefactor.lifecycle.ServerLifecycle;
import dev.twelvefactor.tomcat.TwelveFactorTomcatCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TwelveFactorAutoConfiguration}.
 *
 * @author twelvefactor
 */
class TwelveFactorAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TwelveFactorAutoConfiguration.class));

	@Test
	void providesTheEffectiveConfigurationTheReportAndTheTomcatCustomizer() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=7").run((context) -> {
			assertThat(context).hasSingleBean(EffectiveConfiguration.class)
				.hasSingleBean(ServerLifecycle.class)
				.hasSingleBean(TwelveFactorTomcatCustomizer.class)
				.hasSingleBean(TwelveFactorProperties.class);
			assertThat(context.getBean(EffectiveConfiguration.class).workers()).isEqualTo(7);
			assertThat(context.getBean(TwelveFactorProperties.class).getWorkers()).isEqualTo(7);
		});
	}

	@Test
	void backsOffFromTomcatWhenTomcatIsAbsent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Tomcat.class))
			.run((context) -> assertThat(context).hasSingleBean(EffectiveConfiguration.class)
				.doesNotHaveBean(TwelveFactorTomcatCustomizer.class));
	}

	@Test
	void backsOffFromTomcatOutsideAServletWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TwelveFactorAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(EffectiveConfiguration.class)
				.doesNotHaveBean(TwelveFactorTomcatCustomizer.class));
	}

	@Test
	void backsOffFromTheTomcatCustomizerTheUserDefines() {
		this.contextRunner.withUserConfiguration(UserCustomizerConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(TwelveFactorTomcatCustomizer.class)
				.hasBean("userCustomizer"));
	}

	@Test
	void failsWithEveryInvalidValueWhenOnInvalidIsFail() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=0", "twelvefactor.timeout=soon")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationException.class)
				.hasMessageContaining("twelvefactor.workers=\"0\"")
				.hasMessageContaining("twelvefactor.timeout=\"soon\""));
	}

	@Test
	void startsWithDefaultsWhenOnInvalidIsDefault() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=0", "twelvefactor.on-invalid=default")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(EffectiveConfiguration.class).workers())
					.isEqualTo(Math.max(3, 2 * Runtime.getRuntime().availableProcessors() + 1));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserCustomizerConfiguration {

		@Bean
		TwelveFactorTomcatCustomizer userCustomizer(EffectiveConfiguration configuration) {
			return new TwelveFactorTomcatCustomizer(configuration);
		}

	}

}
