package dev.twelvefactor.lifecycle;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.logging.DeferredLog;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;

import dev.twelvefactor.config.EffectiveConfiguration;

/**
 * Turns Spring Boot's {@link ApplicationStartingEvent} into a {@link ServerStartingEvent}
 * for the application's listeners, and logs it once logging is set up.
 * <p>
 * The event comes before any configuration file is read, so only a command-line argument,
 * a system property or an environment variable can switch it off
 * ({@code twelvefactor.enabled=false}); the log line follows the setting wherever it is.
 *
 * @author twelvefactor
 */
public class StartingEventPublisher implements GenericApplicationListener {

	private static final String ENABLED_PROPERTY = "twelvefactor.enabled";

	private static final String ENABLED_ARGUMENT = "--" + ENABLED_PROPERTY + "=";

	private final DeferredLog log = new DeferredLog();

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		Class<?> type = eventType.toClass();
		return ApplicationStartingEvent.class.isAssignableFrom(type)
				|| ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationStartingEvent starting) {
			if (isSwitchedOff(starting.getArgs())) {
				return;
			}
			this.log.info("Starting (pid " + ProcessHandle.current().pid() + ")");
			SimpleApplicationEventMulticaster multicaster = new SimpleApplicationEventMulticaster();
			for (ApplicationListener<?> listener : starting.getSpringApplication().getListeners()) {
				if (listener != this) {
					multicaster.addApplicationListener(listener);
				}
			}
			multicaster.multicastEvent(new ServerStartingEvent(starting.getSpringApplication()));
		}
		else if (event instanceof ApplicationEnvironmentPreparedEvent prepared
				&& EffectiveConfiguration.find(prepared.getEnvironment()) != null) {
			// Logging is only set up now: replay what was logged while starting
			this.log.replayTo(ServerLifecycle.class);
		}
	}

	private static boolean isSwitchedOff(String[] args) {
		String value = null;
		for (String arg : args) {
			if (arg.startsWith(ENABLED_ARGUMENT)) {
				value = arg.substring(ENABLED_ARGUMENT.length());
			}
		}
		if (value == null) {
			value = System.getProperty(ENABLED_PROPERTY);
		}
		if (value == null) {
			for (String name : new String[] { "TWELVEFACTOR_ENABLED", "twelvefactor_enabled" }) {
				value = (value != null) ? value : System.getenv(name);
			}
		}
		return value != null && value.strip().equalsIgnoreCase("false");
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
