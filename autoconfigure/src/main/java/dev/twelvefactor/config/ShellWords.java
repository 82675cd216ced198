package dev.twelvefactor.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Words of a command line split as a POSIX shell, and Python's {@code shlex.split} that
 * Gunicorn uses for {@code GUNICORN_CMD_ARGS}, split them: on white space, with single
 * quotes taken literally, double quotes in which a backslash escapes {@code "} and
 * {@code \}, and a backslash outside quotes escaping any character. Nothing is expanded.
 *
 * @param words the words
 * @param unclosed whether the last word ends in an open quotation or a lone backslash,
 * which {@code shlex} refuses
 * @author twelvefactor
 */
record ShellWords(List<String> words, boolean unclosed) {

	static ShellWords split(String line) {
		List<String> words = new ArrayList<>();
		StringBuilder word = new StringBuilder();
		boolean inWord = false;
		char quote = 0;
		int i = 0;
		while (i < line.length()) {
			char c = line.charAt(i++);
			if (quote == '\'') {
				if (c == '\'') {
					quote = 0;
				}
				else {
					word.append(c);
				}
			}
			else if (quote == '"') {
				if (c == '"') {
					quote = 0;
				}
				else if (c == '\\' && i < line.length() && (line.charAt(i) == '"' || line.charAt(i) == '\\')) {
					word.append(line.charAt(i++));
				}
				else {
					word.append(c);
				}
			}
			else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
				if (inWord) {
					words.add(word.toString());
					word.setLength(0);
					inWord = false;
				}
			}
			else if (c == '\'' || c == '"') {
				quote = c;
				inWord = true;
			}
			else if (c == '\\') {
				inWord = true;
				if (i >= line.length()) {
					words.add(word.toString());
					return new ShellWords(List.copyOf(words), true);
				}
				word.append(line.charAt(i++));
			}
			else {
				word.append(c);
				inWord = true;
			}
		}
		if (inWord) {
			words.add(word.toString());
		}
		return new ShellWords(List.copyOf(words), quote != 0);
	}

}
