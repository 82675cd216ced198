package dev.twelvefactor.tomcat;

import org.apache.catalina.startup.Tomcat;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.logging.structured.ElasticCommonSchemaProperties;
import org.springframework.core.env.Environment;

import dev.twelvefactor.config.TwelveFactorProperties;

/**
 * {@link ManagementContextConfiguration @ManagementContextConfiguration} of the access log
 * of the management server, when {@code management.server.port} gives it a Tomcat of its
 * own: the child context that runs it sees none of the application's customizers, so
 * requests to it would otherwise not be logged. Listed in
 * {@code META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports},
 * which only the actuator reads.
 *
 * @author twelvefactor
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ Tomcat.class, ConfigurableTomcatWebServerFactory.class })
@ConditionalOnBean(TwelveFactorProperties.class)
class AccessLogManagementContextConfiguration {

	@Bean
	TwelveFactorAccessLogCustomizer twelveFactorManagementAccessLogCustomizer(TwelveFactorProperties properties,
			Environment environment) {
		return new TwelveFactorAccessLogCustomizer(properties, ElasticCommonSchemaProperties.get(environment));
	}

}
