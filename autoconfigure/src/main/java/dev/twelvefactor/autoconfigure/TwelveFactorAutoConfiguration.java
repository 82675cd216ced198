package dev.twelvefactor.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.catalina.startup.Tomcat;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.logging.structured.ElasticCommonSchemaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.TwelveFactorProperties;
import dev.twelvefactor.lifecycle.ServerLifecycle;
import dev.twelvefactor.lifecycle.ServerRequests;
import dev.twelvefactor.tomcat.AdmissionControl;
import dev.twelvefactor.tomcat.ForwardedHeadersCustomizer;
import dev.twelvefactor.tomcat.RequestAdmissionCustomizer;
import dev.twelvefactor.tomcat.RequestDrain;
import dev.twelvefactor.tomcat.RequestLimitsCustomizer;
import dev.twelvefactor.tomcat.ServerCertificate;
import dev.twelvefactor.tomcat.TwelveFactorAccessLogCustomizer;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the twelvefactor starter: the effective configuration worked out
 * from the environment, the lifecycle events and startup report and, in a servlet web
 * application on Tomcat, the request deadline and the access log. Switched off, with the
 * rest of the starter, by {@code twelvefactor.enabled=false}.
 *
 * @author twelvefactor
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "twelvefactor.enabled", matchIfMissing = true)
@EnableConfigurationProperties
public final class TwelveFactorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EffectiveConfiguration twelveFactorConfiguration(ConfigurableEnvironment environment) {
		EffectiveConfiguration configuration = EffectiveConfiguration.get(environment);
		configuration.checkStart();
		return configuration;
	}

	@Bean
	@ConditionalOnMissingBean
	TwelveFactorProperties twelveFactorProperties(EffectiveConfiguration configuration) {
		return configuration.properties();
	}

	@Bean
	ConfigurationPropertiesBindHandlerAdvisor twelveFactorBindHandlerAdvisor(ObjectProvider<EffectiveConfiguration> configuration) {
		return (handler) -> configuration.getObject().bindHandler(handler);
	}

	@Bean
	ServerLifecycle twelveFactorServerLifecycle(ApplicationContext context, EffectiveConfiguration configuration,
			ObjectProvider<RequestDrain> drain, Environment environment) {
		boolean graceful = environment.getProperty("server.shutdown", Shutdown.class, Shutdown.GRACEFUL) == Shutdown.GRACEFUL;
		return new ServerLifecycle(context, configuration, () -> {
			RequestDrain requests = drain.getIfAvailable();
			return (requests != null) ? new DrainedRequests(requests) : null;
		}, graceful);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Tomcat.class, ConfigurableTomcatWebServerFactory.class })
	static class TomcatConfiguration {

		@Bean
		SmartLifecycle twelveFactorDrainStart(ServerLifecycle serverLifecycle) {
			return serverLifecycle.drainStart();
		}

		@Bean
		SmartLifecycle twelveFactorDrainEnd(ServerLifecycle serverLifecycle) {
			return serverLifecycle.drainEnd();
		}

		@Bean
		SmartLifecycle twelveFactorExit(ServerLifecycle serverLifecycle) {
			return serverLifecycle.exit();
		}

		@Bean
		@ConditionalOnMissingBean
		TwelveFactorAccessLogCustomizer twelveFactorAccessLogCustomizer(TwelveFactorProperties properties,
				Environment environment) {
			return new TwelveFactorAccessLogCustomizer(properties, ElasticCommonSchemaProperties.get(environment));
		}

		@Bean
		@ConditionalOnMissingBean
		AdmissionControl twelveFactorAdmissionControl(EffectiveConfiguration configuration,
				ApplicationContext context) {
			TwelveFactorProperties properties = configuration.properties();
			Consumer<Boolean> liveness = (live) -> AvailabilityChangeEvent.publish(context,
					live ? LivenessState.CORRECT : LivenessState.BROKEN);
			if (configuration.adaptive()) {
				return AdmissionControl.adaptive(configuration.requestThreads(), configuration.maxRequestThreads(),
						properties.getBacklog(), properties.getMaxQueueWait(), liveness);
			}
			return new AdmissionControl(configuration.requestThreads(), properties.getBacklog(),
					properties.getMaxQueueWait(), liveness);
		}

		@Bean
		@ConditionalOnMissingBean
		RequestDrain twelveFactorRequestDrain(AdmissionControl admission) {
			return new RequestDrain(admission);
		}

		@Bean
		@ConditionalOnMissingBean
		RequestAdmissionCustomizer twelveFactorRequestAdmissionCustomizer(EffectiveConfiguration configuration,
				AdmissionControl admission, RequestDrain drain, Environment environment) {
			return new RequestAdmissionCustomizer(configuration, admission, drain, exemptPaths(environment));
		}

		@Bean
		@ConditionalOnMissingBean
		ForwardedHeadersCustomizer twelveFactorForwardedHeadersCustomizer() {
			return new ForwardedHeadersCustomizer();
		}

		@Bean
		@ConditionalOnMissingBean
		RequestLimitsCustomizer twelveFactorRequestLimitsCustomizer(TwelveFactorProperties properties) {
			return new RequestLimitsCustomizer(properties);
		}

		@Bean
		@ConditionalOnMissingBean
		ServerCertificate twelveFactorServerCertificate(ObjectProvider<SslBundles> bundles) {
			return new ServerCertificate(bundles.getIfAvailable());
		}

		/**
		 * Return the paths of the actuator on the application's port, which admission
		 * control neither limits nor sheds, so that probes answer under overload.
		 */
		private static List<String> exemptPaths(Environment environment) {
			String contextPath = environment.getProperty("server.servlet.context-path", "");
			List<String> paths = new ArrayList<>();
			paths.add(contextPath + environment.getProperty("management.endpoints.web.base-path", "/actuator"));
			if (environment.getProperty("management.endpoint.health.probes.add-additional-paths", Boolean.class,
					false)) {
				paths.add(contextPath + "/livez");
				paths.add(contextPath + "/readyz");
			}
			return paths;
		}

	}

	/**
	 * The requests of the embedded Tomcat, as the server's stop sees them.
	 */
	private record DrainedRequests(RequestDrain drain) implements ServerRequests {

		@Override
		public int inFlight() {
			return this.drain.inFlight();
		}

		@Override
		public boolean awaitIdle(Duration timeout) throws InterruptedException {
			return this.drain.awaitIdle(timeout);
		}

		@Override
		public int cutOff(Duration timeout) throws InterruptedException {
			return this.drain.cutOff(timeout);
		}

		@Override
		public long closedConnections() {
			return this.drain.closedConnections();
		}

	}

}
