package dev.twelvefactor.tomcat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;

/**
 * The problem+json answers the starter's valves give on their own, and the end of the
 * connection that goes with them.
 *
 * @author twelvefactor
 */
final class ProblemResponses {

	static final String CONTENT_TYPE = "application/problem+json";

	private ProblemResponses() {
	}

	/**
	 * Return a problem+json body ({@code type} {@code about:blank}).
	 * @param status the status
	 * @param title the status's reason phrase
	 * @param detail what happened
	 * @param instance the request's path, or {@code null} to leave it out
	 * @return the body in UTF-8
	 */
	static byte[] body(int status, String title, String detail, @Nullable String instance) {
		StringBuilder body = new StringBuilder(128).append("{\"type\":\"about:blank\",\"title\":");
		appendString(title, body);
		body.append(",\"status\":").append(status).append(",\"detail\":");
		appendString(detail, body);
		if (instance != null) {
			body.append(",\"instance\":");
			appendString(instance, body);
		}
		return body.append('}').toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Answer a request on its own thread with a problem+json body and
	 * {@code Connection: close}, without reading the rest of its body.
	 * @param request the request
	 * @param response its response
	 * @param status the status
	 * @param title the status's reason phrase
	 * @param detail what happened
	 * @param instance the request's path, or {@code null} to leave it out
	 * @throws IOException if the answer cannot be written
	 */
	static void send(Request request, Response response, int status, String title, String detail,
			@Nullable String instance) throws IOException {
		byte[] body = body(status, title, detail, instance);
		response.setStatus(status);
		response.setHeader("Connection", "close");
		response.setContentType(CONTENT_TYPE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
		closeUnlessTheBodyWasRead(request, response);
	}

	/**
	 * Close the connection after the response rather than let Tomcat read and discard the
	 * rest of a request body the application did not read: a client sending it slowly
	 * would hold the thread for as long as it likes, after the request is over. Gunicorn
	 * too closes the connection without reading such a body.
	 * @param request the request
	 * @param response its response
	 */
	static void closeUnlessTheBodyWasRead(Request request, Response response) {
		if (!request.getCoyoteRequest().isFinished()) {
			response.getCoyoteResponse().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
		}
	}

	private static void appendString(String value, StringBuilder json) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20 || c >= 0x7f) {
				json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		json.append('"');
	}

}
