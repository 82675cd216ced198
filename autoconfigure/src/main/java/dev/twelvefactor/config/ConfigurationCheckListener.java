package dev.twelvefactor.config;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;

/**
 * Gives the configuration's warnings, and stops the start when values are invalid and
 * {@code on-invalid} is {@code fail}, as soon as logging is set up.
 *
 * @author twelvefactor
 */
public class ConfigurationCheckListener implements GenericApplicationListener {

	/**
	 * Order of the listener: just after logging is initialized.
	 */
	public static final int ORDER = LoggingApplicationListener.DEFAULT_ORDER + 1;

	private static final Log logger = LogFactory.getLog(ConfigurationCheckListener.class);

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType.toClass());
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		EffectiveConfiguration configuration = AppliedPropertySource
			.find(((ApplicationEnvironmentPreparedEvent) event).getEnvironment());
		if (configuration == null) {
			return;
		}
		configuration.warnings().forEach(logger::warn);
		if (configuration.failsStart()) {
			throw new InvalidConfigurationException(configuration.invalidValues());
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
