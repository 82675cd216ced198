package dev.twelvefactor.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.twelvefactor.autoconfigure.TwelveFactorAutoConfiguration;
import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.tomcat.AdmissionControl;
import dev.twelvefactor.tomcat.ServerCertificate;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@code twelvefactor} actuator endpoint and the starter's
 * meters, each used only when its library is on the class path.
 *
 * @author twelvefactor
 */
@AutoConfiguration(after = TwelveFactorAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(EffectiveConfiguration.class)
public final class TwelveFactorActuatorAutoConfiguration {

	@Bean
	@ConditionalOnBean(AdmissionControl.class)
	@ConditionalOnMissingBean
	RequestStatistics twelveFactorRequestStatistics(AdmissionControl admission) {
		return new AdmissionStatistics(admission);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		TwelveFactorEndpoint twelveFactorEndpoint(EffectiveConfiguration configuration, ApplicationContext context,
				ObjectProvider<RequestStatistics> statistics, ObjectProvider<ServerCertificate> certificate) {
			return new TwelveFactorEndpoint(configuration, ServerInspector.of(context), statistics::getIfUnique, () -> {
				ServerCertificate served = certificate.getIfUnique();
				return (served != null) ? served.current() : null;
			});
		}

		/**
		 * With {@code show-values} at {@code always} or {@code when-authorized}, Spring Boot
		 * masks only what a {@link SanitizingFunction} masks: keep credentials out of
		 * {@code env} and {@code configprops}.
		 * @return the sanitizing function
		 */
		@Bean
		SanitizingFunction twelveFactorSanitizingFunction() {
			return SanitizingFunction.sanitizeValue().ifLikelySensitive();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TwelveFactorMetrics twelveFactorMetrics(EffectiveConfiguration configuration,
				ObjectProvider<RequestStatistics> statistics) {
			return new TwelveFactorMetrics(configuration, statistics::getIfUnique);
		}

		/**
		 * Tomcat's thread-pool meters without Tomcat's MBean registry, which Spring Boot's
		 * own need.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(TomcatWebServer.class)
		@ConditionalOnBooleanProperty(name = "server.tomcat.mbeanregistry.enabled", havingValue = false,
				matchIfMissing = true)
		static class TomcatThreadMetricsConfiguration {

			@Bean
			TomcatThreadMetrics twelveFactorTomcatThreadMetrics(MeterRegistry registry) {
				return new TomcatThreadMetrics(registry);
			}

		}

	}

}
