package dev.twelvefactor.tomcat;

import java.io.CharArrayWriter;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.logging.structured.ElasticCommonSchemaProperties;
import org.springframework.util.StringUtils;

/**
 * {@link StreamAccessLogValve} that writes one JSON object a line: in Elastic Common Schema
 * ({@code ecs}), with the field names of Spring Boot's {@code ecs} structured logging, or
 * in the starter's own {@code json} format. Values are escaped as Tomcat escapes them,
 * which makes JSON strings of pure ASCII; credentials are masked as in text lines.
 *
 * @author twelvefactor
 */
final class StructuredAccessLogValve extends StreamAccessLogValve {

	private static final String ECS_VERSION = "8.11";

	private final boolean ecs;

	private final String service;

	private final AccessLogElement[] timestamp = { new DateAndTimeElement("begin:yyyy-MM-dd'T'HH:mm:ss."),
			new DateAndTimeElement("begin:msec_frac"), new DateAndTimeElement("begin:XXX") };

	/**
	 * Create a valve.
	 * @param ecs whether lines are in Elastic Common Schema rather than the {@code json}
	 * format
	 * @param properties the ECS service the lines name
	 * @param exclude the paths not to log, or {@code null}
	 * @param maskedParameters the query parameters whose values are masked
	 * @param output where the lines go
	 */
	StructuredAccessLogValve(boolean ecs, ElasticCommonSchemaProperties properties, @Nullable Pattern exclude,
			List<String> maskedParameters, AccessLogOutput output) {
		super(exclude, maskedParameters, output);
		this.ecs = ecs;
		this.service = service(properties.service());
		setPattern(ecs ? "ecs" : "json");
	}

	/**
	 * Return the {@code service} member of each line, as Spring Boot's {@code ecs} logging
	 * writes it, or nothing when no service is named.
	 */
	private static String service(ElasticCommonSchemaProperties.Service service) {
		CharArrayWriter members = new CharArrayWriter();
		appendMember(members, "name", service.name());
		appendMember(members, "version", service.version());
		appendMember(members, "environment", service.environment());
		if (StringUtils.hasLength(service.nodeName())) {
			members.append(members.size() > 0 ? "," : "").append("\"node\":{");
			members.append("\"name\":");
			appendString(service.nodeName(), members);
			members.append("}");
		}
		return (members.size() > 0) ? "\"service\":{" + members + "}," : "";
	}

	private static void appendMember(CharArrayWriter members, String name, @Nullable String value) {
		if (StringUtils.hasLength(value)) {
			members.append(members.size() > 0 ? ",\"" : "\"").append(name).append("\":");
			appendString(value, members);
		}
	}

	/**
	 * Append when the request arrived, in ISO-8601 with milliseconds and the offset of the
	 * default time zone, from three of Tomcat's time elements whose text Tomcat caches for
	 * each second.
	 */
	private void appendTimestamp(CharArrayWriter buf, Request request, Response response, long time) {
		for (AccessLogElement element : this.timestamp) {
			element.addElement(buf, request, response, time);
		}
	}

	@Override
	protected AccessLogElement[] createLogElements() {
		return new AccessLogElement[] { this.ecs ? new EcsElement() : new JsonElement() };
	}

	private static void appendString(@Nullable String value, CharArrayWriter buf) {
		if (value == null) {
			buf.append("null");
			return;
		}
		buf.write('"');
		if (!value.isEmpty()) {
			escapeAndAppend(value, buf);
		}
		buf.write('"');
	}

	private static void appendField(String name, @Nullable String value, CharArrayWriter buf) {
		if (value != null) {
			buf.append(name);
			appendString(value, buf);
		}
	}

	private static @Nullable String attribute(Request request, String name) {
		return (request.getAttribute(name) instanceof String value) ? value : null;
	}

	private static @Nullable String version(@Nullable String protocol) {
		return (protocol != null && protocol.startsWith("HTTP/")) ? protocol.substring(5) : protocol;
	}

	/**
	 * A line in Elastic Common Schema.
	 */
	private final class EcsElement implements AccessLogElement, CachedElement {

		private final AccessLogElement clientAddress = createAccessLogElement('a');

