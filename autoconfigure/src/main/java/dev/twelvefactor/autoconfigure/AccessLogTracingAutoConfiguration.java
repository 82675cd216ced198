package dev.twelvefactor.autoconfigure;

import io.micrometer.tracing.Tracer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

import dev.twelvefactor.config.TwelveFactorProperties;
import dev.twelvefactor.tomcat.AccessLogTraceFilter;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} that gives access log lines the trace id and span id of their
 * request, when Micrometer Tracing traces it.
 *
 * @author twelvefactor
 */
@AutoConfiguration(after = TwelveFactorAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(Tracer.class)
@ConditionalOnBean({ Tracer.class, TwelveFactorProperties.class })
public final class AccessLogTracingAutoConfiguration {

	/**
	 * Order of the filter: right after Spring's {@code ServerHttpObservationFilter}, which
	 * Spring Boot registers at {@code Ordered.HIGHEST_PRECEDENCE + 1}.
	 */
	static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

	@Bean
	FilterRegistrationBean<AccessLogTraceFilter> twelveFactorAccessLogTraceFilter(Tracer tracer,
			TwelveFactorProperties properties) {
		FilterRegistrationBean<AccessLogTraceFilter> registration = new FilterRegistrationBean<>(
				new AccessLogTraceFilter(tracer));
		registration.setOrder(FILTER_ORDER);
		registration.setEnabled(properties.getAccessLog().enabled());
		return registration;
	}

}
