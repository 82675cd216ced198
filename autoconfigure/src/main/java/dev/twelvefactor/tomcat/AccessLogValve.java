package dev.twelvefactor.tomcat;

import java.io.CharArrayWriter;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.AbstractAccessLogValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.collections.SynchronizedStack;
import org.apache.tomcat.util.http.MimeHeaders;
import org.jspecify.annotations.Nullable;

import dev.twelvefactor.config.AccessLogFormat;

/**
 * Tomcat valve that writes one access log line per request to an {@link AccessLogOutput}:
 * in Apache's {@code combined} or {@code common} format, as JSON, or in a Tomcat pattern.
 * <p>
 * Every element that carries a value of the request is escaped (see
 * {@link AccessLogEscaping}), so that no request can forge or split a line. Tomcat 11
 * escapes {@code %r}, {@code %U}, {@code %q}, {@code %u} and {@code %{name}i} itself,
 * with {@code \}{@code uXXXX} escapes; this valve writes those elements itself so that a
 * line uses Apache's {@code \xhh} escapes throughout, and runs {@code %m}, {@code %H},
 * {@code %h}, {@code %a}, {@code %v} and {@code %S}, which Tomcat leaves as they are,
 * through the same escaping. Those last can come from headers when a
 * {@code RemoteIpValve} is in use. {@code %{name}o}, {@code %{name}c}, {@code %{name}r}
 * and {@code %{name}s} keep Tomcat's own escaping.
 * <p>
 * Requests whose decoded path matches the exclusion pattern are not logged, unless their
 * status is 400 or above.
 *
 * @author twelvefactor
 */
final class AccessLogValve extends AbstractAccessLogValve {

	/**
	 * Apache's combined format, which Gunicorn writes by default.
	 */
	static final String COMBINED_PATTERN = "%h %l %u %t \"%r\" %s %b \"%{Referer}i\" \"%{User-Agent}i\"";

	/**
	 * Apache's common format.
	 */
	static final String COMMON_PATTERN = "%h %l %u %t \"%r\" %s %b";

	private static final String JSON = "json";

	private static final int MAX_POOLED_LINE_CAPACITY = 4096;

	private static final Log logger = LogFactory.getLog(AccessLogValve.class);

	private final boolean json;

	private final @Nullable Pattern exclude;

	private final AccessLogOutput output;

	private final SynchronizedStack<Line> lines = new SynchronizedStack<>();

	private final SynchronizedStack<Matcher> matchers = new SynchronizedStack<>();

	private volatile boolean failing;

	AccessLogValve(AccessLogFormat format, @Nullable Pattern exclude, AccessLogOutput output) {
		this.json = JSON.equals(format.name());
		this.exclude = exclude;
		this.output = output;
		// Use the client address and protocol that a RemoteIpValve found, when there is one
		setRequestAttributesEnabled(true);
		setPattern(pattern(format));
	}

	private static String pattern(AccessLogFormat format) {
		return switch (format.name()) {
			case "combined" -> COMBINED_PATTERN;
			case "common" -> COMMON_PATTERN;
			case JSON -> JSON;
			default -> format.pattern();
		};
	}

	AccessLogOutput getOutput() {
		return this.output;
	}

