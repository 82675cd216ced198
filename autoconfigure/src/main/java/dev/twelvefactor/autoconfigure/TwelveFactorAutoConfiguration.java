package dev.twelvefactor.autoconfigure;

import org.apache.catalina.startup.Tomcat;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import dev.twelvefactor.config.ConfigurationResolver;
import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.InvalidConfigurationException;
import dev.twelvefactor.lifecycle.ServerLifecycle;
import dev.twelvefactor.tomcat.RequestDeadlineCustomizer;
import dev.twelvefactor.tomcat.RequestDeadlineMonitor;
import dev.twelvefactor.tomcat.TwelveFactorAccessLogCustomizer;
import dev.twelvefactor.tomcat.TwelveFactorTomcatCustomizer;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the twelvefactor starter: the effective configuration read from
 * the environment, the startup report, and what is applied to Tomcat.
 *
 * @author twelvefactor
 */
@AutoConfiguration
@EnableConfigurationProperties(TwelveFactorProperties.class)
public final class TwelveFactorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EffectiveConfiguration twelveFactorConfiguration(ConfigurableEnvironment environment) {
		EffectiveConfiguration configuration = ConfigurationResolver.get(environment);
		if (configuration.failsStart()) {
			throw new InvalidConfigurationException(configuration.invalidValues());
		}
		return configuration;
	}

	@Bean
	ServerLifecycle twelveFactorServerLifecycle(ApplicationContext context, EffectiveConfiguration configuration,
			ObjectProvider<RequestDeadlineMonitor> monitor) {
		return new ServerLifecycle(context, configuration, () -> {
			RequestDeadlineMonitor requests = monitor.getIfAvailable();
			return (requests != null) ? requests.inFlight() : -1;
		});
	}

	@Bean
	SmartLifecycle twelveFactorDrainStart(ServerLifecycle serverLifecycle) {
		return serverLifecycle.drainStart();
	}

	@Bean
	SmartLifecycle twelveFactorExit(ServerLifecycle serverLifecycle) {
		return serverLifecycle.exit();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Tomcat.class, ConfigurableTomcatWebServerFactory.class })
	static class TomcatConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TwelveFactorTomcatCustomizer twelveFactorTomcatCustomizer(EffectiveConfiguration configuration) {
			return new TwelveFactorTomcatCustomizer(configuration);
		}

		@Bean
		@ConditionalOnMissingBean
		TwelveFactorAccessLogCustomizer twelveFactorAccessLogCustomizer(EffectiveConfiguration configuration,
				ConfigurableEnvironment environment) {
			return new TwelveFactorAccessLogCustomizer(configuration, environment);
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
