package dev.twelvefactor.tomcat;

import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.Valve;
import org.apache.catalina.valves.RemoteIpValve;

import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Replaces the {@link RemoteIpValve} that Spring Boot configured with a
 * {@link ForwardedHeadersValve} configured the same way.
 *
 * @author twelvefactor
 */
public class ForwardedHeadersCustomizer implements WebServerFactoryCustomizer<TomcatWebServerFactory>, Ordered {

	/**
	 * The order of this customizer: after Spring Boot's, which adds the valve, and before
	 * the starter's other valves.
	 */
	public static final int ORDER = 5;

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void customize(TomcatWebServerFactory factory) {
		List<Valve> valves = new ArrayList<>(factory.getEngineValves());
		valves.replaceAll((valve) -> (valve.getClass() == RemoteIpValve.class)
				? new ForwardedHeadersValve((RemoteIpValve) valve) : valve);
		factory.setEngineValves(valves);
	}

}
