package dev.twelvefactor.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

import dev.twelvefactor.actuate.TwelveFactorEndpoint.TomcatDescriptor;

/**
 * Reads what the running web server actually runs with, as opposed to what was configured.
 *
 * @author twelvefactor
 */
@FunctionalInterface
interface ServerInspector {

	/**
	 * Return what the server runs with now.
	 * @return the server's state, or {@code null} when there is no running server that can
	 * be inspected
	 */
	@Nullable ServerState inspect();

	/**
	 * Return an inspector of the given context's web server: its Tomcat connector when
	 * Tomcat is on the class path, nothing otherwise.
	 * @param context the application context whose web server to inspect
	 * @return the inspector
	 */
	static ServerInspector of(ApplicationContext context) {
		if (ClassUtils.isPresent("org.springframework.boot.tomcat.TomcatWebServer", context.getClassLoader())
				&& ClassUtils.isPresent("org.springframework.boot.web.server.context.WebServerApplicationContext",
						context.getClassLoader())) {
			return new TomcatInspector(context);
		}
		return () -> null;
	}

	/**
	 * What the server runs with now.
	 *
	 * @param tomcat the connector's settings
	 * @param busyThreads request threads handling a request now, or {@code null} when the
	 * executor does not say (virtual threads)
	 * @param currentThreads request threads that exist now, or {@code null} when the executor
	 * does not say
	 */
	record ServerState(TomcatDescriptor tomcat, @Nullable Integer busyThreads, @Nullable Integer currentThreads) {

	}

}
