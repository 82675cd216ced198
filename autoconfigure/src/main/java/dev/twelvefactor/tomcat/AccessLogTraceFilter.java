package dev.twelvefactor.tomcat;

import java.io.IOException;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * Servlet filter that keeps the trace id and span id of the current span as request
 * attributes, where the access log finds them. The access log is written after the
 * request's observation has ended and its span is no longer current, so the ids are taken
 * while the request runs; the filter goes right after Spring's
 * {@code ServerHttpObservationFilter}, which starts that span.
 *
 * @author twelvefactor
 */
public class AccessLogTraceFilter implements Filter {

	/**
	 * Request attribute holding the trace id, as {@code %{traceId}r} writes it.
	 */
	public static final String TRACE_ID_ATTRIBUTE = "traceId";

	/**
	 * Request attribute holding the span id, as {@code %{spanId}r} writes it.
	 */
	public static final String SPAN_ID_ATTRIBUTE = "spanId";

	private final Tracer tracer;

	public AccessLogTraceFilter(Tracer tracer) {
		this.tracer = tracer;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		Span span = this.tracer.currentSpan();
		if (span != null && request.getAttribute(TRACE_ID_ATTRIBUTE) == null) {
			TraceContext context = span.context();
			request.setAttribute(TRACE_ID_ATTRIBUTE, context.traceId());
			request.setAttribute(SPAN_ID_ATTRIBUTE, context.spanId());
		}
		chain.doFilter(request, response);
	}

}
