package dev.twelvefactor.actuate;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;

/**
 * {@link EndpointAccessResolver} that gives each actuator endpoint at most read-only access
 * unless the user asked for more: an endpoint's own default is capped at
 * {@link Access#READ_ONLY} (never raised, so an endpoint off by default stays off), and
 * what {@code management.endpoint.<id>.access} or {@code management.endpoints.access.default}
 * say wins, as Spring Boot's own resolver, which this one delegates to, decides. So
 * {@code POST /actuator/loggers/...}, which would let anyone who reaches the actuator turn
 * on logging that writes request headers, is off until
 * {@code management.endpoint.loggers.access=unrestricted}.
 *
 * @author twelvefactor
 */
final class ReadOnlyByDefaultAccessResolver implements EndpointAccessResolver {

	private final EndpointAccessResolver properties;

	ReadOnlyByDefaultAccessResolver(EndpointAccessResolver properties) {
		this.properties = properties;
	}

	@Override
	public Access accessFor(EndpointId endpointId, Access defaultAccess) {
		return this.properties.accessFor(endpointId, defaultAccess.cap(Access.READ_ONLY));
	}

}
