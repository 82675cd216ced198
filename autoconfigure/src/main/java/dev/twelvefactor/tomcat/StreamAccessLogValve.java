package dev.twelvefactor.tomcat;

import java.io.CharArrayWriter;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

import org.apache.catalina.Container;
import org.apache.catalina.Globals;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.AbstractAccessLogValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat access log valve that writes its lines to an {@link AccessLogOutput}: standard
 * output or a file, in batches. Lines are made by Tomcat's own pattern elements and
 * escaping, with four changes:
 * <ul>
 * <li>requests whose decoded path matches the exclusion pattern are not logged, unless
 * their status is 400 or above;</li>
 * <li>credentials never reach the log: the values of the {@code Authorization},
 * {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie} headers and of
 * cookies are written as {@value QueryMask#MASK} even when the pattern names them, and so
 * are the values of masked query parameters in {@code %r} and {@code %q};</li>
 * <li>{@code %h} and {@code %a} are the connection's address when a {@code RemoteIpValve}
 * took something else than an address from a header;</li>
 * <li>{@code %b} and {@code %B} count the body bytes sent, without the chunked transfer
 * framing that Tomcat includes.</li>
 * </ul>
 *
 * @author twelvefactor
 */
class StreamAccessLogValve extends AbstractAccessLogValve {

	private static final Log logger = LogFactory.getLog(StreamAccessLogValve.class);

	private static final Set<String> MASKED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
			"set-cookie");

	private final @Nullable Pattern exclude;

	private final QueryMask queryMask;

	private final AccessLogOutput output;

	/**
	 * Create a valve; its pattern is set with {@link #setPattern(String)}.
	 * @param exclude the paths not to log, or {@code null}
	 * @param maskedParameters the query parameters whose values are masked
	 * @param output where the lines go
	 */
	StreamAccessLogValve(@Nullable Pattern exclude, List<String> maskedParameters, AccessLogOutput output) {
		this.exclude = exclude;
		this.queryMask = new QueryMask(maskedParameters);
		this.output = output;
		// Use the client address and protocol that a RemoteIpValve found, when there is one
		setRequestAttributesEnabled(true);
	}

	AccessLogOutput getOutput() {
		return this.output;
	}

	@Override
	protected synchronized void startInternal() throws LifecycleException {
		ScheduledExecutorService scheduler = Container.getService(getContainer()).getServer().getUtilityExecutor();
		try {
			this.output.open(scheduler);
		}
		catch (IOException ex) {
			throw new LifecycleException("Failed to open the access log " + this.output, ex);
		}
		super.startInternal();
	}

	@Override
	protected synchronized void stopInternal() throws LifecycleException {
		super.stopInternal();
		try {
			this.output.close();
		}
		catch (IOException ex) {
			logger.warn("Failed to close the access log " + this.output, ex);
		}
	}

	@Override
	public void log(Request request, Response response, long time) {
		if (!isExcluded(request, response)) {
			super.log(request, response, time);
		}
	}

	private boolean isExcluded(Request request, Response response) {
		if (this.exclude == null || response.getStatus() >= 400) {
			return false;
		}
		// The decoded, normalized path: /health/../admin is /admin, not /health
		String path = request.getDecodedRequestURI();
		return path != null && this.exclude.matcher(path).matches();
	}

	@Override
	protected void log(CharArrayWriter message) {
		this.output.write(message);
	}

	@Override
	protected AccessLogElement createAccessLogElement(char pattern) {
		return switch (pattern) {
			case 'a' -> new ForwardedAddressElement(REMOTE_ADDR_ATTRIBUTE, super.createAccessLogElement(pattern));
			case 'h' -> new ForwardedAddressElement(REMOTE_HOST_ATTRIBUTE, super.createAccessLogElement(pattern));
			case 'b' -> new BodyBytesElement(true);
			case 'B' -> new BodyBytesElement(false);
			case 'q' -> new MaskedQueryElement();
			case 'r' -> new MaskedRequestElement();
			default -> super.createAccessLogElement(pattern);
		};
	}

	@Override
	protected AccessLogElement createAccessLogElement(String name, char pattern) {
		return switch (pattern) {
			case 'a' -> "peer".equals(name) ? super.createAccessLogElement(name, pattern)
					: new ForwardedAddressElement(REMOTE_ADDR_ATTRIBUTE, super.createAccessLogElement(name, pattern));
			case 'c' -> new MaskedValueElement(name, 'c');
			case 'i', 'o' -> MASKED_HEADERS.contains(name.toLowerCase(Locale.ROOT))
					? new MaskedValueElement(name, pattern) : super.createAccessLogElement(name, pattern);
			default -> super.createAccessLogElement(name, pattern);
		};
	}

	/**
	 * Return the query string with the values of masked parameters replaced.
	 * @param request the request
	 * @return the masked query, or {@code null} when there is none
	 */
	final @Nullable String maskedQuery(Request request) {
		return this.queryMask.apply(request.getQueryString());
	}

	/**
	 * Return the body bytes sent. Tomcat counts the bytes written to the connection, which
	 * for a chunked response include the chunk headers, so the body of a chunked response
	 * is what the application wrote. A response that Tomcat compressed is the exception:
	 * Tomcat counts its compressed bytes nowhere but on the connection.
	 * @param request the request
	 * @param response the response
	 * @return the number of body bytes, 0 when none
	 */
	static long bodyBytes(Request request, Response response) {
		long sent = response.getBytesWritten(false);
		if (sent > 0) {
			if ("chunked".equals(response.getHeader("Transfer-Encoding"))
					&& response.getHeader("Content-Encoding") == null) {
				return response.getContentWritten();
			}
			return sent;
		}
		// A file sent with sendfile, as Tomcat's %b counts it
		if (request.getAttribute(Globals.SENDFILE_FILE_START_ATTR) instanceof Long start
				&& request.getAttribute(Globals.SENDFILE_FILE_END_ATTR) instanceof Long end) {
			return end - start;
		}
		return 0;
	}

	/**
	 * Tomcat's {@code %h} or {@code %a}, unless the value is one that a
	 * {@code RemoteIpValve} took from a request header and is no address: then the
	 * connection's, so that a line always starts with an address that log readers such
	 * as GoAccess accept.
	 */
	private static final class ForwardedAddressElement implements AccessLogElement, CachedElement {

		private final String attribute;

		private final AccessLogElement element;

		ForwardedAddressElement(String attribute, AccessLogElement element) {
			this.attribute = attribute;
			this.element = element;
		}

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			Object forwarded = request.getAttribute(this.attribute);
			if (forwarded == null) {
				this.element.addElement(buf, request, response, time);
				return;
			}
			String address = forwarded.toString();
			buf.append(isAddressOrHostName(address) ? address : request.getPeerAddr());
		}

		private static boolean isAddressOrHostName(String value) {
			if (value.isEmpty()) {
				return false;
			}
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == ':'
						|| c == '-')) {
					return false;
				}
			}
			return true;
		}

		/**
		 * Read the client's address while the request is being processed, as Tomcat's
		 * own element does only without request attributes: a request whose connection is
		 * closed before it is logged (one cut at the end of a graceful shutdown) is still
		 * logged with its client's address rather than {@code -}.
		 */
		@Override
		public void cache(Request request) {
			if (REMOTE_HOST_ATTRIBUTE.equals(this.attribute)) {
				request.getRemoteHost();
			}
			else {
				request.getRemoteAddr();
			}
			request.getPeerAddr();
			if (this.element instanceof CachedElement cached) {
				cached.cache(request);
			}
		}

	}

	/**
	 * {@code %b} and {@code %B}: the body bytes sent; for {@code %b}, {@code -} when none.
	 */
	private static final class BodyBytesElement implements AccessLogElement {

		private final boolean dashWhenNone;

		BodyBytesElement(boolean dashWhenNone) {
			this.dashWhenNone = dashWhenNone;
		}

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			long bytes = bodyBytes(request, response);
			if (bytes == 0 && this.dashWhenNone) {
				buf.write('-');
			}
			else {
				buf.append(Long.toString(bytes));
			}
		}

	}

	/**
	 * {@code %r}: Tomcat's request line, with masked query parameters.
	 */
	private final class MaskedRequestElement implements AccessLogElement {

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			String method = request.getMethod();
			if (method == null) {
				// No method means no request line
				buf.write('-');
				return;
			}
			buf.append(method);
			buf.write(' ');
			escapeAndAppend(request.getRequestURI(), buf);
			appendQueryString(maskedQuery(request), buf, true, false, false);
			buf.write(' ');
			buf.append(request.getProtocol());
		}

	}

	/**
	 * {@code %q}: Tomcat's query, with masked query parameters.
	 */
	private final class MaskedQueryElement implements AccessLogElement {

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			appendQueryString(maskedQuery(request), buf, true, false, true);
		}

	}

	/**
	 * A header or a cookie that carries credentials: {@value QueryMask#MASK} when it is
	 * there, {@code -} when it is not.
	 */
	private static final class MaskedValueElement implements AccessLogElement {

		private final String name;

		private final char source;

		MaskedValueElement(String name, char source) {
			this.name = name;
			this.source = source;
		}

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			buf.append(isPresent(request, response) ? QueryMask.MASK : "-");
		}

		private boolean isPresent(Request request, Response response) {
			return switch (this.source) {
				case 'i' -> request.getHeader(this.name) != null;
				case 'o' -> response.getHeader(this.name) != null;
				default -> hasCookie(request);
			};
		}

		private boolean hasCookie(Request request) {
			jakarta.servlet.http.Cookie[] cookies = request.getCookies();
			if (cookies != null) {
				for (jakarta.servlet.http.Cookie cookie : cookies) {
					if (this.name.equals(cookie.getName())) {
						return true;
					}
				}
			}
			return false;
		}

	}

}
