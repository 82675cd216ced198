package dev.twelvefactor.config;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ShellWords}: the words are those Python's {@code shlex.split} gives.
 *
 * @author twelvefactor
 */
class ShellWordsTests {

	@Test
	void splitsOnWhiteSpace() {
		assertThat(ShellWords.split("  -w4\t-t 30  ").words()).containsExactly("-w4", "-t", "30");
		assertThat(ShellWords.split("--workers 3 --timeout=45").words()).containsExactly("--workers", "3",
				"--timeout=45");
	}

	@Test
	void singleQuotesAreLiteral() {
		assertThat(ShellWords.split("--access-logformat '%(h)s \"%(r)s\"' ").words())
			.containsExactly("--access-logformat", "%(h)s \"%(r)s\"");
		assertThat(ShellWords.split("it'\"'s").words()).containsExactly("it\"s");
	}

	@Test
	void quotedPartsJoinTheirWord() {
		assertThat(ShellWords.split("a\"b c\"d").words()).containsExactly("ab cd");
		assertThat(ShellWords.split("\"\"").words()).containsExactly("");
	}

	@Test
	void backslashEscapesAnyCharacterOutsideQuotesAndOnlyQuoteAndBackslashInDoubleQuotes() {
		assertThat(ShellWords.split("a\\ b").words()).containsExactly("a b");
		assertThat(ShellWords.split("\"a\\\"b\\\\c\\d\"").words()).containsExactly("a\"b\\c\\d");
	}

	@Test
	void openQuotationOrLoneBackslashIsUnclosed() {
		ShellWords words = ShellWords.split("--access-logformat '%(h)s");
		assertThat(words.unclosed()).isTrue();
		assertThat(words.words()).isEqualTo(List.of("--access-logformat", "%(h)s"));
		assertThat(ShellWords.split("--workers 3 \\").unclosed()).isTrue();
		assertThat(ShellWords.split("--workers 3").unclosed()).isFalse();
	}

}
