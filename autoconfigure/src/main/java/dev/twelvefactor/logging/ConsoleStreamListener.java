package dev.twelvefactor.logging;

import java.util.Iterator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

import dev.twelvefactor.config.ConsoleTarget;
import dev.twelvefactor.config.EffectiveConfiguration;

/**
 * Moves the application's console log to standard error ({@code error-log=-}), so that
 * standard output carries the access log only. Spring Boot has no setting for the console
 * appender's stream, so this retargets Logback's console appenders once Spring Boot has
 * configured them, whatever their encoder (plain or structured).
 *
 * @author twelvefactor
 */
public class ConsoleStreamListener
		implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/**
	 * Order of the listener: right after logging is initialized, before anything else logs.
	 */
	public static final int ORDER = LoggingApplicationListener.DEFAULT_ORDER + 1;

	private static final boolean LOGBACK_PRESENT = ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext",
			ConsoleStreamListener.class.getClassLoader());

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		EffectiveConfiguration configuration = EffectiveConfiguration.find(event.getEnvironment());
		if (configuration == null || configuration.properties().getErrorLog() != ConsoleTarget.STDERR) {
			return;
		}
		if (!LOGBACK_PRESENT || !Logback.retarget()) {
			Log logger = LogFactory.getLog(ConsoleStreamListener.class);
			logger.warn("The application log stays on standard output: error-log=stderr needs Logback, "
					+ "Spring Boot's default logging system");
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * Logback-specific part, kept apart so that the listener loads without Logback.
	 */
	private static final class Logback {

		static boolean retarget() {
			if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
				return false;
			}
			Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
			Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders();
			while (appenders.hasNext()) {
				if (appenders.next() instanceof ConsoleAppender<ILoggingEvent> console
						&& !"System.err".equals(console.getTarget())) {
					console.stop();
					console.setTarget("System.err");
					console.start();
				}
			}
			return true;
		}

	}

}