	@Override
	protected synchronized void startInternal() throws LifecycleException {
		try {
			this.output.open();
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

	/**
	 * Log a request as {@link AbstractAccessLogValve} does, with two differences: excluded
	 * requests are skipped, and the line buffer is one of this valve's own, which carries
	 * the escaping writer that the escaped elements write through.
	 */
	@Override
	public void log(Request request, Response response, long time) {
		if (!getState().isAvailable() || !getEnabled() || this.logElements == null || isExcluded(request, response)
				|| !isLoggedByCondition(request)) {
			return;
		}
		Line line = this.lines.pop();
		if (line == null) {
			line = new Line();
		}
		try {
			for (AccessLogElement element : this.logElements) {
				element.addElement(line, request, response, time);
			}
			log(line);
		}
		finally {
			if (line.capacity() <= MAX_POOLED_LINE_CAPACITY) {
				line.reset();
				this.lines.push(line);
			}
		}
	}

	private boolean isLoggedByCondition(Request request) {
		return (this.condition == null || request.getRequest().getAttribute(this.condition) == null)
				&& (this.conditionIf == null || request.getRequest().getAttribute(this.conditionIf) != null);
	}

	private boolean isExcluded(Request request, Response response) {
		Pattern exclude = this.exclude;
		if (exclude == null || response.getStatus() >= 400) {
			return false;
		}
		// The decoded, normalized path: /health/../admin is /admin, not /health
		String path = request.getDecodedRequestURI();
		if (path == null) {
			return false;
		}
		Matcher matcher = this.matchers.pop();
		if (matcher == null) {
			matcher = exclude.matcher(path);
		}
		else {
			matcher.reset(path);
		}
		boolean excluded = matcher.matches();
		matcher.reset("");
		this.matchers.push(matcher);
		return excluded;
	}

	@Override
	protected void log(CharArrayWriter message) {
		try {
			this.output.write(message);
			this.failing = false;
		}
		catch (IOException ex) {
			if (!this.failing) {
				this.failing = true;
				logger.error("Failed to write to the access log " + this.output, ex);
			}
		}
	}

	@Override
	protected AccessLogElement[] createLogElements() {
		if (this.json) {
			return new AccessLogElement[] { new JsonElement() };
		}
		return super.createLogElements();
	}

	@Override
	protected AccessLogElement createAccessLogElement(char pattern) {
		return switch (pattern) {
			case 'r' -> new RequestLineElement();
			case 'U' -> new RequestUriElement();
			case 'q' -> new QueryElement();
			case 'u' -> new UserElement();
			case 'a', 'h', 'H', 'm', 'S', 'v' -> new EscapedElement(super.createAccessLogElement(pattern));
			default -> super.createAccessLogElement(pattern);
		};
	}

	@Override
	protected AccessLogElement createAccessLogElement(String name, char pattern) {
		return switch (pattern) {
			case 'i' -> new HeaderElement(name);
			case 'a' -> new EscapedElement(super.createAccessLogElement(name, pattern));
			default -> super.createAccessLogElement(name, pattern);
		};
	}

	/**
	 * A line buffer, pooled, with the escaping writer that writes into it.
	 */
	private static final class Line extends CharArrayWriter {

		private final CharArrayWriter escaping = AccessLogEscaping.textWriter(this);

		Line() {
			super(256);
		}

		int capacity() {
			return this.buf.length;
		}

	}

	/**
	 * Writes a Tomcat element that does not escape through the escaping writer.
	 */
	private static final class EscapedElement implements AccessLogElement, CachedElement {

		private final AccessLogElement element;

		EscapedElement(AccessLogElement element) {
			this.element = element;
		}

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			CharArrayWriter escaping = (buf instanceof Line line) ? line.escaping : AccessLogEscaping.textWriter(buf);
			this.element.addElement(escaping, request, response, time);
		}

		@Override
		public void cache(Request request) {
			if (this.element instanceof CachedElement cached) {
				cached.cache(request);
			}
		}

	}

	/**
	 * {@code %r}: method, path and query as sent, and protocol, or {@code -} when the
	 * request line could not be read.
	 */
	private static final class RequestLineElement implements AccessLogElement {

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			String method = request.getMethod();
			if (method == null) {
				buf.write('-');
				return;
			}
			AccessLogEscaping.appendText(method, buf);
			buf.write(' ');
			appendUri(request, buf);
			String query = request.getQueryString();
			if (query != null) {
				buf.write('?');
				AccessLogEscaping.appendText(query, buf);
			}
			buf.write(' ');
			AccessLogEscaping.appendText(request.getProtocol(), buf);
		}

	}

	/**
	 * {@code %U}: the path as sent, without the query.
	 */
	private static final class RequestUriElement implements AccessLogElement {

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			appendUri(request, buf);
		}

	}

	private static void appendUri(Request request, CharArrayWriter buf) {
		String uri = request.getRequestURI();
		if (uri == null || uri.isEmpty()) {
			buf.write('-');
		}
		else {
			AccessLogEscaping.appendText(uri, buf);
		}
	}

	/**
	 * {@code %q}: {@code ?} and the query, or nothing.
	 */
	private static final class QueryElement implements AccessLogElement {

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			String query = request.getQueryString();
			if (query != null) {
				buf.write('?');
				AccessLogEscaping.appendText(query, buf);
			}
		}

	}

	/**
	 * {@code %u}: the authenticated user, or {@code -}.
	 */
	private static final class UserElement implements AccessLogElement {

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			String user = request.getRemoteUser();
			if (user == null || user.isEmpty()) {
				buf.write('-');
			}
			else {
				AccessLogEscaping.appendText(user, buf);
			}
		}

	}

	/**
	 * {@code %{name}i}: every value of a request header, joined with commas; {@code -}
	 * when it is absent. Reads Tomcat's headers by index rather than through an
	 * enumeration.
	 */
	private static final class HeaderElement implements AccessLogElement {

		private final String name;

		HeaderElement(String name) {
			this.name = name;
		}

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
			int index = headers.findHeader(this.name, 0);
			if (index < 0) {
				buf.write('-');
				return;
			}
			AccessLogEscaping.appendText(headers.getValue(index).toString(), buf);
			while ((index = headers.findHeader(this.name, index + 1)) >= 0) {
				buf.write(',');
				AccessLogEscaping.appendText(headers.getValue(index).toString(), buf);
			}
		}

	}

	/**
	 * The whole {@code json} line. Caches the remote address at the start of the request,
	 * as Tomcat's {@code %a} does, since the connection may be gone at the end.
	 */
	private final class JsonElement implements AccessLogElement, CachedElement {

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			JsonAccessLogFormat.append(buf, request, response, time, getRequestAttributesEnabled());
		}

		@Override
		public void cache(Request request) {
			request.getRemoteAddr();
		}

	}

}
