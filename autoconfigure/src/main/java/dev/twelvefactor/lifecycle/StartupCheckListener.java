package dev.twelvefactor.lifecycle;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.MemoryBudget;

/**
 * Checks the configuration as soon as logging is set up: gives its warnings, stops the
 * start when values are invalid and {@code on-invalid} is {@code fail}, with a failure
 * analysis naming every invalid value, and warns when the memory budget does not fit, or
 * in check mode stops with a failure analysis saying why.
 *
 * @author twelvefactor
 */
public class StartupCheckListener implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/**
	 * Order of the listener: after logging is initialized and the console is routed.
	 */
	public static final int ORDER = LoggingApplicationListener.DEFAULT_ORDER + 2;

	private static final Log logger = LogFactory.getLog(StartupCheckListener.class);

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		EffectiveConfiguration configuration = EffectiveConfiguration.find(event.getEnvironment());
		if (configuration == null) {
			return;
		}
		configuration.warnings().forEach(logger::warn);
		configuration.checkStart();
		MemoryBudget memory = MemoryBudget.of(configuration);
		if (memory != null && !memory.fits()) {
			if (configuration.properties().isCheck()) {
				StartupReport.log(configuration, memory);
				throw new MemoryBudgetException(memory);
			}
			logger.warn(memory.explain());
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
