package dev.twelvefactor.lifecycle;

import java.util.function.IntConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

import dev.twelvefactor.config.ConfigurationResolver;
import dev.twelvefactor.config.EffectiveConfiguration;
import dev.twelvefactor.config.InvalidConfigurationException;

/**
 * Checks the configuration as soon as logging is set up: gives its warnings, stops the
 * start when values are invalid and {@code on-invalid} is {@code fail}, warns when the
 * memory budget does not fit, and in check mode prints the report and exits without
 * starting the server, with 1 when the memory budget does not fit.
 *
 * @author twelvefactor
 */
public class StartupCheckListener
		implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/**
	 * Order of the listener: after logging is initialized and the console is routed.
	 */
	public static final int ORDER = LoggingApplicationListener.DEFAULT_ORDER + 2;

	private static final Log logger = LogFactory.getLog(StartupCheckListener.class);

	private final IntConsumer exit;

	public StartupCheckListener() {
		this(System::exit);
	}

	StartupCheckListener(IntConsumer exit) {
		this.exit = exit;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		EffectiveConfiguration configuration = ConfigurationResolver.find(event.getEnvironment());
		if (configuration == null) {
			return;
		}
		configuration.warnings().forEach(logger::warn);
		if (configuration.failsStart()) {
			throw new InvalidConfigurationException(configuration.invalidValues());
		}
		MemoryBudget memory = MemoryBudget.of(configuration, event.getEnvironment());
		String memoryProblem = (memory != null && !memory.fits()) ? memory.explain() : null;
		if (!configuration.check()) {
			if (memoryProblem != null) {
				logger.warn(memoryProblem);
			}
			return;
		}
		StartupReport.log(configuration, memory);
		if (memoryProblem != null) {
			LogFactory.getLog(StartupReport.class).error("Configuration check failed. " + memoryProblem);
			this.exit.accept(1);
			return;
		}
		LogFactory.getLog(StartupReport.class).info("Configuration check passed; exiting without starting");
		this.exit.accept(0);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
