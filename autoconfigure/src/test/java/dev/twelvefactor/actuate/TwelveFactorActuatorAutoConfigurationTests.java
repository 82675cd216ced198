package dev.twelvefactor.actuate;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.env.MockEnvironment;

import dev.twelvefactor.autoconfigure.TwelveFactorAutoConfiguration;
import dev.twelvefactor.config.EffectiveConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TwelveFactorActuatorAutoConfiguration}.
 *
 * @author twelvefactor
 */
class TwelveFactorActuatorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TwelveFactorAutoConfiguration.class,
				TwelveFactorActuatorAutoConfiguration.class));

	private final ApplicationContextRunner metricsContextRunner = this.contextRunner.withConfiguration(
			AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class));

	@Test
	void registersTheEndpointWhenItIsExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=twelvefactor")
			.run((context) -> assertThat(context).hasSingleBean(TwelveFactorEndpoint.class));
	}

	@Test
	void leavesTheEndpointOutWhenItIsNotExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(TwelveFactorEndpoint.class));
	}

	@Test
	void leavesTheEndpointOutWhenItsAccessIsNone() {
		// As SpringApplication does, so that the access level binds in lower case
		this.contextRunner
			.withInitializer((context) -> context.getEnvironment()
				.setConversionService(new ApplicationConversionService()))
			.withPropertyValues("management.endpoints.web.exposure.include=twelvefactor",
					"management.endpoint.twelvefactor.access=none")
			.run((context) -> assertThat(context).doesNotHaveBean(TwelveFactorEndpoint.class));
	}

	@Test
	void backsOffFromTheEndpointTheUserDefines() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=twelvefactor")
			.withBean("userEndpoint", TwelveFactorEndpoint.class,
					() -> new TwelveFactorEndpoint(EffectiveConfiguration.get(new MockEnvironment()), () -> null,
							() -> null))
			.run((context) -> assertThat(context).hasSingleBean(TwelveFactorEndpoint.class).hasBean("userEndpoint"));
	}

	@Test
	void backsOffWithoutTheActuator() {
		this.metricsContextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=twelvefactor")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(EffectiveConfiguration.class)
				.hasSingleBean(TwelveFactorMetrics.class)
				.doesNotHaveBean(TwelveFactorEndpoint.class)
				.doesNotHaveBean("twelveFactorSanitizingFunction"));
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.withPropertyValues("management.endpoints.web.exposure.include=twelvefactor")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(EffectiveConfiguration.class)
				.hasSingleBean(TwelveFactorEndpoint.class)
				.doesNotHaveBean(TwelveFactorMetrics.class));
	}

	@Test
	void backsOffFromMetricsWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TwelveFactorMetrics.class));
	}

	@Test
	void registersGaugesOfTheConfiguredConcurrencyAndTimeout() {
		this.metricsContextRunner
			.withPropertyValues("twelvefactor.workers=7", "twelvefactor.threads=2", "twelvefactor.timeout=90")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("twelvefactor.workers").gauge().value()).isEqualTo(7);
				assertThat(registry.get("twelvefactor.threads.max").gauge().value()).isEqualTo(14);
				assertThat(registry.get("twelvefactor.threads.max").gauge().getId().getBaseUnit())
					.isEqualTo("threads");
				assertThat(registry.get("twelvefactor.timeout").gauge().value()).isEqualTo(90);
				assertThat(registry.get("twelvefactor.timeout").gauge().getId().getBaseUnit()).isEqualTo("seconds");
				assertThat(registry.find("twelvefactor.requests.deadline.exceeded").meter()).isNull();
				assertThat(registry.find("twelvefactor.requests.active").meter()).isNull();
				assertThat(registry.find("twelvefactor.threads.stuck").meter()).isNull();
			});
	}

	@Test
	void registersRequestMetersFromRequestStatistics() {
		this.metricsContextRunner
			.withBean(RequestStatistics.class,
					() -> TwelveFactorEndpointTests.FixedRequestStatistics.of(3, 12, 1))
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("twelvefactor.requests.limit").gauge().value()).isEqualTo(5);
				assertThat(registry.get("twelvefactor.requests.waiting").gauge().value()).isEqualTo(2);
				assertThat(registry.get("twelvefactor.requests.shed").tag("reason", "backlog").functionCounter().count())
					.isEqualTo(7);
				assertThat(registry.get("twelvefactor.requests.shed").tag("reason", "wait").functionCounter().count())
					.isEqualTo(4);
				assertThat(registry.get("twelvefactor.requests.queue.wait").functionTimer().count()).isEqualTo(20);
				assertThat(registry.get("twelvefactor.requests.queue.wait").functionTimer().totalTime(TimeUnit.SECONDS))
					.isEqualTo(3.0);
				assertThat(registry.get("twelvefactor.requests.deadline.exceeded").functionCounter().count())
					.isEqualTo(12);
				assertThat(registry.get("twelvefactor.requests.active").gauge().value()).isEqualTo(3);
				assertThat(registry.get("twelvefactor.threads.stuck").gauge().value()).isEqualTo(1);
			});
	}

	@Test
	void sanitizingFunctionMasksCredentialsButNotPaths() {
		this.contextRunner.run((context) -> {
			SanitizingFunction function = context.getBean("twelveFactorSanitizingFunction", SanitizingFunction.class);
			MapPropertySource source = new MapPropertySource("test", Map.of());
			assertThat(function.applyUnlessFiltered(new SanitizableData(source, "spring.datasource.password", "hunter2"))
				.getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function.applyUnlessFiltered(new SanitizableData(source, "DB_PASSWORD", "hunter2")).getValue())
				.isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function.applyUnlessFiltered(new SanitizableData(source, "API_TOKEN", "t")).getValue())
				.isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function.applyUnlessFiltered(new SanitizableData(source, "my.credentials.user", "u")).getValue())
				.isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function.applyUnlessFiltered(new SanitizableData(source, "SSL_KEYFILE", "/etc/tls/key.pem"))
				.getValue()).isEqualTo("/etc/tls/key.pem");
			assertThat(function.applyUnlessFiltered(new SanitizableData(source, "WEB_CONCURRENCY", "7")).getValue())
				.isEqualTo("7");
		});
	}

	@Test
	void sanitizingFunctionMasksSecretsCarriedInValues() {
		this.contextRunner.run((context) -> {
			SanitizingFunction function = context.getBean("twelveFactorSanitizingFunction", SanitizingFunction.class);
			MapPropertySource source = new MapPropertySource("test", Map.of());
			assertThat(function.applyUnlessFiltered(new SanitizableData(source, "AMQP_CONNECTION", "amqp://u:pw@h"))
				.getValue()).isEqualTo("amqp://******@h");
			assertThat(function
				.applyUnlessFiltered(new SanitizableData(source, "JAVA_TOOL_OPTIONS",
						"-Xss1m -Dspring.datasource.password=hunter2"))
				.getValue()).isEqualTo("-Xss1m -Dspring.datasource.password=******");
			assertThat(function.applyUnlessFiltered(new SanitizableData(source, "REDIS_PASSWD", "hunter2")).getValue())
				.isEqualTo(SanitizableData.SANITIZED_VALUE);
			assertThat(function.applyUnlessFiltered(new SanitizableData(source, "server.port", 8080)).getValue())
				.isEqualTo(8080);
		});
	}

	@Test
	void endpointsAreReadOnlyUnlessAskedFor() {
		ApplicationContextRunner runner = this.contextRunner
			.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
			.withInitializer((context) -> context.getEnvironment()
				.setConversionService(new ApplicationConversionService()));
		runner.run((context) -> {
			EndpointAccessResolver resolver = context.getBean(EndpointAccessResolver.class);
			assertThat(resolver).isInstanceOf(ReadOnlyByDefaultAccessResolver.class);
			assertThat(resolver.accessFor(EndpointId.of("loggers"), Access.UNRESTRICTED)).isEqualTo(Access.READ_ONLY);
			assertThat(resolver.accessFor(EndpointId.of("shutdown"), Access.NONE)).isEqualTo(Access.NONE);
		});
		runner.withPropertyValues("management.endpoint.loggers.access=unrestricted").run((context) -> {
			EndpointAccessResolver resolver = context.getBean(EndpointAccessResolver.class);
			assertThat(resolver.accessFor(EndpointId.of("loggers"), Access.UNRESTRICTED))
				.isEqualTo(Access.UNRESTRICTED);
			assertThat(resolver.accessFor(EndpointId.of("caches"), Access.UNRESTRICTED)).isEqualTo(Access.READ_ONLY);
		});
	}

}
