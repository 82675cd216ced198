package dev.twelvefactor;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Captures each test's standard output and error without printing them, for tests whose
 * expected failures log stack traces: the test asserts on them instead, through a
 * {@link QuietOutput} parameter. The output is printed only when the test fails. Spring
 * Boot's {@code OutputCaptureExtension} prints what it captures as well.
 *
 * @author twelvefactor
 */
public class QuietOutputExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(QuietOutputExtension.class);

	@Override
	public void beforeEach(ExtensionContext context) {
		output(context).start();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		QuietOutput output = output(context);
		output.stop();
		if (context.getExecutionException().isPresent()) {
			output.print();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == QuietOutput.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return output(extensionContext);
	}

	private static QuietOutput output(ExtensionContext context) {
		return context.getStore(NAMESPACE).computeIfAbsent(QuietOutput.class, (key) -> new QuietOutput(),
				QuietOutput.class);
	}

}
