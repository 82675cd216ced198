package dev.twelvefactor.tomcat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

/**
 * The response the application sees while {@link RequestAdmissionValve} guards a request:
 * every call that changes or writes the response runs under the request's output lock,
 * and is discarded once the request's deadline passed, so that the watchdog's answer
 * never interleaves with, and is never followed by, the handler's own output.
 *
 * @author twelvefactor
 * @see InFlightRequest#output(InFlightRequest.OutputCall)
 */
class RequestDeadlineResponseWrapper extends HttpServletResponseWrapper {

	private final InFlightRequest inFlight;

	private @Nullable GuardedOutputStream outputStream;

	private @Nullable GuardedPrintWriter writer;

	RequestDeadlineResponseWrapper(HttpServletResponse response, InFlightRequest inFlight) {
		super(response);
		this.inFlight = inFlight;
	}

	/**
	 * Whether the request's deadline passed, so that what the application writes is
	 * discarded.
	 * @return whether the request timed out
	 */
	boolean isTimedOut() {
		return this.inFlight.isTimedOut();
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		ServletOutputStream delegate = this.inFlight.locked(getResponse()::getOutputStream);
		GuardedOutputStream outputStream = this.outputStream;
		if (outputStream == null || outputStream.delegate != delegate) {
			outputStream = new GuardedOutputStream(delegate, this.inFlight);
			this.outputStream = outputStream;
		}
		return outputStream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		// Tomcat's getWriter() may set the character encoding of the response
		PrintWriter delegate = this.inFlight.locked(getResponse()::getWriter);
		GuardedPrintWriter writer = this.writer;
		if (writer == null || writer.delegate != delegate) {
			writer = new GuardedPrintWriter(delegate, this.inFlight);
			this.writer = writer;
		}
		return writer;
	}

	@Override
	public void flushBuffer() throws IOException {
		this.inFlight.output(() -> getResponse().flushBuffer());
	}

	@Override
	public void sendError(int sc, String msg) throws IOException {
		this.inFlight.output(() -> super.sendError(sc, msg));
	}

	@Override
	public void sendError(int sc) throws IOException {
		this.inFlight.output(() -> super.sendError(sc));
	}

	@Override
	public void sendRedirect(String location) throws IOException {
		this.inFlight.output(() -> super.sendRedirect(location));
	}

	@Override
	public void sendRedirect(String location, int sc) throws IOException {
		this.inFlight.output(() -> super.sendRedirect(location, sc));
	}

	@Override
	public void sendRedirect(String location, boolean clearBuffer) throws IOException {
		this.inFlight.output(() -> super.sendRedirect(location, clearBuffer));
	}

	@Override
	public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
		this.inFlight.output(() -> super.sendRedirect(location, sc, clearBuffer));
	}

	@Override
	public void setStatus(int sc) {
		change(() -> super.setStatus(sc));
	}

	@Override
	public void setHeader(String name, String value) {
		change(() -> super.setHeader(name, value));
	}

	@Override
	public void addHeader(String name, String value) {
		change(() -> super.addHeader(name, value));
	}

	@Override
	public void setDateHeader(String name, long date) {
		change(() -> super.setDateHeader(name, date));
	}

	@Override
	public void addDateHeader(String name, long date) {
		change(() -> super.addDateHeader(name, date));
	}

	@Override
	public void setIntHeader(String name, int value) {
		change(() -> super.setIntHeader(name, value));
	}

	@Override
	public void addIntHeader(String name, int value) {
		change(() -> super.addIntHeader(name, value));
	}

	@Override
	public void addCookie(Cookie cookie) {
		change(() -> super.addCookie(cookie));
	}

	@Override
	public void setTrailerFields(Supplier<Map<String, String>> supplier) {
		change(() -> super.setTrailerFields(supplier));
	}

	@Override
	public void setCharacterEncoding(String charset) {
		change(() -> super.setCharacterEncoding(charset));
	}

	@Override
	public void setCharacterEncoding(Charset encoding) {
		change(() -> super.setCharacterEncoding(encoding));
	}

	@Override
	public void setContentLength(int len) {
		change(() -> super.setContentLength(len));
	}

	@Override
	public void setContentLengthLong(long len) {
		change(() -> super.setContentLengthLong(len));
	}

	@Override
	public void setContentType(String type) {
		change(() -> super.setContentType(type));
	}

	@Override
	public void setBufferSize(int size) {
		change(() -> super.setBufferSize(size));
	}

	@Override
	public void setLocale(Locale loc) {
		change(() -> super.setLocale(loc));
	}

	@Override
	public void reset() {
		change(super::reset);
	}

	@Override
	public void resetBuffer() {
		change(super::resetBuffer);
	}

	private void change(Runnable change) {
		try {
			this.inFlight.output(change::run);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The response's output stream, each call under the request's output lock.
	 */
	private static final class GuardedOutputStream extends ServletOutputStream {

		private final ServletOutputStream delegate;

		private final InFlightRequest inFlight;

		GuardedOutputStream(ServletOutputStream delegate, InFlightRequest inFlight) {
			this.delegate = delegate;
			this.inFlight = inFlight;
		}

		@Override
		public void write(int b) throws IOException {
			this.inFlight.output(() -> this.delegate.write(b));
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.inFlight.output(() -> this.delegate.write(b, off, len));
		}

		@Override
		public void write(ByteBuffer buffer) throws IOException {
			if (this.inFlight.isTimedOut()) {
				buffer.position(buffer.limit());
				return;
			}
			this.inFlight.output(() -> this.delegate.write(buffer));
		}

		@Override
		public void flush() throws IOException {
			this.inFlight.output(this.delegate::flush);
		}

		@Override
		public void close() throws IOException {
			this.inFlight.output(this.delegate::close);
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setWriteListener(WriteListener writeListener) {
			this.delegate.setWriteListener(writeListener);
		}

	}

	/**
	 * The response's writer, each call under the request's output lock. Like Tomcat's own
	 * writer it does not throw, and reports failures through {@link #checkError()}.
	 */
	private static final class GuardedPrintWriter extends PrintWriter {

		private final PrintWriter delegate;

		GuardedPrintWriter(PrintWriter delegate, InFlightRequest inFlight) {
			super(new GuardedWriter(delegate, inFlight));
			this.delegate = delegate;
		}

		@Override
		public boolean checkError() {
			return super.checkError() || this.delegate.checkError();
		}

	}

	/**
	 * The writer under {@link GuardedPrintWriter}.
	 */
	private static final class GuardedWriter extends Writer {

		private final PrintWriter delegate;

		private final InFlightRequest inFlight;

		GuardedWriter(PrintWriter delegate, InFlightRequest inFlight) {
			this.delegate = delegate;
			this.inFlight = inFlight;
		}

		@Override
		public void write(int c) throws IOException {
			this.inFlight.output(() -> this.delegate.write(c));
		}

		@Override
		public void write(char[] cbuf, int off, int len) throws IOException {
			this.inFlight.output(() -> this.delegate.write(cbuf, off, len));
		}

		@Override
		public void write(String str, int off, int len) throws IOException {
			this.inFlight.output(() -> this.delegate.write(str, off, len));
		}

		@Override
		public void flush() throws IOException {
			this.inFlight.output(this.delegate::flush);
		}

		@Override
		public void close() throws IOException {
			this.inFlight.output(this.delegate::close);
		}

	}

}
