package dev.twelvefactor.tomcat;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Ends quietly a request whose handler threw after the request's deadline passed, which
 * is what most handlers do when they are interrupted. The request was already answered,
 * or its connection aborted, and {@link RequestAdmissionValve} logged it: without this
 * filter, Tomcat would log the handler's exception with its stack trace as well, and run
 * the error page for a response nobody reads.
 *
 * @author twelvefactor
 */
class RequestDeadlineFilter implements Filter {

	static final String NAME = "twelvefactorRequestDeadlineFilter";

	private static final Log logger = LogFactory.getLog(RequestDeadlineFilter.class);

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			if (!(response instanceof RequestDeadlineResponseWrapper wrapper) || !wrapper.isTimedOut()) {
				throw ex;
			}
			logger.debug("Handler of a request past its deadline ended with an exception", ex);
		}
	}

}
