package dev.twelvefactor.autoconfigure;

import org.apache.catalina.startup.Tomcat;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.TwelveFactorProperties;
import dev.twelvefactor.lifecycle.ServerLifecycle;
import dev.twelvefactor.tomcat.AccessLogCustomizer;
import dev.twelvefactor.tomcat.RequestDeadlineCustomizer;
import dev.twelvefactor.tomcat.RequestDeadlineMonitor;

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
			ObjectProvider<RequestDeadlineMonitor> monitor) {
		return new ServerLifecycle(context, configuration, () -> {
			RequestDeadlineMonitor requests = monitor.getIfAvailable();
			return (requests != null) ? requests.inFlight() : -1;
		});
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
		SmartLifecycle twelveFactorExit(ServerLifecycle serverLifecycle) {
			return serverLifecycle.exit();
		}

		@Bean
		@ConditionalOnMissingBean
		AccessLogCustomizer twelveFactorAccessLogCustomizer(TwelveFactorProperties properties) {
			return new AccessLogCustomizer(properties);
		}

		@Bean
		@ConditionalOnMissingBean
		RequestDeadlineMonitor twelveFactorRequestDeadlineMonitor() {
			return new RequestDeadlineMonitor();
		}

		@Bean
		@ConditionalOnMissingBean
		RequestDeadlineCustomizer twelveFactorRequestDeadlineCustomizer(EffectiveConfiguration configuration,
				RequestDeadlineMonitor requestDeadlineMonitor) {
			return new RequestDeadlineCustomizer(configuration, requestDeadlineMonitor);
		}

	}

}
