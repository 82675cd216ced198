package dev.twelvefactor.tomcat;

import java.io.CharArrayWriter;

import org.apache.catalina.AccessLog;
import org.apache.catalina.Globals;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.tomcat.util.http.MimeHeaders;

/**
 * The {@code json} access log format: one JSON object per request, with the fields
 * {@code time} (ISO-8601, UTC, when the request arrived), {@code remote_addr},
 * {@code method}, {@code path} (as sent, without the query), {@code query} ({@code null}
 * when there is none), {@code protocol}, {@code status}, {@code bytes} (body bytes sent),
 * {@code duration_ms} (with microseconds as decimals), {@code referer} and
 * {@code user_agent} ({@code null} when the header is absent). Written straight into the
 * line buffer, so that it creates no objects of its own.
 *
 * @author twelvefactor
 */
final class JsonAccessLogFormat {

	private static final long MILLIS_PER_DAY = 86_400_000L;

	private JsonAccessLogFormat() {
	}

	/**
	 * Append the JSON object of a request, without a line separator.
	 * @param out the line
	 * @param request the request
	 * @param response the response
	 * @param time the time taken, in nanoseconds
	 * @param requestAttributesEnabled whether the remote address set by Tomcat's
	 * {@code RemoteIpValve} is used
	 */
	static void append(CharArrayWriter out, Request request, Response response, long time,
			boolean requestAttributesEnabled) {
		out.write("{\"time\":\"", 0, 9);
		appendIsoTime(request.getCoyoteRequest().getStartTime(), out);
		out.write("\",\"remote_addr\":", 0, 16);
		AccessLogEscaping.appendJson(remoteAddress(request, requestAttributesEnabled), out);
		out.write(",\"method\":", 0, 10);
		AccessLogEscaping.appendJson(request.getMethod(), out);
		out.write(",\"path\":", 0, 8);
		AccessLogEscaping.appendJson(request.getRequestURI(), out);
		out.write(",\"query\":", 0, 9);
		AccessLogEscaping.appendJson(request.getQueryString(), out);
		out.write(",\"protocol\":", 0, 12);
		AccessLogEscaping.appendJson(request.getProtocol(), out);
		out.write(",\"status\":", 0, 10);
		AccessLogEscaping.appendNumber(response.getStatus(), out);
		out.write(",\"bytes\":", 0, 9);
		AccessLogEscaping.appendNumber(bytesSent(request, response), out);
		out.write(",\"duration_ms\":", 0, 15);
		appendMillis(time, out);
		out.write(",\"referer\":", 0, 11);
		appendHeader(request, "Referer", out);
		out.write(",\"user_agent\":", 0, 14);
		appendHeader(request, "User-Agent", out);
		out.write('}');
	}

	private static String remoteAddress(Request request, boolean requestAttributesEnabled) {
		if (requestAttributesEnabled) {
			Object address = request.getAttribute(AccessLog.REMOTE_ADDR_ATTRIBUTE);
			if (address != null) {
				return address.toString();
			}
		}
		return request.getRemoteAddr();
	}

	/**
	 * Return the body bytes sent, as Tomcat's {@code %B} counts them, including a file
	 * sent with sendfile.
	 */
	private static long bytesSent(Request request, Response response) {
		long length = response.getBytesWritten(false);
		if (length <= 0) {
			Object start = request.getAttribute(Globals.SENDFILE_FILE_START_ATTR);
			Object end = request.getAttribute(Globals.SENDFILE_FILE_END_ATTR);
			if (start instanceof Long startOffset && end instanceof Long endOffset) {
				length = endOffset - startOffset;
			}
		}
		return Math.max(length, 0);
	}

	private static void appendMillis(long nanos, CharArrayWriter out) {
		long micros = Math.max(nanos, 0) / 1000;
		AccessLogEscaping.appendNumber(micros / 1000, out);
		out.write('.');
		appendDigits(micros % 1000, 3, out);
	}

	/**
	 * Append every value of a header, joined with commas as Tomcat's {@code %{name}i}
	 * does, or {@code null} when it is absent. Reads Tomcat's headers by index rather
	 * than through an enumeration.
	 */
	private static void appendHeader(Request request, String name, CharArrayWriter out) {
		MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
		int index = headers.findHeader(name, 0);
		if (index < 0) {
			out.write("null", 0, 4);
			return;
		}
		out.write('"');
		AccessLogEscaping.appendJsonCharacters(headers.getValue(index).toString(), out);
		while ((index = headers.findHeader(name, index + 1)) >= 0) {
			out.write(',');
			AccessLogEscaping.appendJsonCharacters(headers.getValue(index).toString(), out);
		}
		out.write('"');
	}

	/**
	 * Append an instant as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC, computed rather than
	 * formatted (civil-from-days, proleptic Gregorian), so that it allocates nothing.
	 * @param epochMillis the instant, in milliseconds since the epoch
	 * @param out the line
	 */
	static void appendIsoTime(long epochMillis, CharArrayWriter out) {
		long epochDay = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
		long millisOfDay = Math.floorMod(epochMillis, MILLIS_PER_DAY);
		long days = epochDay + 719_468;
		long era = Math.floorDiv(days, 146_097);
		long dayOfEra = days - era * 146_097;
		long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
		long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
		long shiftedMonth = (5 * dayOfYear + 2) / 153;
		long day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
		long month = (shiftedMonth < 10) ? shiftedMonth + 3 : shiftedMonth - 9;
		long year = yearOfEra + era * 400 + ((month <= 2) ? 1 : 0);
		appendDigits(year, 4, out);
		out.write('-');
		appendDigits(month, 2, out);
		out.write('-');
		appendDigits(day, 2, out);
		out.write('T');
		appendDigits(millisOfDay / 3_600_000, 2, out);
		out.write(':');
		appendDigits((millisOfDay / 60_000) % 60, 2, out);
		out.write(':');
		appendDigits((millisOfDay / 1000) % 60, 2, out);
		out.write('.');
		appendDigits(millisOfDay % 1000, 3, out);
		out.write('Z');
	}

	private static void appendDigits(long value, int width, CharArrayWriter out) {
		long limit = 10;
		for (int i = 1; i < width; i++) {
			if (value < limit) {
				out.write('0');
			}
			limit *= 10;
		}
		AccessLogEscaping.appendNumber(value, out);
	}

}
