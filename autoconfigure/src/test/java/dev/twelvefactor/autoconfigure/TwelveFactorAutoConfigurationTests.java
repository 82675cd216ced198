package dev.twelvefactor.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.TwelveFactorProperties;
import dev.twelvefactor.config.Workers;
import dev.twelvefactor.lifecycle.ServerLifecycle;
import dev.twelvefactor.tomcat.AdmissionControl;
import dev.twelvefactor.tomcat.RequestAdmissionCustomizer;
import dev.twelvefactor.tomcat.RequestDrain;

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
				.hasSingleBean(RequestAdmissionCustomizer.class)
				.hasSingleBean(TwelveFactorProperties.class);
			assertThat(context.getBean(TwelveFactorProperties.class).getWorkers()).isEqualTo(Workers.of(7));
		});
	}

	@Test
	void propertiesBeanIsTheEffectiveConfigurationsOwnInstance() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=7").run((context) -> assertThat(
				context.getBean(TwelveFactorProperties.class))
			.isSameAs(context.getBean(EffectiveConfiguration.class).properties()));
	}

	@Test
	void springBootsBindingOfThePropertiesBeanKeepsTheValuesTheStarterWorkedOut() {
		// Spring's own conversion would take 0x10 as 16 and 7 threads as valid
		this.contextRunner
			.withPropertyValues("twelvefactor.workers=0x10", "twelvefactor.threads=2000", "twelvefactor.timeout=-5s",
					"twelvefactor.on-invalid=default")
			.run((context) -> {
				TwelveFactorProperties properties = context.getBean(TwelveFactorProperties.class);
				assertThat(properties.getWorkers())
					.isEqualTo(Workers.of(Math.max(3, 2 * Runtime.getRuntime().availableProcessors() + 1)));
				assertThat(properties.getThreads()).isOne();
				assertThat(properties.getTimeout()).hasSeconds(60);
			});
	}

	@Test
	void switchedOffByTheEnabledProperty() {
		this.contextRunner.withPropertyValues("twelvefactor.enabled=false", "twelvefactor.workers=banana")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EffectiveConfiguration.class)
				.doesNotHaveBean(TwelveFactorProperties.class)
				.doesNotHaveBean(AdmissionControl.class));
	}

	@Test
	void backsOffFromTomcatWhenTomcatIsAbsent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Tomcat.class))
			.run((context) -> assertThat(context).hasSingleBean(EffectiveConfiguration.class)
				.doesNotHaveBean(RequestAdmissionCustomizer.class));
	}

	@Test
	void backsOffFromTomcatOutsideAServletWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TwelveFactorAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(EffectiveConfiguration.class)
				.doesNotHaveBean(RequestAdmissionCustomizer.class));
	}

	@Test
	void backsOffFromTheTomcatCustomizerTheUserDefines() {
		this.contextRunner.withUserConfiguration(UserCustomizerConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(RequestAdmissionCustomizer.class)
				.hasBean("userCustomizer"));
	}

	@Test
	void failsWithEveryInvalidValueWhenOnInvalidIsFail() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=0", "twelvefactor.timeout=soon")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageStartingWith("Invalid twelvefactor configuration")
				.hasMessageContaining("twelvefactor.workers=\"0\"")
				.hasMessageContaining("twelvefactor.timeout=\"soon\""));
	}

	@Test
	void startsWithDefaultsWhenOnInvalidIsDefault() {
		this.contextRunner.withPropertyValues("twelvefactor.workers=0", "twelvefactor.on-invalid=default")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(TwelveFactorProperties.class).getWorkers())
					.isEqualTo(Workers.of(Math.max(3, 2 * Runtime.getRuntime().availableProcessors() + 1)));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserCustomizerConfiguration {

		@Bean
		RequestAdmissionCustomizer userCustomizer(EffectiveConfiguration configuration) {
			AdmissionControl admission = new AdmissionControl(1, 1, Duration.ofSeconds(1), (live) -> {
			});
			return new RequestAdmissionCustomizer(configuration, admission, new RequestDrain(admission), List.of());
		}

	}

}
