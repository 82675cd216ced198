package dev.twelvefactor.lifecycle;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the application starts, before the environment or any bean exists, as
 * Gunicorn's {@code on_starting}. Only listeners registered in {@code META-INF/spring.factories}
 * under {@code org.springframework.context.ApplicationListener} receive it, since no
 * application context exists yet.
 *
 * @author twelvefactor
 */
public class ServerStartingEvent extends ApplicationEvent {

	/**
	 * Create a new event.
	 * @param application the application that is starting
	 */
	public ServerStartingEvent(SpringApplication application) {
		super(application);
	}

	/**
	 * Return the application that is starting.
	 * @return the application
	 */
	public SpringApplication getSpringApplication() {
		return (SpringApplication) getSource();
	}

}
