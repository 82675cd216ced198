package dev.twelvefactor.tomcat;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Answers a request past Gunicorn's limits as Gunicorn does, in the engine's pipeline,
 * before admission and the application: {@code 400 Bad Request} for a request line longer
 * than {@code limit-request-line}, {@code 431 Request Header Fields Too Large} for more
 * header fields than {@code limit-request-fields} or a field larger than
 * {@code limit-request-field-size}. The answer is a problem+json body saying which limit,
 * with {@code Connection: close}, and Tomcat access-logs it as any other response.
 * <p>
 * Gunicorn measures the lines as it reads them; Tomcat has read the request head already,
 * so the sizes are worked out from what it parsed: the request line is the method, the
 * request target as received and the protocol, with a space between each; a field is its
 * name, {@code ": "}, its value and the line end, as Gunicorn counts a field written that
 * way. Tomcat's own limit on the whole head still applies first.
 *
 * @author twelvefactor
 */
final class RequestLimitsValve extends ValveBase {

	/**
	 * Most header fields Gunicorn ever accepts, which a limit of zero means.
	 */
	static final int MAX_FIELDS = 32768;

	private static final int BAD_REQUEST = 400;

	private static final int REQUEST_HEADER_FIELDS_TOO_LARGE = 431;

	private final int requestLine;

	private final int fields;

	private final int fieldSize;

	/**
	 * Create a valve.
	 * @param requestLine the longest request line in bytes, 0 for no limit
	 * @param fields the most header fields, 0 for {@value #MAX_FIELDS}
	 * @param fieldSize the largest header field in bytes, 0 for no limit
	 */
	RequestLimitsValve(int requestLine, int fields, int fieldSize) {
		super(true);
		this.requestLine = requestLine;
		this.fields = (fields > 0) ? fields : MAX_FIELDS;
		this.fieldSize = fieldSize;
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		String problem = findProblem(request.getCoyoteRequest());
		if (problem == null) {
			getNext().invoke(request, response);
			return;
		}
		if (problem.startsWith("Request line")) {
			ProblemResponses.send(request, response, BAD_REQUEST, "Bad Request", problem, null);
		}
		else {
			ProblemResponses.send(request, response, REQUEST_HEADER_FIELDS_TOO_LARGE, "Request Header Fields Too Large",
					problem, null);
		}
	}

	private @Nullable String findProblem(org.apache.coyote.Request request) {
		if (this.requestLine > 0) {
			int length = requestLineLength(request);
			if (length > this.requestLine) {
				return "Request line is too large (" + length + " > " + this.requestLine + ")";
			}
		}
		MimeHeaders headers = request.getMimeHeaders();
		if (headers.size() > this.fields) {
			return "Too many header fields (" + headers.size() + " > " + this.fields + ")";
		}
		if (this.fieldSize > 0) {
			for (int i = 0; i < headers.size(); i++) {
				MessageBytes name = headers.getName(i);
				int size = name.getLength() + 2 + headers.getValue(i).getLength() + 2;
				if (size > this.fieldSize) {
					return "Header field " + name + " is too large (" + size + " > " + this.fieldSize + ")";
				}
			}
		}
		return null;
	}

	/**
	 * Return the length of the request line as the client sent it, without its line end.
	 */
	static int requestLineLength(org.apache.coyote.Request request) {
		int length = request.method().getLength() + 1 + request.requestURI().getLength();
		if (!request.queryString().isNull()) {
			length += 1 + request.queryString().getLength();
		}
		int protocol = request.protocol().getLength();
		return (protocol > 0) ? length + 1 + protocol : length;
	}

}
