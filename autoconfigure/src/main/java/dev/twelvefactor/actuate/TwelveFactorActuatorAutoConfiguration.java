package dev.twelvefactor.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.PropertiesEndpointAccessResolver;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.twelvefactor.autoconfigure.TwelveFactorAutoConfiguration;
import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.SensitiveNames;
import dev.twelvefactor.tomcat.AdmissionControl;
import dev.twelvefactor.tomcat.ServerCertificate;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@code twelvefactor} actuator endpoint, the starter's
 * meters, and the actuator's private defaults (masked secrets, read-only access), each
 * used only when its library is on the class path.
 *
 * @author twelvefactor
 */
@AutoConfiguration(after = TwelveFactorAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		beforeName = "org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration")
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
		 * {@code env} and {@code configprops}. Masks the whole value of what Spring Boot's
		 * {@code ifLikelySensitive()} or {@link SensitiveNames} takes for a secret by its
		 * name, and the secrets other values carry (the user information of a URI, a
		 * {@code -Dpassword=} in {@code JAVA_TOOL_OPTIONS}).
		 * @return the sanitizing function
		 */
		@Bean
		SanitizingFunction twelveFactorSanitizingFunction() {
			SanitizingFunction likelySensitive = SanitizingFunction.sanitizeValue().ifLikelySensitive();
			return (data) -> {
				SanitizableData sanitized = likelySensitive.applyUnlessFiltered(data);
				if (sanitized != data || data.getValue() == null) {
					return sanitized;
				}
				if (SensitiveNames.isSensitive(data.getKey())) {
					return data.withSanitizedValue();
				}
				if (data.getValue() instanceof CharSequence value) {
					String masked = SensitiveNames.maskEmbedded(value.toString());
					return masked.contentEquals(value) ? data : data.withValue(masked);
				}
				return data;
			};
		}

	}

	/**
	 * The actuator private by default: write operations off unless asked for, and a
	 * warning when the endpoints share the application's port. (Its port of its own is
	 * bound to loopback by {@code EffectiveConfiguration}'s defaults.)
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ EndpointAccessResolver.class, PropertiesEndpointAccessResolver.class,
			WebEndpointsSupplier.class, ManagementPortType.class })
	static class ManagementAccessConfiguration {

		@Bean
		@ConditionalOnMissingBean(EndpointAccessResolver.class)
		EndpointAccessResolver twelveFactorEndpointAccessResolver(Environment environment) {
			return new ReadOnlyByDefaultAccessResolver(new PropertiesEndpointAccessResolver(environment));
		}

		@Bean
		@ConditionalOnWebApplication(type = Type.SERVLET)
		static SharedManagementPortWarning twelveFactorSharedManagementPortWarning(Environment environment,
				ObjectProvider<WebEndpointsSupplier> endpoints) {
			return new SharedManagementPortWarning(environment, endpoints);
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
