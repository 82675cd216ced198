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

/**
 * Turns Spring Boot's {@link ApplicationStartingEvent} into a {@link ServerStartingEvent}
 * for the application's listeners, and logs it once logging is set up.
 *
 * @author twelvefactor
 */
public class StartingEventPublisher implements GenericApplicationListener {

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
			this.log.info("Starting (pid " + ProcessHandle.current().pid() + ")");
			SimpleApplicationEventMulticaster multicaster = new SimpleApplicationEventMulticaster();
			for (ApplicationListener<?> listener : starting.getSpringApplication().getListeners()) {
				if (listener != this) {
					multicaster.addApplicationListener(listener);
				}
			}
			multicaster.multicastEvent(new ServerStartingEvent(starting.getSpringApplication()));
		}
		else {
			// Logging is only set up now: replay what was logged while starting
			this.log.replayTo(ServerLifecycle.class);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