		private final AccessLogElement status = new HttpStatusCodeElement();

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			buf.append("{\"@timestamp\":\"");
			appendTimestamp(buf, request, response, time);
			buf.append("\",\"event\":{\"kind\":\"event\",\"category\":[\"web\"],\"type\":[\"access\"],\"duration\":");
			buf.append(Long.toString(time));
			buf.append("},\"http\":{");
			appendField("\"version\":", version(request.getProtocol()), buf);
			buf.append((request.getProtocol() != null) ? ",\"request\":{" : "\"request\":{");
			String method = request.getMethod();
			appendField("\"method\":", method, buf);
			String referrer = request.getHeader("Referer");
			if (referrer != null) {
				buf.append((method != null) ? ",\"referrer\":" : "\"referrer\":");
				appendString(referrer, buf);
			}
			buf.append("},\"response\":{\"status_code\":");
			this.status.addElement(buf, request, response, time);
			buf.append(",\"body\":{\"bytes\":");
			buf.append(Long.toString(bodyBytes(request, response)));
			buf.append("}}},\"url\":{");
			// No path when the request line could not be read
			String path = request.getRequestURI();
			appendField("\"path\":", path, buf);
			appendField(",\"query\":", (path != null) ? maskedQuery(request) : null, buf);
			buf.append("},\"client\":{\"address\":\"");
			this.clientAddress.addElement(buf, request, response, time);
			buf.append("\"},");
			String userAgent = request.getHeader("User-Agent");
			if (userAgent != null) {
				buf.append("\"user_agent\":{\"original\":");
				appendString(userAgent, buf);
				buf.append("},");
			}
			buf.append(StructuredAccessLogValve.this.service);
			String traceId = attribute(request, AccessLogTraceFilter.TRACE_ID_ATTRIBUTE);
			if (traceId != null) {
				buf.append("\"trace\":{\"id\":");
				appendString(traceId, buf);
				buf.append("},");
			}
			String spanId = attribute(request, AccessLogTraceFilter.SPAN_ID_ATTRIBUTE);
			if (spanId != null) {
				buf.append("\"span\":{\"id\":");
				appendString(spanId, buf);
				buf.append("},");
			}
			buf.append("\"ecs\":{\"version\":\"" + ECS_VERSION + "\"}}");
		}

		@Override
		public void cache(Request request) {
			((CachedElement) this.clientAddress).cache(request);
		}

	}

	/**
	 * A line in the starter's {@code json} format.
	 */
	private final class JsonElement implements AccessLogElement, CachedElement {

		private final AccessLogElement remoteAddress = createAccessLogElement('a');

		private final AccessLogElement status = new HttpStatusCodeElement();

		@Override
		public void addElement(CharArrayWriter buf, Request request, Response response, long time) {
			buf.append("{\"time\":\"");
			appendTimestamp(buf, request, response, time);
			buf.append("\",\"remote_addr\":\"");
			this.remoteAddress.addElement(buf, request, response, time);
			buf.append("\",\"method\":");
			appendString(request.getMethod(), buf);
			buf.append(",\"path\":");
			appendString(request.getRequestURI(), buf);
			buf.append(",\"query\":");
			appendString(maskedQuery(request), buf);
			buf.append(",\"protocol\":");
			appendString(request.getProtocol(), buf);
			buf.append(",\"status\":");
			this.status.addElement(buf, request, response, time);
			buf.append(",\"bytes\":");
			buf.append(Long.toString(bodyBytes(request, response)));
			buf.append(",\"duration_ms\":");
			long micros = time / 1000;
			buf.append(Long.toString(micros / 1000));
			buf.write('.');
			String fraction = Long.toString(1000 + micros % 1000);
			buf.append(fraction, 1, 4);
			buf.append(",\"referer\":");
			appendString(request.getHeader("Referer"), buf);
			buf.append(",\"user_agent\":");
			appendString(request.getHeader("User-Agent"), buf);
			appendField(",\"trace_id\":", attribute(request, AccessLogTraceFilter.TRACE_ID_ATTRIBUTE), buf);
			appendField(",\"span_id\":", attribute(request, AccessLogTraceFilter.SPAN_ID_ATTRIBUTE), buf);
			buf.write('}');
		}

		@Override
		public void cache(Request request) {
			((CachedElement) this.remoteAddress).cache(request);
		}

	}

}
