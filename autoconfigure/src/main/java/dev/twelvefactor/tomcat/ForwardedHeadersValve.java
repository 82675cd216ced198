package dev.twelvefactor.tomcat;

import java.io.IOException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.util.NetMaskSet;
import org.apache.catalina.valves.RemoteIpValve;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's {@link RemoteIpValve}, configured as Spring Boot configured it, that also reads
 * the two scheme headers Gunicorn reads by default besides {@code X-Forwarded-Proto}, and
 * passes a request that carries none of the headers it reads straight on.
 * <p>
 * From a peer the valve trusts, {@code X-Forwarded-Ssl: on} and
 * {@code X-Forwarded-Protocol: ssl} mean HTTPS and any other value HTTP, as in Gunicorn's
 * {@code secure_scheme_headers}; so does {@code X-Forwarded-Proto}, read by the valve
 * itself. When a trusted peer's scheme headers disagree, the request is answered
 * {@code 400 Bad Request}, as Gunicorn answers it. From any other peer they are ignored.
 *
 * @author twelvefactor
 */
final class ForwardedHeadersValve extends RemoteIpValve {

	private static final String FORWARDED_SSL = "X-Forwarded-Ssl";

	private static final String FORWARDED_PROTOCOL = "X-Forwarded-Protocol";

	private static final int BAD_REQUEST = 400;

	private final Peers internalProxies;

	private final Peers trustedProxies;

	/**
	 * Create a valve configured as the given one.
	 * @param valve the valve Spring Boot configured
	 */
	ForwardedHeadersValve(RemoteIpValve valve) {
		setRemoteIpHeader(valve.getRemoteIpHeader());
		setProxiesHeader(valve.getProxiesHeader());
		setProtocolHeader(valve.getProtocolHeader());
		setProtocolHeaderHttpsValue(valve.getProtocolHeaderHttpsValue());
		setHostHeader(valve.getHostHeader());
		setPortHeader(valve.getPortHeader());
		setChangeLocalName(valve.isChangeLocalName());
		setChangeLocalPort(valve.isChangeLocalPort());
		setHttpServerPort(valve.getHttpServerPort());
		setHttpsServerPort(valve.getHttpsServerPort());
		setInternalProxies(valve.getInternalProxies());
		setTrustedProxies(valve.getTrustedProxies());
		setRequestAttributesEnabled(valve.getRequestAttributesEnabled());
		setAsyncSupported(valve.isAsyncSupported());
		this.internalProxies = Peers.of(valve.getInternalProxies());
		this.trustedProxies = Peers.of(valve.getTrustedProxies());
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
		Headers found = find(headers);
		if (!found.any()) {
			// Nothing to read: the request is what the valve would make of it, without the
			// work of saving and restoring it, which costs more than the rest of its path
			getNext().invoke(request, response);
			return;
		}
		if ((!found.gunicornScheme() && found.schemeLines() < 2) || !isTrusted(request.getRemoteAddr())) {
			super.invoke(request, response);
			return;
		}
		Boolean secure = secure(headers);
		if (secure == null) {
			ProblemResponses.send(request, response, BAD_REQUEST, "Bad Request", "Contradictory scheme headers", null);
			return;
		}
		if (!found.gunicornScheme()) {
			super.invoke(request, response);
			return;
		}
		// Said as X-Forwarded-Proto, which the valve reads, for this request only
		headers.removeHeader(getProtocolHeader());
		headers.addValue(getProtocolHeader()).setString(secure ? getProtocolHeaderHttpsValue() : "http");
		try {
			super.invoke(request, response);
		}
		finally {
			if (!request.isAsync()) {
				headers.removeHeader(getProtocolHeader());
			}
		}
	}

	/**
	 * Return which of the headers the valve reads the request carries, in one pass over
	 * its headers.
	 */
	private Headers find(MimeHeaders headers) {
		boolean any = false;
		boolean gunicornScheme = false;
		int schemeLines = 0;
		for (int i = 0; i < headers.size(); i++) {
			MessageBytes name = headers.getName(i);
			if (name.equalsIgnoreCase(FORWARDED_SSL) || name.equalsIgnoreCase(FORWARDED_PROTOCOL)) {
				gunicornScheme = true;
				schemeLines++;
			}
			else if (is(name, getProtocolHeader())) {
				schemeLines++;
			}
			else if (!any && (is(name, getRemoteIpHeader()) || is(name, getHostHeader())
					|| is(name, getPortHeader()))) {
				any = true;
			}
		}
		return new Headers(any || schemeLines > 0, gunicornScheme, schemeLines);
	}

	private static boolean is(MessageBytes name, @Nullable String header) {
		return header != null && name.equalsIgnoreCase(header);
	}

	/**
	 * Return whether the scheme headers say HTTPS, or {@code null} when they disagree.
	 */
	private @Nullable Boolean secure(MimeHeaders headers) {
		Boolean secure = null;
		boolean contradictory = false;
		for (int i = 0; i < headers.size(); i++) {
			MessageBytes name = headers.getName(i);
			Boolean says = null;
			if (name.equalsIgnoreCase(FORWARDED_SSL)) {
				says = isValue(headers.getValue(i), "on");
			}
			else if (name.equalsIgnoreCase(FORWARDED_PROTOCOL)) {
				says = isValue(headers.getValue(i), "ssl");
			}
			else if (is(name, getProtocolHeader())) {
				says = isSecureProtocol(headers.getValue(i));
			}
			if (says != null) {
				contradictory |= (secure != null && !secure.equals(says));
				secure = says;
			}
		}
		return contradictory ? null : secure;
	}

	/**
	 * Return whether a header's value is the given one, in any case as Tomcat compares
	 * {@code X-Forwarded-Proto} (Gunicorn compares exactly).
	 */
	private static boolean isValue(MessageBytes value, String expected) {
		return value.toString().strip().equalsIgnoreCase(expected);
	}

	/**
	 * Return whether an {@code X-Forwarded-Proto} line says HTTPS as the valve reads it:
	 * every entry of a comma-separated chain is HTTPS.
	 */
	private boolean isSecureProtocol(MessageBytes value) {
		for (String entry : value.toString().split(",", -1)) {
			if (!entry.strip().equalsIgnoreCase(getProtocolHeaderHttpsValue())) {
				return false;
			}
		}
		return true;
	}

	private boolean isTrusted(String address) {
		return this.internalProxies.contains(address) || this.trustedProxies.contains(address);
	}

	/**
	 * What a pass over a request's headers found.
	 *
	 * @param any whether it carries any header the valve reads
	 * @param gunicornScheme whether it carries {@code X-Forwarded-Ssl} or
	 * {@code X-Forwarded-Protocol}
	 * @param schemeLines how many scheme header lines it carries
	 */
	private record Headers(boolean any, boolean gunicornScheme, int schemeLines) {

	}

	/**
	 * Peers as {@link RemoteIpValve} takes them: CIDR networks, or a regular expression.
	 */
	private record Peers(@Nullable NetMaskSet networks, @Nullable Pattern pattern) {

		static Peers of(@Nullable String peers) {
			if (peers == null || peers.isEmpty()) {
				return new Peers(null, null);
			}
			// The rule RemoteIpValve.setInternalProxies applies
			return (peers.indexOf('/') > 0) ? new Peers(NetMaskSet.parse(peers), null)
					: new Peers(null, Pattern.compile(peers));
		}

		boolean contains(String address) {
			if (this.pattern != null) {
				return this.pattern.matcher(address).matches();
			}
			try {
				return this.networks != null && this.networks.contains(address);
			}
			catch (UnknownHostException ex) {
				return false;
			}
		}

	}

}
